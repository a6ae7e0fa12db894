// Helpers for the fault tests (users load178 … load199). Tests here stop stack pieces for a
// few seconds and always start them again in `finally`/afterAll.
import { expect } from 'vitest';
import { ApiClient } from '../../support/http';
import { pieceRunning, startPiece, stopPiece, type Piece } from '../../support/stack';

export function vacationBody(subject: string): Record<string, unknown> {
  return { enabled: true, start: null, end: null, timeZone: 'Europe/Nicosia', subject, message: 'Away for a while.', intervalDays: 7, from: null };
}

export async function signedIn(url: string, uid: string): Promise<ApiClient> {
  const client = new ApiClient(url);
  const res = await client.signIn(uid, 'load-pass');
  expect(res.status, `sign-in ${uid}: ${res.text}`).toBe(200);
  return client;
}

export async function saveVacation(client: ApiClient, subject: string) {
  const view = await client.request('GET', '/api/vacation');
  if (view.status !== 200) return view;
  return client.request('PUT', '/api/vacation', { json: vacationBody(subject), headers: { 'if-match': String(view.body.etag) } });
}

/** Stops `pieces`, runs `work`, and starts them again whatever happened. */
export async function withStopped<T>(pieces: Piece[], work: () => Promise<T>): Promise<T> {
  try {
    for (const p of pieces) await stopPiece(p);
    return await work();
  } finally {
    for (const p of pieces) if (!(await pieceRunning(p))) await startPiece(p);
  }
}

/** Makes sure every piece runs (after a test that was killed midway). */
export async function allRunning(): Promise<void> {
  for (const p of ['ldap', 'backend', 'theano', 'elysso'] as const) if (!(await pieceRunning(p))) await startPiece(p);
}
