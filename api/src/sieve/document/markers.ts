/** Comment lines that delimit blocks of a script. */

export const APP_SECTIONS = ['allow-block', 'spam', 'forwarding', 'vacation'] as const;
export type SectionName = (typeof APP_SECTIONS)[number];

export type Marker =
  | { kind: 'app-begin'; name: string }
  | { kind: 'app-end'; name: string }
  /** Nextcloud Mail writes the same line to open and to close its blocks. */
  | { kind: 'nextcloud'; title: string };

const APP_BEGIN = /^#\s*emailng:begin\s+([a-z-]+)\s*$/;
const APP_END = /^#\s*emailng:end\s+([a-z-]+)\s*$/;
const NEXTCLOUD = /^### Nextcloud Mail: (.+?) ### DON'T EDIT ###\s*$/;

export const appBeginMarker = (name: SectionName): string => `# emailng:begin ${name}`;
export const appEndMarker = (name: SectionName): string => `# emailng:end ${name}`;

/**
 * The line right above the app's own `require`: the extensions its rules and sections need
 * beyond the script's other `require`s. Marked so the app rewrites that one statement (and
 * only it) on each save instead of adding another `require` every time.
 */
export const APP_REQUIRE_MARKER = '# emailng:require';
const APP_REQUIRE = /^#\s*emailng:require\s*$/;
export const isAppRequireMarker = (commentText: string): boolean => APP_REQUIRE.test(commentText.replace(/\r?\n$/, ''));

export function readMarker(commentText: string): Marker | null {
  const line = commentText.replace(/\r?\n$/, '');
  let m = APP_BEGIN.exec(line);
  if (m) return { kind: 'app-begin', name: m[1] as string };
  m = APP_END.exec(line);
  if (m) return { kind: 'app-end', name: m[1] as string };
  m = NEXTCLOUD.exec(line);
  if (m) return { kind: 'nextcloud', title: m[1] as string };
  return null;
}

/** Roundcube's rule announcement; the name runs to the last `]` on the line. */
const ROUNDCUBE_RULE = /^# rule:\[([^\r\n]*)\]/;
/** sievelib / Modoboa announce filters as `# Filter: name`. */
const SIEVELIB_FILTER = /^# Filter: ([^\r\n]*)$/;
/** SnappyMail (and RainLoop before it) open each filter with a bracket comment. */
const SNAPPYMAIL_FILTER = /BEGIN:FILTER/;

export const roundcubeRuleName = (commentText: string): string | null => ROUNDCUBE_RULE.exec(commentText.replace(/\r?\n$/, ''))?.[1] ?? null;
export const sievelibFilterName = (commentText: string): string | null => SIEVELIB_FILTER.exec(commentText.replace(/\r?\n$/, ''))?.[1]?.trim() ?? null;
export const isSnappymailFilter = (commentText: string): boolean => SNAPPYMAIL_FILTER.test(commentText);
