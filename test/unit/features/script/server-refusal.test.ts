import { describe, expect, it } from 'vitest';
import { ManageSieveError } from '../../../../api/src/backends/managesieve';
import { errorStatus, ApiError } from '../../../../api/src/http/errors';
import { serverRefusal } from '../../../../api/src/features/script/server-refusal';

const no = (code: ConstructorParameters<typeof ManageSieveError>[0], responseCode?: string, serverText?: string) =>
  new ManageSieveError(code, `X answered NO`, { ...(responseCode ? { responseCode } : {}), ...(serverText ? { serverText } : {}) });

describe('a refusal of the ManageSieve server, as the API answers it', () => {
  it('is a 4xx with a code for every NO the server can give, never a 500', () => {
    const cases: Array<[ManageSieveError, string]> = [
      [no('COMMAND_FAILED', undefined, 'Cannot upload empty script.'), 'script_rejected'], // HAVESPACE 0
      [no('COMMAND_FAILED', undefined, 'emailng: line 3: error: unknown command \'foo\'.\r\nerror: validation failed.\r\n'), 'script_rejected'],
      [no('COMMAND_FAILED'), 'script_rejected'],
      [no('QUOTA', 'QUOTA/MAXSIZE', 'Script is too large (max 1048576 bytes).'), 'payload_too_large'],
      [no('QUOTA', 'QUOTA/MAXSCRIPTS', 'Script count quota exceeded.'), 'script_rejected'],
      [no('QUOTA', 'QUOTA', 'Quota exceeded.'), 'script_rejected'],
      [no('NONEXISTENT', 'NONEXISTENT'), 'conflict'],
      [no('ACTIVE', 'ACTIVE'), 'conflict'],
      [no('ALREADYEXISTS', 'ALREADYEXISTS'), 'conflict'],
      [no('BAD_ARGUMENT'), 'validation'],
    ];
    for (const [error, code] of cases) {
      const mapped = serverRefusal(error, 'emailng');
      expect(mapped, `${error.code} ${error.responseCode}`).toBeInstanceOf(ApiError);
      expect((mapped as ApiError).code).toBe(code);
      expect(errorStatus[code as keyof typeof errorStatus]).toBeLessThan(500);
    }
  });

  it('keeps the server’s words, per line without the script’s name', () => {
    const mapped = serverRefusal(no('COMMAND_FAILED', undefined, 'emailng: line 3: error: unknown command \'foo\'.\r\nerror: validation failed.\r\n'), 'emailng') as ApiError;
    expect(mapped.extra.errors).toEqual([{ line: 3, message: "unknown command 'foo'." }]);
    expect(mapped.extra.serverText).toContain('line 3');
    const empty = serverRefusal(no('COMMAND_FAILED', undefined, 'Cannot upload empty script.')) as ApiError;
    expect(empty.extra.errors).toEqual([{ line: null, message: 'Cannot upload empty script.' }]);
  });

  it('leaves what is no refusal as it was: a lost connection, an error of ours', () => {
    for (const error of [no('CLOSED'), no('TIMEOUT'), no('ALL_ENDPOINTS_FAILED'), new Error('bug')]) expect(serverRefusal(error)).toBe(error);
  });
});
