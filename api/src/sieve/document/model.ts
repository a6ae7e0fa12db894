import type { Rule } from '../rules/model.js';
import type { SectionName } from './markers.js';

/** A filter the app can edit: a Roundcube-format `# rule:[Name]` statement (the app writes the same). */
export interface RuleItem {
  kind: 'rule';
  rule: Rule;
  /** How the rule was read; absent for a rule the app adds. */
  origin?: {
    /** The item's full original text (leading trivia, rule comment, statement). */
    text: string;
    /** Trivia before the `# rule:[…]` line, kept when the rule is rewritten. */
    leading: string;
    /** The rule as read, to notice edits. */
    rule: Rule;
  };
  /** Read from a form the app no longer writes (see rules/from-sieve.ts readRule); the filters' next save rewrites it. */
  upgraded?: true;
  /** Print from the model even when it equals the rule as read (how a save upgrades a rule). */
  rewrite?: true;
  /** Brought in from another script (an import): see CustomBlock.imported. */
  imported?: true;
}

/** Sieve the app does not model, kept byte for byte and in place. */
export interface CustomBlock {
  kind: 'custom';
  text: string;
  /** Which tool seems to have written it, for the UI. */
  writer?: 'roundcube' | 'nextcloud' | 'snappymail' | 'sievelib' | 'emailng';
  /** A name the writer gave it, if any. */
  name?: string;
  /** Brought in from another script (an import): the extensions it uses go into the app's
   *  `require`, since this script's own `require`s were written without it. */
  imported?: true;
}

/** A block the app generates from settings, fenced by `# emailng:begin|end <name>`. */
export interface AppSection {
  kind: 'section';
  name: SectionName;
  /** From the begin marker through the end marker's line. */
  text: string;
  /** Trivia before the begin marker. */
  leading: string;
  /** The section text as read; absent for a section the app adds. */
  originText?: string;
}

export type DocumentItem = RuleItem | CustomBlock | AppSection;

export interface SieveDocument {
  /** Line break used for generated text: the script's own, CRLF for a new script. */
  newline: '\r\n' | '\n';
  /** Leading text through the last of the script's initial `require` statements. */
  head: string;
  /** Extensions those `require` statements name, in order (the app's own excepted). */
  requires: string[];
  /** The app's own `require` (a `# emailng:require` line, then the statement), if the script
   *  has one: where it is in `head` and what it lists. The printer rewrites it to what the
   *  app's parts need beyond `requires`; everything else in `head` stays as it is. */
  appRequire?: AppRequire;
  items: DocumentItem[];
  /** Trailing trivia. */
  tail: string;
}

export interface AppRequire {
  /** Offsets in `head`: from the start of the marker line through the statement's line end. */
  start: number;
  end: number;
  capabilities: string[];
}
