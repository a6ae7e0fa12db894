import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadUser } from '../support/stack';
import { activeScript, putActiveScript } from '../support/feature';
import { seriousAxeViolations } from './helpers';
import { screenshot, useSettingsSuite, type OpenOptions } from './settings-support';

// Issue 18 on the rule list (#/filters): the search across rules (Greek without accents, case
// or final sigma), export and import of a .sieve file with its preview, and a rule saved
// without a name, in English and Greek at 360 and 1280 px. Users load185, load188 and load019
// are this suite's own (the integration test filters-transfer.test.ts uses them too).

const SEARCH = loadUser(185).uid;
const IMPORT = loadUser(188).uid;
const UNNAMED = loadUser(19).uid;

const suite = useSettingsSuite({ users: [SEARCH, IMPORT, UNNAMED], hash: '#/filters' });

const SCRIPT = [
  'require ["fileinto", "imap4flags"];',
  '# rule:[Σύσκεψη τμήματος]',
  'if header :contains "subject" "ΣΥΝΕΔΡΙΑΣΗ" {',
  '\tfileinto "Συσκέψεις";',
  '}',
  '# rule:[Reports]',
  'if header :contains "subject" "quarterly" {',
  '\tfileinto "Αρχείο/Αναφορές";',
  '}',
  '# rule:[Boss]',
  'if address :is "from" "boss@example.org" {',
  '\taddflag "\\\\Flagged";',
  '}',
  '',
].join('\r\n');

async function shownNames(page: Page): Promise<string[]> {
  return (await page.locator('.filter-item .filter-item__name > :first-child').allTextContents()).map((s) => s.trim());
}

async function searchFor(page: Page, text: string): Promise<void> {
  await page.locator('#filters-search').fill(text);
}

const LAYOUTS: Array<[OpenOptions['lang'], number]> = [
  ['en', 1280],
  ['el', 360],
  ['en', 360],
  ['el', 1280],
];

describe('search across rules', () => {
  it.each(LAYOUTS)('%s at %i px: by name, condition value and folder, regardless of accents, case and final sigma; no reordering while searching', async (lang, width) => {
    const config = suite.server.services.config;
    await putActiveScript(config, SEARCH, config.sieve.scriptName, SCRIPT);
    const { page, problems } = await suite.open(SEARCH, { lang, width, height: width === 360 ? 780 : 900 });
    await page.locator('.filter-item').first().waitFor();
    expect(await shownNames(page)).toEqual(['Σύσκεψη τμήματος', 'Reports', 'Boss']);

    // A condition value in capitals, typed in lower case without the tonos.
    await searchFor(page, 'συνεδριαση');
    await expect.poll(() => shownNames(page)).toEqual(['Σύσκεψη τμήματος']);
    const count = page.locator('#filters-search-count');
    expect(await count.textContent()).toContain(lang === 'el' ? 'Ταιριάζει 1 από 3' : '1 of 3 matches');
    // Reordering is off while a search shows part of the list, and says so.
    expect(await page.locator('.reorder').count()).toBe(0);
    expect(await page.locator('.filter-item').first().getAttribute('draggable')).toBe('false');
    expect(await count.textContent()).toContain(lang === 'el' ? 'Καθαρίστε την αναζήτηση' : 'Clear the search');
    // The count reaches screen readers through the page's one polite region.
    await expect.poll(() => page.locator('[aria-live="polite"]').last().textContent(), { timeout: 3000 }).toContain(lang === 'el' ? 'Ταιριάζει 1 από 3' : '1 of 3 matches');

    // A name with a final sigma, typed with a medial one and accents of its own.
    await searchFor(page, 'ΣΎΣΚΕΨΗΣ'.slice(0, 7));
    await expect.poll(() => shownNames(page)).toEqual(['Σύσκεψη τμήματος']);
    // The target folder, in its decomposed (NFD) spelling.
    await searchFor(page, 'αναφορές'.normalize('NFD'));
    await expect.poll(() => shownNames(page)).toEqual(['Reports']);
    // The actions of a shown rule still act on that rule (its index in the whole list).
    await page.locator('#filter-item-1-enabled').uncheck();
    await searchFor(page, 'BOSS@');
    await expect.poll(() => shownNames(page)).toEqual(['Boss']);

    await searchFor(page, 'τίποτα');
    await expect.poll(() => page.locator('.filter-item').count()).toBe(0);
    expect(await count.textContent()).toContain(lang === 'el' ? 'Κανένας κανόνας δεν ταιριάζει με «τίποτα»' : 'No rule matches “τίποτα”');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, `filters-search-none-${lang}-${width}`);

    await page.locator('#filters-search-clear').click();
    await expect.poll(() => shownNames(page)).toEqual(['Σύσκεψη τμήματος', 'Reports', 'Boss']);
    expect(await page.locator('.reorder').count()).toBe(3);
    expect(await page.locator('#filter-item-1-enabled').isChecked()).toBe(false);
    await searchFor(page, 'quarterly');
    await expect.poll(() => shownNames(page)).toEqual(['Reports']);
    await screenshot(page, `filters-search-${lang}-${width}`);
    expect(problems).toEqual([]);
  });
});

