/**
 * Size limits of the ManageSieve client, each with the reason for its value. They bound the
 * memory one connection can make us hold, so a broken or hostile peer cannot grow a buffer
 * without end.
 */

/**
 * Longest response line we accept, counted without the literals embedded in it. A Dovecot
 * capability line listing every Sieve extension is under 1 KiB and Dovecot's own
 * `managesieve_max_line_length` is 64 KiB; anything longer is not a server we understand.
 */
export const MAX_RESPONSE_LINE_OCTETS = 64 * 1024;

/**
 * Largest literal we accept from the server (a script from GETSCRIPT, or the text of a NO).
 * Pigeonhole's `sieve_max_script_size` defaults to 1 MiB, so 8 MiB leaves room for sites that
 * raise it while still bounding memory per connection.
 */
export const MAX_LITERAL_OCTETS = 8 * 1024 * 1024;

/**
 * Most octets one whole response (data lines plus the final OK/NO/BYE) may take. LISTSCRIPTS
 * has one line per script; this bounds a response that never ends.
 */
export const MAX_RESPONSE_OCTETS = 16 * 1024 * 1024;

/**
 * RFC 5804 section 4: `quoted = DQUOTE *1024QUOTED-CHAR DQUOTE`. Longer strings are sent as
 * literals by the request builder.
 */
export const MAX_QUOTED_OCTETS = 1024;

/**
 * RFC 5804 section 1.6: servers must accept script names of at least 128 Unicode characters
 * and may refuse longer ones (Pigeonhole allows 256). We stay within what every server must
 * accept, so a name that works here works everywhere.
 */
export const MAX_SCRIPT_NAME_CHARS = 128;

/**
 * RFC 5804 section 4: `number = 1*DIGIT ;; a 32-bit unsigned number`. HAVESPACE sizes above
 * this cannot be expressed on the wire.
 */
export const MAX_PROTOCOL_NUMBER = 4_294_967_295;
