import { convert } from 'html-to-text';
import PostalMime, { decodeWords } from 'postal-mime';

/**
 * What the preview of a held message shows: a few headers, its text, and the names of its
 * attachments. Held mail is hostile by assumption, so nothing here is ever rendered: HTML
 * becomes plain text (links and images dropped), attachments are only listed, and broken
 * encodings come out as replacement characters rather than errors.
 */

export interface MessagePreview {
  headers: Array<{ name: string; value: string }>;
  /** The plain-text part, or the HTML part as text; '' when the message has neither. */
  text: string;
  textSource: 'plain' | 'html' | 'none';
  attachments: Array<{ filename: string; mimeType: string; size: number }>;
  /** The message was longer than the part read, or its text was cut. */
  truncated: boolean;
}

const SHOWN_HEADERS = ['from', 'sender', 'reply-to', 'to', 'cc', 'date', 'subject', 'message-id', 'list-id'];
const MAX_TEXT_CHARS = 100_000;
const MAX_HEADER_CHARS = 2_000;
const MAX_ATTACHMENTS = 200;

/** Controls (C0, DEL, C1) and bidi overrides out of anything shown; the text keeps its line
 *  breaks and tabs, a header line becomes one line. */
const HIDDEN = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
const clean = (value: string, keepLines: boolean): string =>
  value.replace(HIDDEN, (c) => (!keepLines ? ' ' : c === '\n' || c === '\t' ? c : ''));

export async function previewMessage(raw: Uint8Array, cutShort: boolean): Promise<MessagePreview> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const headers = email.headers
    .filter((h) => SHOWN_HEADERS.includes(h.key))
    .map((h) => ({ name: h.key, value: clean(decodeWords(h.value), false).slice(0, MAX_HEADER_CHARS) }));
  let text = '';
  let textSource: MessagePreview['textSource'] = 'none';
  if (email.text !== undefined && email.text.trim() !== '') {
    text = email.text;
    textSource = 'plain';
  } else if (email.html !== undefined && email.html.trim() !== '') {
    text = convert(email.html, {
      wordwrap: false,
      selectors: [
        { selector: 'a', options: { ignoreHref: true } },
        { selector: 'img', format: 'skip' },
        { selector: 'script', format: 'skip' },
        { selector: 'style', format: 'skip' },
      ],
    });
    textSource = 'html';
  }
  const textCut = text.length > MAX_TEXT_CHARS;
  return {
    headers,
    text: clean(textCut ? text.slice(0, MAX_TEXT_CHARS) : text, true),
    textSource,
    attachments: email.attachments.slice(0, MAX_ATTACHMENTS).map((a) => ({
      filename: clean(a.filename ?? '', false).slice(0, 255),
      mimeType: clean(a.mimeType, false).slice(0, 255),
      size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
    })),
    truncated: cutShort || textCut || email.attachments.length > MAX_ATTACHMENTS,
  };
}
