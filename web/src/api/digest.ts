import { request } from './client';
import type { DigestChoice } from '../../../api/src/features/quarantine/schemas';

// The held-mail digest's choice, asked for only by the Held mail page (not the first view).
export type { DigestChoice };

export const digestApi = {
  get: () => request<DigestChoice>('GET', 'api/quarantine/digest'),
  save: (body: DigestChoice) => request<DigestChoice>('PUT', 'api/quarantine/digest', body),
};
