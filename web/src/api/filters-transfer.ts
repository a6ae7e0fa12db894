import { request } from './client';
import type { FilterRule, FiltersResponse } from './types';

// The filters as a .sieve file (GET api/filters/export, POST api/filters/import…). Its own
// module, loaded with the import panel: the first view's code does not carry it.

export interface ImportedBlock {
  text: string;
  name?: string;
  writer?: string;
}

/** What an import would change (features/filters/transfer-schemas.ts, ImportPreviewSchema). */
export interface ImportPreview {
  etag: string;
  added: FilterRule[];
  changed: FilterRule[];
  removed: FilterRule[];
  unchanged: number;
  customAdded: ImportedBlock[];
  customRemoved: ImportedBlock[];
  customUnchanged: number;
  sectionsSkipped: string[];
  warnings: Array<{ line: number | null; column?: number; message: string }>;
}

/** The largest file the API takes (api/src/features/filters/import-file.ts): 1 MiB and more is refused. */
export const IMPORT_MAX_BYTES = 1024 * 1024;

/** The export's address, relative to the page like every API call (client.ts). */
export const EXPORT_PATH = 'api/filters/export';

/** Bytes as base64, in slices (String.fromCharCode takes only so many arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const transferApi = {
  preview: (file: string) => request<ImportPreview>('POST', 'api/filters/import/preview', { file }),
  import: (file: string, etag: string) => request<FiltersResponse>('POST', 'api/filters/import', { file }, { headers: { 'If-Match': etag } }),
};
