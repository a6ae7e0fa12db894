import { composeMail, newMessageId } from '../../shared/mail-composer';

/**
 * The note the app leaves in the user's INBOX whenever forwarding changes. Forwarding is how
 * phished accounts are abused; the note makes every change visible to the owner, in both of
 * the site's languages, since we cannot know which one she reads.
 */
export interface ForwardingChange {
  to: string;
  domain: string;
  addresses: string[];
  keepCopy: boolean;
  clientAddress: string;
  at: Date;
}

function noticeText(change: ForwardingChange): string {
  const when = change.at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const list = change.addresses.join(', ');
  const english =
    change.addresses.length === 0
      ? 'Forwarding of your mail was turned off.'
      : `Your mail is now forwarded to: ${list}.\n${change.keepCopy ? 'A copy stays in your mailbox.' : 'No copy stays in your mailbox.'}`;
  const greek =
    change.addresses.length === 0
      ? 'Η προώθηση της αλληλογραφίας σας απενεργοποιήθηκε.'
      : `Η αλληλογραφία σας προωθείται πλέον στις διευθύνσεις: ${list}.\n${change.keepCopy ? 'Ένα αντίγραφο μένει στο γραμματοκιβώτιό σας.' : 'Δεν μένει αντίγραφο στο γραμματοκιβώτιό σας.'}`;
  return [
    `The forwarding of your mail was changed on ${when} from the address ${change.clientAddress}.`,
    english,
    'If this was not you, change your password now and tell the helpdesk.',
    '',
    `Η προώθηση της αλληλογραφίας σας άλλαξε στις ${when} από τη διεύθυνση ${change.clientAddress}.`,
    greek,
    'Αν δεν το κάνατε εσείς, αλλάξτε αμέσως τον κωδικό σας και ενημερώστε την υποστήριξη.',
    '',
  ].join('\n');
}

/** The notice as a whole message (CRLF), for IMAP APPEND. */
export function forwardingNotice(change: ForwardingChange): Promise<Buffer> {
  return composeMail({
    from: { name: 'EmailNG Settings', address: `no-reply@${change.domain}` },
    to: change.to,
    subject: 'Forwarding of your mail changed / Αλλαγή προώθησης αλληλογραφίας',
    text: noticeText(change),
    language: 'en, el',
    date: change.at,
    messageId: newMessageId('forwarding', change.domain),
  });
}
