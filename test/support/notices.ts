/** The texts of the notices the app left in a mailbox (features/forwarding/notice.ts), decoded, oldest first. */
export function decodedNotices(messages: string[]): string[] {
  return messages
    .filter((m) => m.includes('forwarding@cs.ucy.ac.cy>'))
    .map((m) => Buffer.from(m.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64').toString('utf8'));
}
