import type { WarningLevel } from './levels';

// The quota API's shapes, without I/O: the service fills them, and the SPA imports them
// type-only (web/src/api/types.ts).

/** The folders the user may empty from here: SPAM and Junk by name (the two folders the spam
 *  page files into), Trash by special use \Trash (whatever the client named it). */
export const EMPTYABLE = ['SPAM', 'Junk', 'Trash'] as const;
export type EmptyableFolder = (typeof EMPTYABLE)[number];

export interface FolderUsage {
  path: string;
  name: string;
  specialUse: string | null;
  messages: number;
  bytes: number;
}

export interface QuotaTotals {
  /** Bytes; Dovecot counts in KiB, so usedBytes is a multiple of 1024. Null: no STORAGE quota. */
  storage: { usedBytes: number; limitBytes: number; percent: number | null } | null;
  messages: { used: number; limit: number; percent: number | null } | null;
  /** The fuller of the two, in percent (one decimal, rounded down; over 100 within the grace). */
  percent: number | null;
  /** 0 (none), 80, 90 or 95: the highest level reached by either resource. */
  warningLevel: WarningLevel;
  /** A resource is at or over its limit: new mail is refused (or bounced) until space is freed. */
  full: boolean;
}

export interface QuotaReport extends QuotaTotals {
  /** Every selectable folder, largest first. */
  folders: FolderUsage[];
  /** How folder sizes were measured: STATUS SIZE (RFC 8438) when the server offers it, else the sum of RFC822.SIZE. */
  folderSizes: 'status-size' | 'fetch';
}

export interface EmptyPreview {
  folder: EmptyableFolder;
  /** The folder's IMAP path. */
  path: string;
  messages: number;
  bytes: number;
  /** Send back unchanged: the folder's identity … */
  uidValidity: string;
  /** … and the first UID after what was shown; only messages below it are deleted. */
  uidNext: number;
}

export interface EmptyResult {
  folder: EmptyableFolder;
  /** Messages deleted: exactly those shown in the preview that were still there. */
  deleted: number;
  /** The preview's count. */
  expected: number;
  /** Shown, but already gone when emptying (deleted elsewhere, auto-cleaned). */
  alreadyGone: number;
  /** Arrived after the preview: kept. The UI says so. */
  arrivedSince: number;
  /** Messages in the folder now (those that arrived since). */
  remaining: number;
}
