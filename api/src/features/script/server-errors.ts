/** One problem the server (Pigeonhole) found in a script. */
export interface ScriptProblem {
  /** 1-based line, when the server said which. */
  line: number | null;
  column?: number;
  message: string;
}

/**
 * Splits Pigeonhole's CHECKSCRIPT/PUTSCRIPT text into problems. It writes one per line:
 * `line 3: error: unknown command 'foo' (…).`, `line 7, column 2: …`, and ends with a summary
 * (`error: validation failed.`) that carries no line: summaries are dropped when a located
 * problem exists, so the editor marks lines rather than repeating the obvious. PUTSCRIPT puts
 * the script's name in front of each line (`emailng: line 3: …`): give `scriptName` to drop it.
 */
export function parseServerProblems(text: string | undefined, scriptName?: string): ScriptProblem[] {
  if (!text) return [];
  const problems: ScriptProblem[] = [];
  const unlocated: ScriptProblem[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (scriptName !== undefined && line.startsWith(`${scriptName}: `)) line = line.slice(scriptName.length + 2);
    if (line === '') continue;
    const m = /^line (\d+)(?:, column (\d+))?: (?:(?:error|warning): )?(.*)$/i.exec(line);
    if (m) {
      problems.push({ line: Number(m[1]), ...(m[2] ? { column: Number(m[2]) } : {}), message: (m[3] as string).trim() });
    } else {
      unlocated.push({ line: null, message: line.replace(/^(?:error|warning): /i, '') });
    }
  }
  return problems.length > 0 ? problems : unlocated;
}
