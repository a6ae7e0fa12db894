import { randomBytes } from 'node:crypto';
import type { HelpdeskAction } from './access';

/** What the user is told, in both of the site's languages (we cannot know which one she reads). */
const WHAT: Record<HelpdeskAction, { en: string; el: string }> = {
  'vacation-off': { en: 'turned off your automatic reply', el: 'απενεργοποίησε την αυτόματη απάντησή σας' },
  'remove-forward': { en: 'removed a forwarding address of yours', el: 'αφαίρεσε μια διεύθυνση προώθησης της αλληλογραφίας σας' },
  'empty-spam': { en: 'emptied your SPAM folder', el: 'άδειασε τον φάκελο SPAM σας' },
};

function wrapBase64(text: string): string {
  return (Buffer.from(text).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

const subject = `=?UTF-8?B?${Buffer.from('The helpdesk changed your mail settings').toString('base64')}?=\r\n =?UTF-8?B?${Buffer.from('Η υποστήριξη άλλαξε τις ρυθμίσεις σας').toString('base64')}?=`;

/**
 * The note left in the user's INBOX after the helpdesk acted on her behalf. Everything the
 * member typed (the reason) and their name go only in the base64 body, never in a header.
 */
export function helpdeskNotice(notice: { to: string; domain: string; action: HelpdeskAction; detail: string | null; actorName: string; reason: string; at: Date }): string {
  const when = notice.at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const what = WHAT[notice.action];
  const detail = notice.detail === null ? '' : ` (${notice.detail})`;
  const body = [
    `On ${when} the helpdesk member ${notice.actorName} ${what.en}${detail}.`,
    `Reason given: ${notice.reason}`,
    'Your Security page lists every look and change by the helpdesk.',
    '',
    `Στις ${when} το μέλος της υποστήριξης ${notice.actorName} ${what.el}${detail}.`,
    `Αιτία: ${notice.reason}`,
    'Η σελίδα Ασφάλεια δείχνει κάθε ματιά και αλλαγή της υποστήριξης.',
    '',
  ].join('\n');
  const headers = [
    `From: =?UTF-8?B?${Buffer.from('EmailNG Settings').toString('base64')}?= <no-reply@${notice.domain}>`,
    `To: <${notice.to}>`,
    `Subject: ${subject}`,
    `Date: ${notice.at.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomBytes(12).toString('hex')}.helpdesk@${notice.domain}>`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${wrapBase64(body.replace(/\n/g, '\r\n'))}\r\n`;
}
