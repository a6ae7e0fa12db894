#!/usr/bin/env node
// EmailNG Settings — a dependency-free LMTP client (RFC 2033) for the local mail stack.
//
// Delivers one message to the Dovecot back end's LMTP listener (127.0.0.1:11024), so Sieve
// really runs at delivery.  Module use:
//
//   import { deliver } from './deploy/stack/lmtp-deliver.mjs';
//   const replies = await deliver({ to: 'alice', raw: 'Subject: hi\n\nhello\n' });
//   // -> [{ recipient: 'alice', rcpt: { code: 250, text: '...' }, data: { code: 250, text: '...' } }]
//
// `to` is one address or an array; each may be a login name ("alice") or the user's `mail`
// ("alice@cs.ucy.ac.cy").  `raw` is a string or Buffer: line endings are normalised to CRLF
// and lines starting with "." are dot-stuffed.  The promise rejects (Error with `.replies`
// and `.reply`) if any command or any recipient gets a non-2xx reply.
//
// CLI: node deploy/stack/lmtp-deliver.mjs [--from ADDR] [--host H] [--port P] RCPT[,RCPT...] FILE|-

import net from 'node:net';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 11024;

/** Normalises line endings to CRLF, dot-stuffs, and appends the final "." line. */
export function encodeData(raw) {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw), 'utf8');
  const out = [];
  let lineStart = true;
  let i = 0;
  while (i < buf.length) {
    const c = buf[i];
    if (lineStart && c === 0x2e) out.push(0x2e); // "." at line start -> ".."
    if (c === 0x0d) {
      out.push(0x0d, 0x0a);
      i += buf[i + 1] === 0x0a ? 2 : 1;
      lineStart = true;
      continue;
    }
    if (c === 0x0a) {
      out.push(0x0d, 0x0a);
      i += 1;
      lineStart = true;
      continue;
    }
    out.push(c);
    lineStart = false;
    i += 1;
  }
  if (!lineStart) out.push(0x0d, 0x0a);
  out.push(0x2e, 0x0d, 0x0a);
  return Buffer.from(out);
}

/** One LMTP (or SMTP: smtp-send.mjs) connection: sends commands, reads (multi-line) replies in order. */
export class Session {
  constructor(socket, timeoutMs, protocol = 'LMTP') {
    this.socket = socket;
    this.protocol = protocol;
    this.buffer = '';
    this.lines = [];
    this.waiters = [];
    this.error = null;
    socket.setEncoding('latin1');
    socket.setTimeout(timeoutMs, () => this.fail(new Error(`${protocol}: no reply within ${timeoutMs} ms`)));
    socket.on('data', (chunk) => {
      this.buffer += chunk;
      let nl;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, nl).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(nl + 1);
      }
      this.pump();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error(`${protocol}: connection closed`)));
  }

  fail(err) {
    if (!this.error) this.error = err;
    this.pump();
  }

  pump() {
    while (this.waiters.length > 0) {
      const idx = this.lines.findIndex((l) => /^\d{3}(?: |$)/.test(l));
      if (idx < 0) {
        if (this.error) this.waiters.shift().reject(this.error);
        else return;
        continue;
      }
      const lines = this.lines.splice(0, idx + 1);
      const code = Number(lines[lines.length - 1].slice(0, 3));
      const text = lines.map((l) => l.slice(4)).join('\n');
      this.waiters.shift().resolve({ code, text });
    }
  }

  /** Resolves with the next reply ({ code, text }). */
  reply() {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.pump();
    });
  }

  send(data) {
    this.socket.write(data);
  }

  async command(line, expect = 2) {
    this.send(`${line}\r\n`);
    const r = await this.reply();
    if (Math.floor(r.code / 100) !== expect) throw lmtpError(`${line.split(' ')[0]} failed`, r, undefined, this.protocol);
    return r;
  }
}

export function lmtpError(what, reply, replies, protocol = 'LMTP') {
  const err = new Error(`${protocol} ${what}: ${reply.code} ${reply.text}`);
  err.reply = reply;
  if (replies) err.replies = replies;
  return err;
}

export function angle(addr) {
  if (/[\r\n<>]/.test(addr)) throw new Error(`bad address ${JSON.stringify(addr)}`);
  return `<${addr}>`;
}

/**
 * Delivers `raw` to each recipient in `to`.  Resolves with one entry per recipient:
 * { recipient, rcpt: {code,text}, data: {code,text} }.  Rejects on any non-2xx reply.
 */
export async function deliver({
  to,
  raw,
  from = 'sender@example.org',
  host = DEFAULT_HOST,
  port = DEFAULT_PORT,
  timeoutMs = 15000,
}) {
  const recipients = Array.isArray(to) ? to : [to];
  if (recipients.length === 0) throw new Error('LMTP: no recipients');
  const data = encodeData(raw);

  const socket = net.connect({ host, port });
  const s = new Session(socket, timeoutMs);
  try {
    const greeting = await s.reply();
    if (greeting.code !== 220) throw lmtpError('greeting', greeting);
    await s.command('LHLO emailng-lmtp-deliver');
    await s.command(`MAIL FROM:${from === '' ? '<>' : angle(from)}`);
    const results = [];
    for (const recipient of recipients) {
      s.send(`RCPT TO:${angle(recipient)}\r\n`);
      results.push({ recipient, rcpt: await s.reply(), data: null });
    }
    const refused = results.find((r) => Math.floor(r.rcpt.code / 100) !== 2);
    if (refused) {
      s.send('QUIT\r\n');
      throw lmtpError(`RCPT TO <${refused.recipient}> refused`, refused.rcpt, results);
    }
    await s.command('DATA', 3);
    s.send(data);
    // LMTP: one reply per accepted recipient, in RCPT order.
    for (const r of results) r.data = await s.reply();
    s.send('QUIT\r\n');
    await s.reply().catch(() => undefined);
    const failed = results.find((r) => Math.floor(r.data.code / 100) !== 2);
    if (failed) throw lmtpError(`delivery to <${failed.recipient}> failed`, failed.data, results);
    return results;
  } finally {
    socket.destroy();
  }
}

async function main(argv) {
  const opts = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--from') opts.from = argv[++i] ?? '';
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '-h' || a === '--help') rest.length = 99;
    else rest.push(a);
  }
  if (rest.length !== 2) {
    process.stderr.write(
      'usage: lmtp-deliver.mjs [--from ADDR] [--host H] [--port P] RCPT[,RCPT...] FILE|-\n',
    );
    return 2;
  }
  const [rcpts, file] = rest;
  const raw = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  try {
    const results = await deliver({ ...opts, to: rcpts.split(','), raw });
    for (const r of results) process.stdout.write(`${r.recipient}: ${r.data.code} ${r.data.text}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
