import { composeMail, newMessageId, oneLine } from '../../shared/mail-composer';
import type { HelpdeskAction } from './access';

/** What the user is told, in both of the site's languages (we cannot know which one she reads). */
const WHAT: Record<HelpdeskAction, { en: string; el: string }> = {
  'vacation-off': { en: 'turned off your automatic reply', el: 'απενεργοποίησε την αυτόματη απάντησή σας' },
  'remove-forward': { en: 'removed a forwarding address of yours', el: 'αφαίρεσε μια διεύθυνση προώθησης της αλληλογραφίας σας' },
  'empty-spam': { en: 'emptied your SPAM folder', el: 'άδειασε τον φάκελο SPAM σας' },
};

/**
 * The note left in the user's INBOX after the helpdesk acted on her behalf, in both languages,
 * built by the shared composer. What the member typed (the reason) and their name are kept to
 * one line each and go only in the body.
 */
export function helpdeskNotice(notice: { to: string; domain: string; action: HelpdeskAction; detail: string | null; actorName: string; reason: string; at: Date }): Promise<Buffer> {
  const when = notice.at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const what = WHAT[notice.action];
  const detail = notice.detail === null ? '' : ` (${oneLine(notice.detail)})`;
  const actor = oneLine(notice.actorName);
  const reason = oneLine(notice.reason);
  const text = [
    `On ${when} the helpdesk member ${actor} ${what.en}${detail}.`,
    `Reason given: ${reason}`,
    'Your Security page lists every look and change by the helpdesk.',
    '',
    `Στις ${when} το μέλος της υποστήριξης ${actor} ${what.el}${detail}.`,
    `Αιτία: ${reason}`,
    'Η σελίδα Ασφάλεια δείχνει κάθε ματιά και αλλαγή της υποστήριξης.',
    '',
  ].join('\n');
  return composeMail({
    from: { name: 'EmailNG Settings', address: `no-reply@${notice.domain}` },
    to: notice.to,
    subject: 'The helpdesk changed your mail settings / Η υποστήριξη άλλαξε τις ρυθμίσεις σας',
    text,
    language: 'en, el',
    date: notice.at,
    messageId: newMessageId('helpdesk', notice.domain),
  });
}
