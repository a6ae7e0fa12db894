import { randomBytes } from 'node:crypto';

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

/** An RFC 2047 encoded-word for a header, split so no line grows past 78 characters. */
function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

function wrapBase64(text: string): string {
  return (Buffer.from(text).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

export function forwardingNotice(change: ForwardingChange): string {
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
  const body = [
    `The forwarding of your mail was changed on ${when} from the address ${change.clientAddress}.`,
    english,
    'If this was not you, change your password now and tell the helpdesk.',
    '',
    `Η προώθηση της αλληλογραφίας σας άλλαξε στις ${when} από τη διεύθυνση ${change.clientAddress}.`,
    greek,
    'Αν δεν το κάνατε εσείς, αλλάξτε αμέσως τον κωδικό σας και ενημερώστε την υποστήριξη.',
    '',
  ].join('\n');
  const headers = [
    `From: =?UTF-8?B?${Buffer.from('EmailNG Settings').toString('base64')}?= <no-reply@${change.domain}>`,
    `To: <${change.to}>`,
    `Subject: ${encodeWords('Forwarding of your mail changed / Αλλαγή προώθησης αλληλογραφίας')}`,
    `Date: ${change.at.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomBytes(12).toString('hex')}.forwarding@${change.domain}>`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${wrapBase64(body.replace(/\n/g, '\r\n'))}\r\n`;
}
