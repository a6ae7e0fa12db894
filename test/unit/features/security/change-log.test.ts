import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryActivityStore } from '../../../../api/src/auth/activity-store';
import { activeFingerprint, changedAreas } from '../../../../api/src/features/script/changed-areas';
import { ChangeLog } from '../../../../api/src/features/security/change-log';
import { MemoryFingerprintStore } from '../../../../api/src/auth/fingerprints';
import { actingAs } from '../../../../api/src/shared/acting-session';

const VACATION_ON = '# emailng:begin vacation\n# emailng:state {"on":true}\nkeep;\n# emailng:end vacation\n';
const VACATION_OFF = '# emailng:begin vacation\n# emailng:state {"on":false}\n# emailng:end vacation\n';
const RULE = '# rule:[Σίσυφος]\nif header :contains "subject" "ΣΊΣΥΦΟΣ" { discard; }\n';

describe('changed areas', () => {
  it('names the app section that changed, the filters, or the script', () => {
    expect(changedAreas(VACATION_OFF, VACATION_ON)).toEqual(['vacation']);
    expect(changedAreas(VACATION_ON, VACATION_ON + RULE)).toEqual(['filters']);
    expect(changedAreas('', 'keep;\n')).toEqual(['script']);
    expect(changedAreas(VACATION_ON, VACATION_ON)).toEqual([]);
    expect(changedAreas('if {', 'keep;\n')).toEqual(['script']);
  });

  it('fingerprints what is active: the app’s text, another script, or none', () => {
    expect(activeFingerprint({ text: 'a', active: true, foreignActive: null })).not.toBe(activeFingerprint({ text: 'b', active: true, foreignActive: null }));
    expect(activeFingerprint({ text: 'a', active: false, foreignActive: 'roundcube' })).toMatch(/^other:/);
    expect(activeFingerprint({ text: 'a', active: false, foreignActive: null })).toBe('none');
  });
});

describe('change log', () => {
  const setup = () => {
    const activity = new MemoryActivityStore(() => 1000);
    const log = new ChangeLog(activity, new MemoryFingerprintStore(), pino({ level: 'silent' }), () => 1000);
    return { activity, log };
  };

  it('records each area of an app write once per request, with the acting session', async () => {
    const { activity, log } = setup();
    await actingAs({ uid: 'anna', dn: 'uid=anna,ou=People,dc=x', sessionHandle: 'h-1', clientAddress: '192.0.2.1' }, async () => {
      await log.script.written('anna', { fingerprint: 'app:1', areas: ['spam'], kind: 'page' });
      await log.directory.written('uid=anna,ou=People,dc=x', 'spam', null);
    });
    expect(await activity.list('anna', 'changes')).toEqual([{ at: 1000, area: 'spam', source: 'app', what: 'page', sessionHandle: 'h-1', clientAddress: '192.0.2.1' }]);
  });

  it('reports a fingerprint it did not write once, and the first sighting never', async () => {
    const { activity, log } = setup();
    await log.script.seen('ben', 'app:1');
    await log.script.written('ben', { fingerprint: 'app:2', areas: ['vacation'], kind: 'page' });
    await log.script.seen('ben', 'app:2');
    await log.script.seen('ben', 'app:3');
    await log.script.seen('ben', 'app:3');
    await log.script.seen('ben', 'none');
    expect((await activity.list('ben', 'changes')).map((c) => [c.source, c.what])).toEqual([
      ['outside', 'script-deactivated'],
      ['outside', 'script-changed'],
      ['app', 'page'],
    ]);
  });

  it('marks a write to another user’s entry as the helpdesk’s', async () => {
    const { activity, log } = setup();
    await actingAs({ uid: 'helper', dn: 'uid=helper,ou=People,dc=x', sessionHandle: null, clientAddress: '192.0.2.9' }, () =>
      log.directory.written('uid=carol,ou=People,dc=x', 'forwarding', 'f'),
    );
    expect((await activity.list('carol', 'changes'))[0]).toMatchObject({ source: 'helpdesk', area: 'forwarding' });
  });
});
