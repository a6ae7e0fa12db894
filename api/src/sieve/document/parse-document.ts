import type { Command, Comment, Script, Test } from '../ast.js';
import { SieveSyntaxError } from '../errors.js';
import { parseScript, parseTest } from '../parser.js';
import { readRule } from '../rules/from-sieve.js';
import { APP_SECTIONS, isAppRequireMarker, isSnappymailFilter, readMarker, roundcubeRuleName, sievelibFilterName, type Marker, type SectionName } from './markers.js';
import type { CustomBlock, DocumentItem, SieveDocument } from './model.js';

interface Statement {
  commands: Command[];
  /** Start of the trivia before it. */
  leadStart: number;
  start: number;
  end: number;
}

interface OpenFence {
  marker: Marker;
  /** Where the item containing the fence starts (trivia before the begin marker included). */
  itemStart: number;
  markerStart: number;
}

/**
 * Splits a script into the rules the app can edit, the sections it generated, and custom
 * blocks kept verbatim. Concatenating head, item texts and tail gives back the input.
 * Throws SieveSyntaxError for a script that does not parse.
 */
export function parseDocument(text: string): SieveDocument {
  const script = parseScript(text);
  const statements = groupStatements(script);
  let headCount = 0;
  while (statements[headCount]?.commands[0]?.name.toLowerCase() === 'require') headCount++;
  const headEnd = headCount > 0 ? (statements[headCount - 1] as Statement).end : 0;
  const own = findAppRequire(text, script.comments, statements.slice(0, headCount));
  const requires = statements
    .slice(0, headCount)
    .filter((s) => s !== own?.statement)
    .flatMap((s) => requireNames(s.commands[0] as Command));

  const comments = new CommentCursor(text, script.comments);
  // A Nextcloud block may open among the requires; carry its state over.
  let fence: OpenFence | null = null;
  comments.markersBefore(headEnd).forEach((m) => {
    if (m.marker.kind === 'nextcloud') fence = fence ? null : { marker: m.marker, itemStart: headEnd, markerStart: headEnd };
  });

  const items: DocumentItem[] = [];
  const ids = new IdSource();
  let cursor = headEnd;
  let head = text.slice(0, headEnd);
  const firstBodyStart = statements[headCount]?.start ?? text.length;
  const handleMarkers = (from: number, until: number) => {
    for (const { marker, lineStart, lineEnd } of comments.markersBefore(until, from)) {
      if (!fence) {
        if (marker.kind === 'app-begin' || marker.kind === 'nextcloud') fence = { marker, itemStart: cursor, markerStart: lineStart };
      } else if (closes(fence.marker, marker)) {
        if (headCount > 0 && fence.markerStart === headEnd && lineEnd <= firstBodyStart) {
          // The block that held the requires closes right after them: it belongs to the head.
          head = text.slice(0, lineEnd);
        } else {
          items.push(fenceItem(text, fence, lineEnd));
        }
        cursor = lineEnd;
        fence = null;
      }
    }
  };

  for (const statement of statements.slice(headCount)) {
    handleMarkers(statement.leadStart, statement.start);
    if (fence) continue;
    items.push(statementItem(text, script.comments, statement, cursor, ids));
    cursor = statement.end;
  }
  const lastEnd = statements.at(-1)?.end ?? 0;
  handleMarkers(lastEnd, text.length);
  const unclosed = fence as OpenFence | null;
  if (unclosed && lastEnd > unclosed.itemStart) {
    // An unclosed fence is not trusted as the app's: keep what it holds verbatim.
    items.push({ kind: 'custom', text: text.slice(unclosed.itemStart, lastEnd) });
    cursor = lastEnd;
  }
  return {
    newline: text.includes('\r\n') || !text.includes('\n') ? '\r\n' : '\n',
    head,
    requires,
    ...(own ? { appRequire: { start: own.start, end: own.statement.end, capabilities: requireNames(own.statement.commands[0] as Command) } } : {}),
    items,
    tail: text.slice(cursor),
  };
}

function closes(open: Marker, candidate: Marker): boolean {
  if (open.kind === 'nextcloud') return candidate.kind === 'nextcloud' && candidate.title === open.title;
  return open.kind === 'app-begin' && candidate.kind === 'app-end' && candidate.name === open.name;
}

function fenceItem(text: string, fence: OpenFence, end: number): DocumentItem {
  const body = text.slice(fence.markerStart, end);
  const leading = text.slice(fence.itemStart, fence.markerStart);
  if (fence.marker.kind === 'app-begin' && (APP_SECTIONS as readonly string[]).includes(fence.marker.name)) {
    return { kind: 'section', name: fence.marker.name as SectionName, text: body, leading, originText: body };
  }
  const writer = fence.marker.kind === 'nextcloud' ? 'nextcloud' : 'emailng';
  const name = fence.marker.kind === 'nextcloud' ? fence.marker.title : fence.marker.kind === 'app-begin' ? fence.marker.name : undefined;
  return { kind: 'custom', text: leading + body, writer, ...(name !== undefined ? { name } : {}) };
}

/** Top-level statements, with an `if` and its `elsif`/`else` branches kept together. */
function groupStatements(script: Script): Statement[] {
  const out: Statement[] = [];
  for (const cmd of script.commands) {
    const leading = cmd.source?.leading ?? '';
    const start = cmd.span?.start ?? 0;
    const end = start + (cmd.source?.text.length ?? 0);
    const name = cmd.name.toLowerCase();
    const previous = out.at(-1);
    const previousName = previous?.commands.at(-1)?.name.toLowerCase();
    if (previous && (name === 'elsif' || name === 'else') && (previousName === 'if' || previousName === 'elsif')) {
      previous.commands.push(cmd);
      previous.end = end;
    } else {
      out.push({ commands: [cmd], leadStart: start - leading.length, start, end });
    }
  }
  return out;
}

