/** A server's final answer to a command (RFC 5804 §1.2): what the parser produces and errors.ts reads. */
export interface ResponseCode {
  /** Upper-cased, as `QUOTA/MAXSIZE`, `WARNINGS`, `TAG`. */
  name: string;
  /** Arguments after the name, flattened to their text (`(SASL "…")`, `(TAG "…")`). */
  args: string[];
}

export interface ManageSieveResponse {
  kind: 'OK' | 'NO' | 'BYE';
  code?: ResponseCode;
  /** Human text, exactly as sent (a literal keeps its line breaks). */
  text?: string;
}
