/**
 * Parse + print of a generated 500-rule script (Roundcube format): prints the median
 * milliseconds over N runs. `run()` is called by bench/run.ts.
 */
import { parseDocument } from '../api/src/sieve/document/parse-document.js';
import { printDocument } from '../api/src/sieve/document/print-document.js';
import { printRule } from '../api/src/sieve/rules/to-sieve.js';
import type { Rule } from '../api/src/sieve/rules/model.js';

export function generateScript(ruleCount: number): string {
  let text = 'require ["fileinto","imap4flags","copy"];\r\n';
  for (let i = 0; i < ruleCount; i++) {
    const rule: Rule = {
      id: String(i),
      name: `Rule ${i}`,
      enabled: i % 7 !== 0,
      match: i % 2 === 0 ? 'all' : 'any',
      conditions: [
        { type: 'subject', operator: 'contains', negate: false, value: `[list-${i}] "quoted" \\ text` },
        { type: 'from', operator: 'ends', negate: i % 3 === 0, value: `@dept${i}.uni.example` },
      ],
      actions: [{ type: 'fileinto', mailbox: `Lists/List ${i}`, copy: i % 5 === 0, create: false }, { type: 'addflag', flags: ['\\Seen'] }],
      stop: i % 2 === 1,
    };
    text += printRule(rule);
  }
  return text;
}

export function run(runs = 50): { rules: number; bytes: number; runs: number; medianMs: number; editedMedianMs: number } {
  const text = generateScript(500);
  const time = (fn: () => void) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      fn();
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    return Math.round((samples[Math.floor(samples.length / 2)] ?? 0) * 100) / 100;
  };
  const medianMs = time(() => {
    if (printDocument(parseDocument(text)) !== text) throw new Error('round trip changed the script');
  });
  const editedMedianMs = time(() => {
    const doc = parseDocument(text);
    for (const item of doc.items) if (item.kind === 'rule') item.rule = { ...item.rule, stop: !item.rule.stop };
    printDocument(doc);
  });
  return { rules: 500, bytes: text.length, runs, medianMs, editedMedianMs };
}

if (process.argv[1]?.endsWith('sieve-parse.ts')) {
  const result = run(Number(process.argv[2] ?? 50));
  console.log(`sieve parse+print, 500 rules (${result.bytes} chars): median ${result.medianMs} ms untouched, ${result.editedMedianMs} ms with every rule edited (${result.runs} runs)`);
}
