// The Sieve the app writes, checked by the real server: Dovecot 2.3 + Pigeonhole behind the two
// directors (theano, elysso), as the app reaches it (master user acting as a load user).
// Values come from the same hostile arbitraries as the unit tests (test/support/sieve-arbitraries.ts).
// Every script that passes CHECKSCRIPT is also stored and read back: GETSCRIPT must return it
// byte for byte.
//
// Run: bash deploy/stack/up.sh && npx vitest run --project integration test/integration/sieve/checkscript.test.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManageSieveClient, ManageSieveError } from '../../../api/src/backends/managesieve';
import { assembleScript, type ScriptSettings } from '../../../api/src/sieve/assemble.js';
import { parseDocument } from '../../../api/src/sieve/document/parse-document.js';
import { SieveSyntaxError } from '../../../api/src/sieve/errors.js';
import { parseScript } from '../../../api/src/sieve/parser.js';
import { spamThresholdMatchesAll } from '../../../api/src/sieve/spam.js';
import { printDocument } from '../../../api/src/sieve/document/print-document.js';
import { printString } from '../../../api/src/sieve/printer.js';
import type { Rule } from '../../../api/src/sieve/rules/model.js';
import { canonicalRule } from '../../../api/src/sieve/rules/canonical.js';
import { regexProblem } from '../../../api/src/sieve/rules/regex.js';
import { validateRule } from '../../../api/src/sieve/rules/validate.js';
import { SHAPE_CASES, shapeScript } from '../../fixtures/sieve/shape-corpus.js';
import { address, hostileLine, hostileText, mailbox, regexLike, rule } from '../../support/sieve-arbitraries.js';
import { DIRECTORS, MASTER, REPO_ROOT, SIEVE, loadUser, resetUser } from '../../support/stack';

const USER = loadUser(150).uid;
const SCRATCH = 'emailng-checkscript-it';

let clients: ManageSieveClient[] = [];
let turn = 0;
/** theano, elysso, theano, …: both directors see every kind of script. */
const next = (): ManageSieveClient => clients[turn++ % clients.length] as ManageSieveClient;

beforeAll(async () => {
  await resetUser(USER);
  clients = await Promise.all(
    DIRECTORS.map((d) =>
      ManageSieveClient.connect({
        endpoints: [{ name: d.name, host: d.host, port: d.sievePort }],
        tls: 'none',
        connectTimeoutMs: 5000,
        commandTimeoutMs: 10_000,
        auth: { authcid: MASTER.name, password: MASTER.password, authzid: USER },
      }),
    ),
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.logout()));
});

const capabilities = (): string[] => clients[0]?.capabilities.sieve ?? [];

/** The server's verdict: null when CHECKSCRIPT says OK, else its first error line. */
async function serverProblem(client: ManageSieveClient, script: string): Promise<string | null> {
  try {
    const result = await client.checkScript(script);
    return result.warnings === undefined ? null : `warnings: ${result.warnings}`;
  } catch (e) {
    if (e instanceof ManageSieveError && e.code === 'COMMAND_FAILED') return (e.serverText ?? e.message).split(/\r?\n/)[0] ?? '';
    throw e;
  }
}

/**
 * CHECKSCRIPT through one director, then PUTSCRIPT + GETSCRIPT through the other. Returns what
 * went wrong (an empty list when the server took the script and gave it back unchanged).
 */
async function accepted(script: string): Promise<string[]> {
  const problem = await serverProblem(next(), script);
  if (problem !== null) return [problem];
  const client = next();
  await client.putScript(SCRATCH, script);
  const back = await client.getScript(SCRATCH);
  return back === script ? [] : ['GETSCRIPT returned different bytes than PUTSCRIPT stored'];
}

const excerpt = (script: string) => (script.length > 1500 ? `${script.slice(0, 1500)}…` : script);

