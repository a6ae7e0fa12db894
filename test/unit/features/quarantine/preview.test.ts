import { describe, expect, it } from 'vitest';
import { previewMessage } from '../../../../api/src/features/quarantine/preview';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describe('preview of a held message', () => {
  it('shows the chosen headers and the plain text; envelope headers of the quarantine stay out', async () => {
    const preview = await previewMessage(
      crlf([
        'X-Envelope-From: <tester@example.org>',
        'X-Quarantine-ID: <plXlsqvhOUpC>',
        'From: "Lab Tester" <tester@example.org>',
        'To: carol@cs.ucy.ac.cy',
        'Subject: =?UTF-8?B?zrrOsc67zrfOvM6tz4HOsQ==?=',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello\tthere',
        'second line',
      ]),
      false,
    );
    expect(preview.headers.map((h) => h.name)).toEqual(['from', 'to', 'subject']);
    expect(preview.headers.find((h) => h.name === 'subject')?.value).toBe('καλημέρα');
    expect(preview.text.trimEnd()).toBe('Hello\tthere\nsecond line');
    expect(preview.textSource).toBe('plain');
    expect(preview.truncated).toBe(false);
  });

  it('turns HTML into text without scripts, images or link targets', async () => {
    const preview = await previewMessage(
      crlf([
        'From: a@example.org',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<html><head><style>p{color:red}</style><script>alert(1)</script></head>',
        '<body><p>Click <a href="https://evil.example/x">here</a></p><img src="https://evil.example/pixel.gif" alt="pixel"></body></html>',
      ]),
      false,
    );
    expect(preview.textSource).toBe('html');
    expect(preview.text).toContain('Click here');
    expect(preview.text).not.toMatch(/alert|evil\.example|color:red|pixel/);
  });

  it('lists attachments by name, type and size without their content', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 0x90)]).toString('base64');
    const preview = await previewMessage(
      crlf([
        'From: a@example.org',
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b1',
        'Content-Type: application/octet-stream; name="invoice.exe"',
        'Content-Disposition: attachment; filename="invoice.exe"',
        'Content-Transfer-Encoding: base64',
        '',
        exe,
        '--b1--',
      ]),
      false,
    );
    expect(preview.attachments).toEqual([{ filename: 'invoice.exe', mimeType: 'application/octet-stream', size: 102 }]);
    expect(JSON.stringify(preview)).not.toContain(exe.slice(0, 20));
  });

  it('shows invalid UTF-8, controls and bidi overrides safely', async () => {
    const raw = Buffer.concat([
      crlf(['From: a@example.org', 'Subject: bad \u202e txt.exe', 'Content-Type: text/plain; charset=utf-8', '', 'x']),
      Buffer.from([0xff, 0xfe, 0x00, 0x07, 0x41]),
    ]);
    const preview = await previewMessage(raw, true);
    expect(preview.headers.find((h) => h.name === 'subject')?.value).toBe('bad   txt.exe');
    expect(preview.text).toBe('x\ufffd\ufffdA\n');
    expect(preview.truncated).toBe(true);
  });

  it('survives a message that is not MIME at all', async () => {
    const preview = await previewMessage(Buffer.from('\u0000\u0001garbage without headers'), false);
    expect(preview.textSource === 'plain' || preview.textSource === 'none').toBe(true);
    expect(preview.text).not.toContain('\u0000');
  });
});
