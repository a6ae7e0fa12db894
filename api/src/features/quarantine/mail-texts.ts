import type { HeldReason, HeldRow } from '../../backends/quarantine/store';
import type { AppConfig } from '../../config/load';
import { escapeHtml, oneLine, type AppMail, type MailLanguage, type SiteSender } from '../../shared/mail-composer';
import { heldId } from './ids';

/**
 * The words of the mail held-mail features send: the digest of what was held, and the
 * helpdesk's decision on a release request. Pure: the caller composes and sends.
 *
 * Subjects and senders come from mail the filter held, written by whoever sent it: each is
 * reduced to one line of plain text (no control, bidi or line-separator characters), cut to a
 * readable length, and escaped in the HTML part. Links only open the page; the page asks before
 * it acts, so a mail scanner following them changes nothing.
 */

const MAX_FIELD = 160;

/** Bidi embeddings, overrides and isolates, and the marks: they could reorder what a line shows. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a held message, safe to show on one line. */
export function shown(text: string): string {
  const line = oneLine(text.normalize('NFC').replace(BIDI, ''));
  const chars = [...line];
  return chars.length > MAX_FIELD ? `${chars.slice(0, MAX_FIELD - 1).join('')}…` : line;
}

const WORDS = {
  en: {
    digestSubject: (n: number) => (n === 1 ? 'Held mail: 1 new message' : `Held mail: ${n} new messages`),
    digestIntro: (n: number) =>
      n === 1
        ? 'The content filter held back 1 message addressed to you since the last digest. It was not delivered.'
        : `The content filter held back ${n} messages addressed to you since the last digest. They were not delivered.`,
    digestOutro: (days: number) => `Open a message to see it safely and release or delete it. Held mail is deleted after ${days} days.`,
    more: (n: number) => `… and ${n} more on the Held mail page.`,
    change: 'To change how often you get this digest, or to stop it, use the Held mail page.',
    from: 'From',
    subject: 'Subject',
    noSubject: '(no subject)',
    why: 'Why',
    open: 'Open',
    reasons: { spam: 'spam', virus: 'virus', banned: 'blocked attachment', blocked: 'sender on your block list', other: 'held by the filter' } satisfies Record<HeldReason, string>,
    decisionSubject: (approved: boolean) => (approved ? 'Your release request was approved' : 'Your release request was refused'),
    decisionIntro: (approved: boolean) =>
      approved
        ? 'The helpdesk approved your request: the message below was delivered to your Inbox.'
        : 'The helpdesk refused your request: the message below stays held and will not be delivered.',
    reasonGiven: 'The helpdesk’s reason',
  },
  el: {
    digestSubject: (n: number) => (n === 1 ? 'Κρατημένη αλληλογραφία: 1 νέο μήνυμα' : `Κρατημένη αλληλογραφία: ${n} νέα μηνύματα`),
    digestIntro: (n: number) =>
      n === 1
        ? 'Το φίλτρο περιεχομένου κράτησε 1 μήνυμα προς εσάς από την τελευταία σύνοψη. Δεν παραδόθηκε.'
        : `Το φίλτρο περιεχομένου κράτησε ${n} μηνύματα προς εσάς από την τελευταία σύνοψη. Δεν παραδόθηκαν.`,
    digestOutro: (days: number) =>
      `Ανοίξτε ένα μήνυμα για να το δείτε με ασφάλεια και να το αποδεσμεύσετε ή να το διαγράψετε. Η κρατημένη αλληλογραφία διαγράφεται μετά από ${days} ημέρες.`,
    more: (n: number) => `… και ${n} ακόμη στη σελίδα «Κρατημένη αλληλογραφία».`,
    change: 'Για να αλλάξετε πόσο συχνά λαμβάνετε αυτή τη σύνοψη ή για να τη σταματήσετε, χρησιμοποιήστε τη σελίδα «Κρατημένη αλληλογραφία».',
    from: 'Από',
    subject: 'Θέμα',
    noSubject: '(χωρίς θέμα)',
    why: 'Αιτία',
    open: 'Άνοιγμα',
    reasons: { spam: 'ανεπιθύμητο', virus: 'ιός', banned: 'απαγορευμένο συνημμένο', blocked: 'αποστολέας στη λίστα αποκλεισμού σας', other: 'κρατήθηκε από το φίλτρο' } satisfies Record<HeldReason, string>,
    decisionSubject: (approved: boolean) => (approved ? 'Το αίτημα αποδέσμευσης εγκρίθηκε' : 'Το αίτημα αποδέσμευσης απορρίφθηκε'),
    decisionIntro: (approved: boolean) =>
      approved
        ? 'Η υποστήριξη ενέκρινε το αίτημά σας: το παρακάτω μήνυμα παραδόθηκε στα Εισερχόμενά σας.'
        : 'Η υποστήριξη απέρριψε το αίτημά σας: το παρακάτω μήνυμα παραμένει κρατημένο και δεν θα παραδοθεί.',
    reasonGiven: 'Η αιτιολογία της υποστήριξης',
  },
} as const;