/** A new document holding the rules, with the `require` they need, in CRLF or LF. */
function rulesScript(rules: Rule[], newline: '\r\n' | '\n'): string {
  const doc = { ...parseDocument(''), newline, items: rules.map((r) => ({ kind: 'rule' as const, rule: r })) };
  return printDocument(doc, { capabilities: capabilities() });
}

describe('random hostile rule sets on the real server', () => {
  it('300 rule sets (model → printRule → script) pass CHECKSCRIPT without warnings, read back byte-identical, and parse back to the same rules', async () => {
    const sets = fc.sample(fc.array(rule, { minLength: 1, maxLength: 5 }), { numRuns: 300, seed: 20261122 });
    const failures: string[] = [];
    const scripts: string[] = [];
    for (const [i, rules] of sets.entries()) {
      expect(rules.flatMap(validateRule)).toEqual([]);
      const script = rulesScript(rules, i % 2 === 0 ? '\r\n' : '\n');
      const readBack = parseDocument(script).items.map((item) => (item.kind === 'rule' ? { ...item.rule, id: 'new' } : item.kind));
      expect(readBack).toEqual(rules.map(canonicalRule));
      scripts.push(script);
      const problems = await accepted(script);
      if (problems.length > 0) failures.push(`${problems.join('; ')}\n${excerpt(script)}`);
    }
    expect(failures).toEqual([]);
    // The sample really held the hostile cases.
    const seen = (re: RegExp) => scripts.filter((s) => re.test(s)).length;
    expect(seen(/text:\r\n/)).toBeGreaterThan(10); // multi-line strings, CRLF
    expect(seen(/text:\n/)).toBeGreaterThan(10); // and LF scripts
    expect(seen(/\n\.\.\r?\n/)).toBeGreaterThan(5); // a line that was a single "." (dot-stuffed)
    expect(seen(/\\"/)).toBeGreaterThan(50); // escaped quotes
    expect(seen(/\\\\/)).toBeGreaterThan(50); // escaped backslashes
    expect(seen(/Καλημέρα/) && seen(/שלום/) && seen(/مرحبا/) && seen(/😀/)).toBeGreaterThan(10);
    expect(seen(/:regex/)).toBeGreaterThan(20);
    expect(seen(/hasflag/)).toBeGreaterThan(20);
    expect(seen(/spamtest :percent/)).toBeGreaterThan(20);
    expect(seen(/(?:allof|anyof) \([^\r\n]*(?:allof|anyof) \(/)).toBeGreaterThan(20); // nested groups
    expect(scripts.some((s) => s.length > 10_240)).toBe(true); // 10 KB strings
  });

  it('the validator refuses exactly the :regex patterns the server refuses (400 random patterns)', async () => {
    const patterns = [...new Set(fc.sample(regexLike, { numRuns: 400, seed: 4190 }))];
    const disagreements: string[] = [];
    let refused = 0;
    for (const pattern of patterns) {
      const ours = regexProblem(pattern);
      const theirs = await serverProblem(next(), `require "regex";\r\nif header :regex "subject" ${printString(pattern)}\r\n{\r\n\tstop;\r\n}\r\n`);
      if (ours !== null) refused++;
      if ((ours === null) !== (theirs === null)) disagreements.push(`${JSON.stringify(pattern)}: ours ${ours}, server ${theirs}`);
    }
    expect(disagreements).toEqual([]);
    // The sample must hold both kinds for the comparison to mean something.
    expect(refused).toBeGreaterThan(patterns.length / 4);
    expect(refused).toBeLessThan(patterns.length);
  });

  it('addresses the validator accepts (hostile and near-miss values) pass redirect and vacation :from', async () => {
    const nearAddress = fc
      .array(fc.constantFrom('a', 'Z', '0', '.', '..', '@', '"', '\\', ' ', '<', '>', ',', ';', ':', '[', ']', 'é', 'Καλη', '😀', 'x@y.example', 'Name '), { minLength: 1, maxLength: 8 })
      .map((a) => a.join(''));
    const values = fc.sample(fc.oneof(address, mailbox, nearAddress), { numRuns: 300, seed: 5804 });
    const failures: string[] = [];
    let accepted = 0;
    for (const value of values) {
      const redirect: Rule = { id: 'new', name: 'fwd', enabled: true, match: 'always', conditions: [], actions: [{ type: 'redirect', address: value, copy: true }], stop: false };
      const vacation: Rule = { ...redirect, name: 'away', actions: [{ type: 'vacation', reason: 'Away', from: value }] };
      for (const r of [redirect, vacation]) {
        if (validateRule(r).length > 0) continue;
        accepted++;
        const problem = await serverProblem(next(), rulesScript([r], '\r\n'));
        if (problem !== null) failures.push(`${r.actions[0]?.type} ${JSON.stringify(value)}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(accepted).toBeGreaterThan(200);
  });
});

describe('the parser and CHECKSCRIPT agree on the shape of every known command and test', () => {
  /** Our verdict: null when the script parses, else the error code. */
  function ourVerdict(script: string): string | null {
    try {
      parseScript(script);
      return null;
    } catch (error) {
      if (error instanceof SieveSyntaxError) return error.code;
      throw error;
    }
  }

  // Left out on purpose: `if hasflag { stop; }` (no arguments at all) makes Pigeonhole 0.5.19
  // drop the ManageSieve connection instead of answering; the unit corpus holds it.
  it(`${SHAPE_CASES.length} scripts, valid and not: we refuse exactly what the server refuses, with the recorded code`, async () => {
    const disagreements: string[] = [];
    for (const testCase of SHAPE_CASES) {
      const script = shapeScript(testCase);
      const problem = await serverProblem(next(), script);
      // Warnings (e.g. a :seconds below the server's minimum) do not refuse the script.
      const serverAccepts = problem === null || problem.startsWith('warnings:');
      const ours = ourVerdict(script);
      if (serverAccepts !== (ours === null) || ours !== testCase.refused) {
        disagreements.push(`${JSON.stringify(testCase.body)}: ours ${ours ?? 'accepted'} (recorded ${testCase.refused ?? 'accepted'}), server ${serverAccepts ? 'accepted' : problem}`);
      }
    }
    expect(disagreements).toEqual([]);
    // Both kinds, in numbers that make the comparison mean something.
    const refused = SHAPE_CASES.filter((t) => t.refused !== null).length;
    expect(refused).toBeGreaterThan(100);
    expect(SHAPE_CASES.length - refused).toBeGreaterThan(80);
  });
});

describe('size limits (Pigeonhole sieve_max_script_size, 1 MiB by default)', () => {
  /** A valid script of exactly `bytes` octets: Greek reject texts (2 bytes a letter) padded by a comment. */
  function scriptOfBytes(bytes: number): string {
    const greek: Rule = { id: 'new', name: 'big', enabled: true, match: 'always', conditions: [], actions: [{ type: 'reject', message: 'α'.repeat(200_000) }], stop: false };
    const body = rulesScript([greek, greek], '\r\n');
    const pad = bytes - Buffer.byteLength(body) - 3;
    expect(pad).toBeGreaterThan(0);
    return `${body}#${'x'.repeat(pad)}\r\n`;
  }

  it('counts octets: exactly 1 MiB passes and reads back; one octet more is refused with QUOTA/MAXSIZE', async () => {
    const max = scriptOfBytes(1024 * 1024);
    expect(Buffer.byteLength(max)).toBe(1024 * 1024);
    // Far fewer UTF-16 code units than octets: a limit on string length alone would not catch it.
    expect(max.length).toBeLessThan(700_000);
    expect(await accepted(max)).toEqual([]);

    const over = scriptOfBytes(1024 * 1024 + 1);
    for (const client of clients) {
      const error = await client.checkScript(over).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ManageSieveError);
      expect((error as ManageSieveError).code).toBe('QUOTA');
      expect((error as ManageSieveError).responseCode).toBe('QUOTA/MAXSIZE');
    }
  });
});

describe('every template rendered with hostile values passes CHECKSCRIPT', () => {
  const options = () => ({ capabilities: capabilities(), spamtestMaxValue: SIEVE.spamtestMaxValue, maxRedirects: clients[0]?.capabilities.maxRedirects ?? SIEVE.maxRedirects });
  const folder = hostileLine().map((s) => s.trim() || 'x');
  const domain = fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,8}){0,2}\.[a-z]{2,6}$/);
  const senders = fc.array(fc.oneof(address, domain), { maxLength: 6 });
  // Thresholds the app writes: one that would file every message is refused before any Sieve
  // is written (test/unit/sieve/spam.test.ts, the spam page's tests).
  const score = fc
    .integer({ min: 1, max: 30_000 })
    .map((milli) => milli / 1000)
    .filter((threshold) => !spamThresholdMatchesAll(threshold, { capabilities: capabilities(), maxValue: SIEVE.spamtestMaxValue }));
  const sendersAndSpam = fc.record({
    senders: fc.record({ allow: senders, block: senders, blockAction: fc.constantFrom('discard' as const, 'folder' as const), blockFolder: folder }),
    spam: fc.oneof(
      fc.record({ threshold: fc.option(score, { nil: null }), folder, enabled: fc.boolean() }),
      fc.tuple(score, folder).map(([threshold, f]) => ({ threshold, folder: f, discardAbove: Math.min(threshold + 5, 40) })),
    ),
  });
  const forwarding = fc.record({ addresses: fc.array(address, { minLength: 1, maxLength: SIEVE.maxRedirects }), keepCopy: fc.boolean() });
  // No start/end: how the vacation window is written is being changed separately.
  const vacation = fc.record(
    {
      body: hostileText(),
      subject: hostileLine(),
      from: mailbox,
      addresses: fc.array(address, { minLength: 1, maxLength: 3 }),
      days: fc.integer({ min: 1, max: 60 }),
    },
    { requiredKeys: ['body'] },
  );

  async function check(settings: fc.Arbitrary<ScriptSettings>, runs: number, seed: number, withRules = false): Promise<void> {
    const cases = fc.sample(fc.tuple(settings, fc.array(rule, { maxLength: withRules ? 3 : 0 })), { numRuns: runs, seed });
    const failures: string[] = [];
    for (const [s, rules] of cases) {
      const current = rules.length > 0 ? rulesScript(rules, '\r\n') : null;
      const script = assembleScript(current, s, options());
      const problems = await accepted(script);
      if (problems.length > 0) failures.push(`${problems.join('; ')}\n${excerpt(script)}`);
    }
    expect(failures).toEqual([]);
  }

  it('allow-block and spam (allow/block lists, thresholds, discard level, hostile folders)', async () => {
    await check(sendersAndSpam, 60, 1);
  });

  it('forwarding (up to MAXREDIRECTS hostile-but-valid addresses, with and without :copy)', async () => {
    await check(forwarding.map((f) => ({ forwarding: f })), 40, 2);
  });

  it('vacation (:subject, :from, :addresses, :days and a hostile multi-line body)', async () => {
    await check(vacation.map((v) => ({ vacation: v })), 60, 3);
  });

  it('all sections together, in front of random user filters', async () => {
    const all = fc.tuple(sendersAndSpam, forwarding, vacation).map(([ss, f, v]): ScriptSettings => ({ ...ss, forwarding: f, vacation: v }));
    await check(all, 60, 4, true);
  });

  it('the site-wide default script (sieve-templates/site/default.sieve)', async () => {
    const site = readFileSync(path.join(REPO_ROOT, 'sieve-templates/site/default.sieve'), 'utf8');
    expect(await accepted(site)).toEqual([]);
  });
});
