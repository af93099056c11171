import { describe, expect, it } from 'vitest';
import { tallyFailover, type Accepted } from './failover-tally.js';

const texts = ['p0', 'p1', 'p2'];
const msg = (via: string, chatId: string, part: number, at: number): Accepted => ({ via, chatId, text: texts[part] ?? 'other', at });

describe('the failover tally judges what the fake accepted', () => {
  it('GIVEN a failover where the killed instance sent part 1 of chat b uncommitted THEN one repeat, the bound held, order kept, takeover and rates measured', () => {
    const accepted = [
      // i0 sends chats a and b, i1 chat c; i0 sent b's part 1 and died at 500 before recording it.
      msg('i0', 'a', 0, 0), msg('i0', 'b', 0, 100), msg('i0', 'a', 1, 200), msg('i1', 'c', 0, 300),
      msg('i0', 'b', 1, 400), msg('i0', 'a', 2, 450),
      // The survivor: its own chat c, then b after the lease ran out (b's part 1 again).
      msg('i1', 'c', 1, 600), msg('i1', 'c', 2, 700), msg('i1', 'b', 1, 3500), msg('i1', 'b', 2, 3600),
    ];
    const t = tallyFailover({ chats: ['a', 'b', 'c'], texts, accepted, victim: 'i0', killAt: 500, victimChats: new Set(['b']), rate: 10 });
    expect(t).toMatchObject({ parts: 9, accepted: 10, lost: 0, repeated: 1, repeatedChats: ['b'], repeatBoundHeld: true, outOfOrder: [], unexpected: 0 });
    expect(t.beforeKill).toEqual({ i0: 5, i1: 1 });
    expect(t.takeoverS).toBe(3);
    expect(t.finishS).toBe(3.1);
    // 5 messages after the first in 0.5 s at R = 10/s; 4 in 3.1 s after the kill.
    expect(t.ratioBothAlive).toBe(1);
    expect(t.ratioAfterKill).toBe(0.129);
  });

  it('GIVEN a lost part, two repeats in one chat, a repeat of a chat the killed one never held and parts out of order THEN each is reported', () => {
    const accepted = [
      msg('i0', 'a', 0, 0), msg('i1', 'a', 0, 600), msg('i0', 'a', 1, 100), msg('i1', 'a', 1, 700), msg('i1', 'a', 2, 800),
      msg('i0', 'b', 0, 0), msg('i1', 'b', 2, 900), msg('i1', 'b', 1, 950),
      msg('i1', 'c', 0, 0), msg('i1', 'c', 0, 10), msg('i1', 'c', 1, 20), { via: 'i1', chatId: 'c', text: 'not a part', at: 30 },
    ];
    const t = tallyFailover({ chats: ['a', 'b', 'c'], texts, accepted, victim: 'i0', killAt: 500, victimChats: new Set(['a', 'b']), rate: 10 });
    expect(t.lost).toBe(1);
    expect(t.repeated).toBe(3);
    expect(t.repeatBoundHeld).toBe(false);
    expect(t.boundBreaches).toEqual([
      'chat a: 2 repeated parts (0,0,1,1,2)',
      'chat c: repeated, but the killed instance held no lease on it',
      'chat c: part 0 repeated, first sent by i1, not the killed i0',
    ]);
    expect(t.outOfOrder).toEqual(['b']);
    expect(t.unexpected).toBe(1);
  });
});