export interface MailContext {
  from: SiteSender;
  /** The app's public origin, e.g. https://thalia.cs.ucy.ac.cy. */
  origin: string;
  timeZone: string;
  retentionDays: number;
}

/** What the site's mail needs from the config; null when the site sends no mail. */
export function mailContextOf(config: AppConfig): MailContext | null {
  if (!config.outbound || !config.quarantine) return null;
  return {
    from: { name: config.outbound.fromName, address: config.outbound.fromAddress },
    origin: config.server.publicOrigin,
    timeZone: config.mail.timeZone,
    retentionDays: config.quarantine.retentionDays,
  };
}

/** The page with that message open: `<origin>/held?open=<id>`. Opening never acts. */
export function heldLink(origin: string, row: HeldRow): string {
  return `${origin}/held?open=${encodeURIComponent(heldId(row.key))}`;
}

function when(date: Date, language: MailLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'el' ? 'el-GR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

interface ShownItem {
  when: string;
  from: string;
  subject: string;
  why: string;
  link: string;
}

function shownItem(row: HeldRow, language: MailLanguage, context: MailContext): ShownItem {
  const words = WORDS[language];
  const subject = shown(row.subject);
  return {
    when: when(row.receivedAt, language, context.timeZone),
    from: shown(row.from || row.sender) || '<>',
    subject: subject === '' ? words.noSubject : subject,
    why: words.reasons[row.reason] + (row.detail ? ` (${shown(row.detail)})` : ''),
    link: heldLink(context.origin, row),
  };
}

const itemText = (item: ShownItem, words: (typeof WORDS)[MailLanguage]) =>
  `* ${item.when}\n  ${words.from}: ${item.from}\n  ${words.subject}: ${item.subject}\n  ${words.why}: ${item.why}` + (item.link ? `\n  ${item.link}` : '');

const itemHtml = (item: ShownItem, words: (typeof WORDS)[MailLanguage]) =>
  `<li><p>${escapeHtml(item.when)}<br>${escapeHtml(words.from)}: ${escapeHtml(item.from)}<br>` +
  `${escapeHtml(words.subject)}: <b>${escapeHtml(item.subject)}</b><br>${escapeHtml(words.why)}: ${escapeHtml(item.why)}` +
  (item.link ? `<br><a href="${escapeHtml(item.link)}">${escapeHtml(words.open)}</a>` : '') +
  '</p></li>';

const page = (language: MailLanguage, body: string) => `<!doctype html><html lang="${language}"><head><meta charset="utf-8"></head><body>${body}</body></html>`;

export function digestMail(input: { to: string; language: MailLanguage; rows: HeldRow[]; total: number; now: Date; messageId: string }, context: MailContext): AppMail {
  const words = WORDS[input.language];
  const items = input.rows.map((row) => shownItem(row, input.language, context));
  const more = input.total - items.length;
  const text = [
    words.digestIntro(input.total),
    '',
    ...items.map((item) => `${itemText(item, words)}\n`),
    ...(more > 0 ? [words.more(more), ''] : []),
    words.digestOutro(context.retentionDays),
    `${context.origin}/held`,
    '',
    words.change,
    '',
  ].join('\n');
  const html = page(
    input.language,
    `<p>${escapeHtml(words.digestIntro(input.total))}</p><ul>${items.map((item) => itemHtml(item, words)).join('')}</ul>` +
      (more > 0 ? `<p>${escapeHtml(words.more(more))}</p>` : '') +
      `<p>${escapeHtml(words.digestOutro(context.retentionDays))}</p><p><a href="${escapeHtml(`${context.origin}/held`)}">${escapeHtml(`${context.origin}/held`)}</a></p>` +
      `<p><small>${escapeHtml(words.change)}</small></p>`,
  );
  return { from: context.from, to: input.to, subject: words.digestSubject(input.total), text, html, language: input.language, date: input.now, messageId: input.messageId };
}

export function decisionMail(
  input: { to: string; language: MailLanguage; row: HeldRow; approved: boolean; reason: string; now: Date },
  context: MailContext,
): AppMail {
  const words = WORDS[input.language];
  // An approved message has left the page; a refused one is still there to look at.
  const item = { ...shownItem(input.row, input.language, context), ...(input.approved ? { link: '' } : {}) };
  // The helpdesk's own words, kept as lines (the schema refuses control characters in them).
  const reason = input.reason.split(/\r?\n/).map(shown).join('\n');
  const text = [words.decisionIntro(input.approved), '', itemText(item, words), '', `${words.reasonGiven}:`, reason, ''].join('\n');
  const html = page(
    input.language,
    `<p>${escapeHtml(words.decisionIntro(input.approved))}</p><ul>${itemHtml(item, words)}</ul>` +
      `<p>${escapeHtml(words.reasonGiven)}:</p><blockquote>${reason.split('\n').map(escapeHtml).join('<br>')}</blockquote>`,
  );
  return { from: context.from, to: input.to, subject: words.decisionSubject(input.approved), text, html, language: input.language, date: input.now };
}
