import { describe, expect, it } from 'vitest';
import { ApiError, describeError, errorFromBody } from '../../../web/src/api/errors';

describe('errorFromBody', () => {
  it('keeps the contract fields of an API error', () => {
    const err = errorFromBody(400, {
      code: 'validation',
      message: 'bad',
      requestId: 'r1',
      fields: { username: 'required', password: 7 },
    });
    expect(err.code).toBe('validation');
    expect(err.status).toBe(400);
    expect(err.requestId).toBe('r1');
    expect(err.fields).toEqual({ username: 'required' });
  });

  it('turns bodies outside the contract into `unexpected`', () => {
    expect(errorFromBody(502, null).code).toBe('unexpected');
    expect(errorFromBody(418, { code: 'teapot' }).code).toBe('unexpected');
  });

  it('takes retryAfter from the body, else from a numeric Retry-After header', () => {
    expect(errorFromBody(429, { code: 'rate_limited', retryAfter: 30 }, '999').retryAfter).toBe(30);
    expect(errorFromBody(429, { code: 'rate_limited' }, '45').retryAfter).toBe(45);
    expect(errorFromBody(429, { code: 'rate_limited' }, 'Wed, 21 Oct 2015 07:28:00 GMT').retryAfter).toBeUndefined();
  });
});

describe('describeError', () => {
  const rateLimited = (retryAfter: number | undefined) => new ApiError({ code: 'rate_limited', status: 429, retryAfter });

  it('counts seconds below two minutes and whole minutes (rounded up) from there', () => {
    expect(describeError(rateLimited(1))).toMatchObject({ key: 'errors.rate_limited_seconds', count: 1 });
    expect(describeError(rateLimited(119))).toMatchObject({ key: 'errors.rate_limited_seconds', count: 119 });
    expect(describeError(rateLimited(120))).toMatchObject({ key: 'errors.rate_limited_minutes', count: 2 });
    expect(describeError(rateLimited(121))).toMatchObject({ key: 'errors.rate_limited_minutes', count: 3 });
    expect(describeError(rateLimited(0.2))).toMatchObject({ key: 'errors.rate_limited_seconds', count: 1 });
    expect(describeError(rateLimited(undefined))).toMatchObject({ key: 'errors.rate_limited_seconds', count: 60 });
  });

  it('counts the wait for a folder scan the same way, under its own message', () => {
    const scanLimited = (retryAfter: number) => new ApiError({ code: 'scan_limited', status: 429, retryAfter });
    expect(describeError(scanLimited(5))).toMatchObject({ key: 'errors.scan_limited_seconds', count: 5 });
    expect(describeError(scanLimited(300))).toMatchObject({ key: 'errors.scan_limited_minutes', count: 5 });
  });

  it('maps every other code to its own message, with the request id for the helpdesk', () => {
    const d = describeError(new ApiError({ code: 'internal', status: 500, requestId: 'abc' }));
    expect(d).toEqual({ key: 'errors.internal', params: { code: 'internal', requestId: 'abc' } });
    expect(describeError(new ApiError({ code: 'network', status: 0 })).key).toBe('errors.network');
  });

  it('shows the HTTP status for unexpected answers, and handles non-API errors', () => {
    expect(describeError(new ApiError({ code: 'unexpected', status: 502 })).params.code).toBe('502');
    expect(describeError(new TypeError('x')).key).toBe('errors.unexpected');
  });
});
