import type { RowKey } from '../../backends/quarantine/store';

/**
 * The id the browser sees for one recipient row of a held message: the row's key, encoded.
 * Opaque and never the release secret; a valid-looking id proves nothing (every query is
 * scoped to the signed-in user's addresses).
 */

const MAIL_ID = /^[A-Za-z0-9+/_-]{1,64}$/;

export function heldId(key: RowKey): string {
  return Buffer.from(`${key.partitionTag}.${key.rseqnum}.${key.mailId}`, 'utf8').toString('base64url');
}

/** The row key of an id, or null when it is not one the app made. */
export function parseHeldId(id: string): RowKey | null {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) return null;
  const [partition, rseqnum, ...rest] = Buffer.from(id, 'base64url').toString('utf8').split('.');
  const mailId = rest.join('.');
  if (!/^\d{1,9}$/.test(partition ?? '') || !/^\d{1,9}$/.test(rseqnum ?? '') || !MAIL_ID.test(mailId)) return null;
  const key = { partitionTag: Number(partition), rseqnum: Number(rseqnum), mailId };
  // Only the canonical spelling: no padding tricks, no leading zeros.
  return heldId(key) === id ? key : null;
}
