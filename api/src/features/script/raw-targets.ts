import { parseScript, SieveSyntaxError, type Command } from '../../sieve';
import type { ScriptProblem } from './server-errors';

// Control characters, Unicode format characters (BOM, zero-width, bidi), line separators.
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

function* fileintoCommands(commands: readonly Command[]): Generator<Command> {
  for (const command of commands) {
    if (command.name.toLowerCase() === 'fileinto') yield command;
    if (command.block) yield* fileintoCommands(command.block);
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * `fileinto` targets in raw Sieve that hold characters a folder list does not show: the
 * server takes them and creates a folder that looks like another (`\ufeffINBOX`). The folder
 * page and the rule builder refuse such names (folders/names.ts); the raw editor refuses them
 * too, one problem per target at its line. A script our parser cannot read is left to the
 * server's judgement.
 */
export function hiddenCharacterTargets(text: string): ScriptProblem[] {
  let commands: Command[];
  try {
    commands = parseScript(text).commands;
  } catch (error) {
    if (error instanceof SieveSyntaxError) return [];
    throw error;
  }
  const problems: ScriptProblem[] = [];
  for (const command of fileintoCommands(commands)) {
    const strings = command.arguments.filter((a) => a.type === 'string');
    const target = strings[strings.length - 1];
    const hidden = target ? HIDDEN.exec(target.value) : null;
    if (!target || !hidden) continue;
    problems.push({
      line: command.span ? lineAt(text, command.span.start) : null,
      message: `the folder name ${JSON.stringify(target.value)} holds an invisible or control character (${codePoint(hidden[0])}): it would make a folder that looks like another`,
    });
  }
  return problems;
}
