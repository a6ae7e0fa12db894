import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';
import { LDAP, USERS, userDn } from '../../support/stack';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function listsOf(uid: keyof typeof USERS) {
  const client = new ApiClient(server.url);
  expect((await client.signIn(uid, USERS[uid].password)).status).toBe(200);
  const res = await client.request('GET', '/api/lists');
  expect(res.status).toBe(200);
  return res.body.lists as Array<{ cn: string; description: string | null; mail: string | null }>;
}

describe('GET /api/lists', () => {
  it('alice sees her groups, with the list address where there is one', async () => {
    const lists = await listsOf('alice');
    expect(lists.map((l) => l.cn)).toEqual(['cs-staff', 'seminar-list']);
    expect(lists.find((l) => l.cn === 'seminar-list')?.mail).toBe('seminar-list@cs.ucy.ac.cy');
    expect(lists.find((l) => l.cn === 'cs-staff')?.mail).toBeNull();
  });

  it('bob sees his, and not alice’s', async () => {
    expect((await listsOf('bob')).map((l) => l.cn)).toEqual(['cs-students', 'seminar-list']);
  });

  it('needs a session', async () => {
    const res = await new ApiClient(server.url).request('GET', '/api/lists');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('hostile DN characters find nothing (the member DN is escaped into the filter)', async () => {
    const { directory } = server.services;
    expect((await directory.groupsOfMember(userDn('alice'))).length).toBe(2);
    for (const dn of ['*', `uid=*,${LDAP.peopleDn}`, `uid=alice)(uniqueMember=*,${LDAP.peopleDn}`, `uid=al\\2Aice,${LDAP.peopleDn}`, `*)(|(cn=*`, '\0', 'uid=ἀλίκη,ou=People']) {
      expect(await directory.groupsOfMember(dn), dn).toEqual([]);
    }
  });
});
