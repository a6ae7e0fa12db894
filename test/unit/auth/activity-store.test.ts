import { describe, expect, it } from 'vitest';
import { MemoryActivityStore } from '../../../api/src/auth/activity-store';
import { activityStoreContract } from '../../support/activity-store-contract';

describe('memory activity store', () => {
  activityStoreContract((now) => new MemoryActivityStore(now), 'memory');

  it('hands out copies: changing a listed entry changes nothing stored', async () => {
    const store = new MemoryActivityStore(() => 10);
    await store.append('u', 'changes', { at: 1, area: 'spam', source: 'app', what: 'saved' });
    const [listed] = await store.list('u', 'changes');
    listed!.area = 'forged';
    expect((await store.list('u', 'changes'))[0]!.area).toBe('spam');
  });

  it('keeps at most maxUsers streams, forgetting the oldest', async () => {
    const store = new MemoryActivityStore(() => 10, 2);
    for (const uid of ['a', 'b', 'c']) await store.append(uid, 'sign-ins', { at: 1, outcome: 'success', method: 'sso', clientAddress: '', userAgent: '' });
    expect(await store.list('a', 'sign-ins')).toEqual([]);
    expect(await store.list('c', 'sign-ins')).toHaveLength(1);
  });
});