function statementItem(text: string, comments: readonly Comment[], statement: Statement, itemStart: number, ids: IdSource): DocumentItem {
  const itemText = text.slice(itemStart, statement.end);
  const leadingComments = comments.filter((c) => c.span.start >= itemStart && c.span.end <= statement.start);
  let ruleName: string | null = null;
  let ruleLineStart = itemStart;
  let custom: Omit<CustomBlock, 'kind' | 'text'> = {};
  for (const c of leadingComments) {
    const commentText = text.slice(c.span.start, c.span.end);
    const name = c.kind === 'hash' ? roundcubeRuleName(commentText) : null;
    if (name !== null) {
      ruleName = name;
      ruleLineStart = text.lastIndexOf('\n', c.span.start - 1) + 1;
      if (ruleLineStart < itemStart) ruleLineStart = itemStart;
      custom = { writer: 'roundcube', name };
    } else if (c.kind === 'hash' && sievelibFilterName(commentText) !== null) {
      custom = { writer: 'sievelib', name: sievelibFilterName(commentText) as string };
    } else if (c.kind === 'bracket' && isSnappymailFilter(commentText)) {
      custom = { writer: 'snappymail' };
    }
  }
  const [cmd, ...others] = statement.commands;
  if (ruleName !== null && cmd && others.length === 0) {
    const read = readRule(cmd, { id: ids.next(itemText), name: ruleName, disabledTest: disabledTest(text, comments, cmd) });
    if (read) {
      const { rule, upgraded } = read;
      return { kind: 'rule', rule, origin: { text: itemText, leading: text.slice(itemStart, ruleLineStart), rule: structuredClone(rule) }, ...(upgraded ? { upgraded } : {}) };
    }
  }
  return { kind: 'custom', text: itemText, ...custom };
}

/** Roundcube disables a rule as `if false # <its test>`: read the test back from the comment. */
function disabledTest(text: string, comments: readonly Comment[], cmd: Command): Test | undefined {
  const falseTest = cmd.tests[0];
  if (!falseTest?.span || falseTest.name.toLowerCase() !== 'false' || !cmd.span) return undefined;
  const after = falseTest.span.end;
  const comment = comments.find((c) => c.kind === 'hash' && c.span.start >= after && c.span.start < (cmd.span?.end ?? 0));
  if (!comment || text.slice(after, comment.span.start).trim() !== '') return undefined;
  try {
    return parseTest(text.slice(comment.span.start + 1, comment.span.end).trim());
  } catch (error) {
    if (error instanceof SieveSyntaxError) return undefined;
    throw error;
  }
}

/**
 * The app's own `require`: the last of the head's `require`s whose line is right below a
 * `# emailng:require` line (the marker alone on its line). `start` is where the marker line
 * starts.
 */
function findAppRequire(text: string, comments: readonly Comment[], head: readonly Statement[]): { statement: Statement; start: number } | null {
  for (let i = head.length - 1; i >= 0; i--) {
    const statement = head[i] as Statement;
    const marker = comments.findLast((c) => c.span.start >= statement.leadStart && c.span.end <= statement.start);
    if (marker?.kind !== 'hash' || !isAppRequireMarker(text.slice(marker.span.start, marker.span.end))) continue;
    const lineStart = text.lastIndexOf('\n', marker.span.start - 1) + 1;
    const markerToStatement = text.slice(marker.span.start, statement.start);
    const nextLine = markerToStatement.split('\n').length === 2 && text.slice(marker.span.end, statement.start).trim() === '';
    if (text.slice(lineStart, marker.span.start).trim() !== '' || !nextLine) continue;
    return { statement, start: lineStart };
  }
  return null;
}

function requireNames(cmd: Command): string[] {
  return cmd.arguments.flatMap((a) => (a.type === 'string' ? [a.value] : a.type === 'string-list' ? a.items : []));
}

/** Walks the hash comments once, in order, yielding the markers before an offset. */
class CommentCursor {
  private index = 0;
  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
  ) {}

  /** Markers in [from, until); comments before `from` (inside statements) are skipped. */
  markersBefore(until: number, from = 0): Array<{ marker: Marker; lineStart: number; lineEnd: number }> {
    const out: Array<{ marker: Marker; lineStart: number; lineEnd: number }> = [];
    while (this.index < this.comments.length && (this.comments[this.index] as Comment).span.start < until) {
      const c = this.comments[this.index++] as Comment;
      if (c.kind !== 'hash' || c.span.start < from) continue;
      const marker = readMarker(this.text.slice(c.span.start, c.span.end));
      const lineStart = this.text.lastIndexOf('\n', c.span.start - 1) + 1;
      // Only a marker alone on its line counts (not one trailing a statement).
      if (marker && this.text.slice(lineStart, c.span.start).trim() === '') out.push({ marker, lineStart, lineEnd: c.span.end });
    }
    return out;
  }
}

/** Ids stable for unchanged text: a hash of the rule's source, numbered on repeats. */
class IdSource {
  private readonly seen = new Map<string, number>();
  next(source: string): string {
    let hash = 0x811c9dc5;
    for (let i = 0; i < source.length; i++) hash = Math.imul(hash ^ source.charCodeAt(i), 0x01000193);
    const base = 'r' + (hash >>> 0).toString(36);
    const count = this.seen.get(base) ?? 0;
    this.seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  }
}