describe('export and import', () => {
  it.each(LAYOUTS.slice(0, 2))('%s at %i px: the export downloads the rules; an import shows its preview and saves on confirmation', async (lang, width) => {
    const config = suite.server.services.config;
    await putActiveScript(config, SEARCH, config.sieve.scriptName, SCRIPT);
    const source = await suite.open(SEARCH, { lang, width });
    await source.page.locator('.filter-item').first().waitFor();
    const [download] = await Promise.all([source.page.waitForEvent('download'), source.page.locator('#filters-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^filters-\d{4}-\d{2}-\d{2}\.sieve$/);
    const exported = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
    expect(exported.toString('utf8')).toContain('# rule:[Σύσκεψη τμήματος]');

    await putActiveScript(config, IMPORT, config.sieve.scriptName, 'require ["imap4flags"];\r\n# rule:[Mine]\r\nif header :contains "subject" "mine" {\r\n\taddflag "\\\\Seen";\r\n}\r\n');
    const { page, problems } = await suite.open(IMPORT, { lang, width, height: width === 360 ? 780 : 900 });
    await page.locator('.filter-item').first().waitFor();

    // A bad file first: a clear message, nothing else happens.
    await page.locator('#filters-import ~ input[type=file]').setInputFiles({ name: 'broken.sieve', mimeType: 'application/sieve', buffer: Buffer.from('# rule:[x]\0\r\n') });
    const problem = page.locator('#filters-import-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain(lang === 'el' ? 'Δεν είναι αρχείο κειμένου' : 'This is not a text file');
    await page.locator('#filters-import ~ input[type=file]').setInputFiles({ name: 'bad.sieve', mimeType: 'application/sieve', buffer: Buffer.from('# rule:[x]\r\nif header :contains "subject" {\r\n\tkeep;\r\n}\r\n') });
    await expect.poll(() => problem.textContent()).toMatch(lang === 'el' ? /Γραμμή 2:/ : /Line 2:/);

    await page.locator('#filters-import ~ input[type=file]').setInputFiles({ name: 'filters.sieve', mimeType: 'application/sieve', buffer: exported });
    await page.locator('#filters-import-heading').waitFor();
    expect(await page.locator('#filters-import-problem').count()).toBe(0);
    expect(await page.locator('#filters-import-added li').count()).toBe(3);
    expect(await page.locator('#filters-import-removed').textContent()).toContain('Mine');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, `filters-import-preview-${lang}-${width}`);
    // Nothing stored until confirmed.
    expect(await activeScript(config, IMPORT)).toContain('# rule:[Mine]');

    await page.locator('#filters-import-confirm').click();
    await expect.poll(() => shownNames(page)).toEqual(['Σύσκεψη τμήματος', 'Reports', 'Boss']);
    await expect.poll(() => page.locator('[aria-live="polite"]').last().textContent()).toContain(lang === 'el' ? 'Η εισαγωγή έγινε' : 'Imported');
    const stored = await activeScript(config, IMPORT);
    expect(stored).toContain('# rule:[Reports]');
    expect(stored).not.toContain('# rule:[Mine]');
    expect(problems).toEqual([]);
  });
});

describe('a rule without a name', () => {
  it.each(LAYOUTS.slice(0, 2))('%s at %i px: the editor proposes one from the conditions, and saves it when the name is left empty', async (lang, width) => {
    const config = suite.server.services.config;
    const { page, problems } = await suite.open(UNNAMED, { lang, width });
    await page.locator('#filters-add').click();
    await page.locator('#rule-conditions-0-type').selectOption('subject');
    await page.locator('#rule-conditions-0-value').fill('ανακοίνωση');
    const proposed = lang === 'el' ? 'Θέμα περιέχει «ανακοίνωση»' : 'Subject contains “ανακοίνωση”';
    await expect.poll(() => page.locator('#rule-name').getAttribute('placeholder')).toBe(proposed);
    expect(await page.locator('#rule-name-hint').textContent()).toContain(proposed);
    await page.locator('#rule-actions-0-type').selectOption({ label: lang === 'el' ? 'Σήμανση ως αναγνωσμένο' : 'Mark as read' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, `filters-unnamed-editor-${lang}-${width}`);
    await page.locator('#rule-save').click();
    await expect.poll(() => shownNames(page)).toContain(proposed);
    expect(await activeScript(config, UNNAMED)).toContain(`# rule:[${proposed}]`);
    expect(problems).toEqual([]);
  });
});
