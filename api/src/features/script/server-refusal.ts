import { ManageSieveError } from '../../backends/managesieve';
import { ApiError } from '../../http/errors';
import { parseServerProblems } from './server-errors';

/**
 * A ManageSieve refusal as the API's answer: a 4xx with a code the SPA translates and the
 * server's own words beside it, never a 500. Callers handle the refusals they expect with a
 * better message first; this is where every other one ends, so no path of the script
 * feature turns a NO of the server into an internal error.
 *
 * - QUOTA/MAXSIZE (a script over sieve_max_script_size): payload_too_large (413)
 * - other QUOTA (too many scripts, the user's Sieve storage full), a NO without a code
 *   (CHECKSCRIPT/PUTSCRIPT/HAVESPACE refusing the text): script_rejected (422), problems per line
 * - NONEXISTENT, ACTIVE, ALREADYEXISTS (a script changed by another program meanwhile): conflict (409)
 * - BAD_ARGUMENT (a name or size our client would not send): validation (400)
 * Anything else (the connection, the protocol) is not a refusal and is returned as it was.
 */
export function serverRefusal(error: unknown, scriptName?: string): unknown {
  if (!(error instanceof ManageSieveError)) return error;
  const words = error.serverText?.trim() ?? '';
  const serverText = error.serverText ? { serverText: error.serverText } : {};
  switch (error.code) {
    case 'QUOTA': {
      if (error.responseCode === 'QUOTA/MAXSIZE') {
        return new ApiError('payload_too_large', `the mail server does not take a script this large: ${words || 'over its size limit'}; nothing was saved`, serverText);
      }
      const why = `the mail server has no room for this script: ${words || 'over its size or count limit'}; nothing was saved`;
      return new ApiError('script_rejected', why, { ...serverText, errors: [{ line: null, message: words || why }] });
    }
    case 'COMMAND_FAILED': {
      const errors = parseServerProblems(error.serverText, scriptName);
      return new ApiError('script_rejected', `the mail server refused the script${words ? `: ${words}` : ''}; nothing was saved`, {
        ...serverText,
        errors: errors.length > 0 ? errors : [{ line: null, message: words || 'refused' }],
      });
    }
    case 'NONEXISTENT':
    case 'ACTIVE':
    case 'ALREADYEXISTS':
      return new ApiError('conflict', `your scripts changed meanwhile (${error.code.toLowerCase()}); reload: nothing was saved`);
    case 'BAD_ARGUMENT':
      return new ApiError('validation', error.message, { fields: { name: 'invalid' } });
    default:
      return error;
  }
}
