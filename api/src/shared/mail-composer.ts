import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

/**
 * Every message the app writes (forwarding notices, held-mail digests, release decisions) is
 * built here, by nodemailer's MailComposer: RFC 2047 words, folding, transfer encodings and
 * multipart/alternative are its job, not ours. Callers give plain strings; nothing a user or a
 * sender wrote can end a header, because the composer encodes every value it is given and we
 * strip line breaks from the one-line values before that.
 */

export type MailLanguage = 'en' | 'el';

/** Who the site's own mail comes from, e.g. "EmailNG Settings" <no-reply@cs.ucy.ac.cy>. */
export interface SiteSender {
  name: string;
  address: string;
}

export interface AppMail {
  from: SiteSender;
  to: string;
  subject: string;
  /** The text part; line breaks as \n. */
  text: string;
  /** A simple HTML alternative, already escaped (see escapeHtml); omitted for text-only mail. */
  html?: string;
  language: MailLanguage | 'en, el';
  date: Date;
  /** Set to make the Message-ID stable (a digest that is retried keeps its id); random otherwise. */
  messageId?: string;
}

/** One line, for a header or a list item: no control or line-separator characters survive. */
export function oneLine(text: string): string {
  // C0/C1 controls, and the Unicode line and paragraph separators.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** A Message-ID in the site's domain. */
export function newMessageId(tag: string, domain: string): string {
  return `<${randomBytes(12).toString('hex')}.${tag}@${domain}>`;
}

/** The message, ready to hand to the outbound path or IMAP APPEND (CRLF line endings). */
export async function composeMail(mail: AppMail): Promise<Buffer> {
  const domain = mail.from.address.split('@').pop() ?? 'localhost';
  const composer = new MailComposer({
    from: { name: oneLine(mail.from.name), address: mail.from.address },
    to: mail.to,
    subject: oneLine(mail.subject),
    // Base64 whatever the script: the parts are mostly Greek or mostly English, and one
    // encoding keeps every reader (and our tests) on one path.
    text: { content: mail.text.replace(/\r\n?/g, '\n'), contentTransferEncoding: 'base64' },
    ...(mail.html === undefined ? {} : { html: { content: mail.html, contentTransferEncoding: 'base64' } }),
    date: mail.date,
    messageId: mail.messageId ?? newMessageId('emailng', domain),
    // RFC 3834: machines must not answer it (vacation replies included).
    headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': mail.language },
    textEncoding: 'B',
    // Nothing here is ever read from a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
