#!/usr/bin/env node
// EmailNG Settings — sends one message in through the local stack's content filter:
// amavisd-new's SMTP listener (127.0.0.1:10024), which scans it and passes it to Dovecot's
// LMTP, files it as spam (X-Spam-Flag), or holds it in its SQL quarantine.  Module use:
//
//   import { send } from './deploy/stack/smtp-send.mjs';
//   const r = await send({ from: 'x@example.org', to: 'alice@cs.ucy.ac.cy', raw });
//   // -> { outcome: 'passed' | 'held' | 'refused', reason, reply: { code, text }, rcpt: [...] }
//
// amavisd answers 250 even when it holds a message ("250 2.7.0 Ok, discarded, id=… - spam"):
// `outcome` tells the two apart; `reason` is the text after " - " (spam, INFECTED: …,
// BANNED: …).  Only a broken conversation (no greeting, closed connection) rejects.
// Shares the line reader and DATA encoding with lmtp-deliver.mjs.
//
// CLI (npm run send -- FROM TO[,TO...] FILE|-): prints amavisd's final reply and the outcome;
// exit 0 passed, 1 refused (a 4xx/5xx reply, nothing accepted), 3 held (quarantined and
// discarded, not delivered), 2 usage or connection error.

import net from 'node:net';
import process from 'node:process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Session, angle, encodeData, lmtpError } from './lmtp-deliver.mjs';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 10024;

const isOk = (reply) => Math.floor(reply.code / 100) === 2;

/** Classifies amavisd's reply to DATA. */
export function outcomeOf(reply) {
  if (!isOk(reply)) return { outcome: 'refused', reason: reply.text };
  const held = /\bdiscarded\b.*? - (.+)$/s.exec(reply.text);
  return held ? { outcome: 'held', reason: held[1] } : { outcome: 'passed', reason: '' };
}

export async function send({ from, to, raw, host = DEFAULT_HOST, port = DEFAULT_PORT, timeoutMs = 60000 }) {
  const recipients = Array.isArray(to) ? to : [to];
  if (recipients.length === 0) throw new Error('SMTP: no recipients');
  const data = encodeData(raw);
  const socket = net.connect({ host, port });
  const s = new Session(socket, timeoutMs, 'SMTP');
  try {
    const greeting = await s.reply();
    if (greeting.code !== 220) throw lmtpError('greeting', greeting, undefined, 'SMTP');
    await s.command('EHLO emailng-smtp-send');
    s.send(`MAIL FROM:${from === '' ? '<>' : angle(from)}\r\n`);
    const mail = await s.reply();
    if (!isOk(mail)) return { outcome: 'refused', reason: mail.text, reply: mail, rcpt: [] };
    const rcpt = [];
    for (const recipient of recipients) {
      s.send(`RCPT TO:${angle(recipient)}\r\n`);
      rcpt.push({ recipient, reply: await s.reply() });
    }
    if (!rcpt.some((r) => isOk(r.reply))) {
      const last = rcpt[rcpt.length - 1].reply;
      return { outcome: 'refused', reason: last.text, reply: last, rcpt };
    }
    await s.command('DATA', 3);
    s.send(data);
    const reply = await s.reply();
    s.send('QUIT\r\n');
    await s.reply().catch(() => undefined);
    return { ...outcomeOf(reply), reply, rcpt };
  } finally {
    socket.destroy();
  }
}

const EXIT = { passed: 0, refused: 1, held: 3 };

async function main(argv) {
  const opts = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--host') opts.host = argv[++i];
    else if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '-h' || a === '--help') rest.length = 99;
    else rest.push(a);
  }
  if (rest.length !== 3) {
    process.stderr.write('usage: smtp-send.mjs [--host H] [--port P] FROM TO[,TO...] FILE|-   (FROM "" = null sender)\n');
    return 2;
  }
  const [from, to, file] = rest;
  const raw = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  try {
    const r = await send({ ...opts, from, to: to.split(','), raw });
    for (const { recipient, reply } of r.rcpt) {
      if (!isOk(reply)) process.stdout.write(`RCPT <${recipient}> refused: ${reply.code} ${reply.text}\n`);
    }
    process.stdout.write(`${r.reply.code} ${r.reply.text}\n`);
    const why = r.reason ? ` (${r.reason})` : '';
    const what = {
      passed: 'passed: delivered to the back end (or filed as spam by its Sieve)',
      held: `held: quarantined and discarded, not delivered${why}`,
      refused: `refused${why}`,
    }[r.outcome];
    process.stdout.write(`${what}\n`);
    return EXIT[r.outcome];
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
