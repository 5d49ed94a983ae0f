// R24 approvals on the alerts side (alerts/approvals.ts): every entry gets its own instant, because
// the `approval` point's time is the entry; the engine gets the same inputs the ingest stores.
import { describe, expect, it } from 'vitest';
import { Approvals } from '../../alerts/approvals.ts';
import { openStore } from '../../alerts/store/index.ts';
import type { EngineInput } from '../../core/engine/drive.ts';
import { approvalLine } from '../../core/points/index.ts';
import type { OutgoingMessage } from '../../core/protocol/encode.ts';
import { at, config } from '../core/stats/fixtures.ts';

const D = '2026-03-09';
const NOW = at(D, '08:00:00');

function approvals(store = openStore(':memory:'), now = () => NOW) {
  const fed: EngineInput[] = [];
  const published: OutgoingMessage[] = [];
  const a = new Approvals({
    config,
    store,
    now,
    feed: (i) => fed.push(i),
    snapshot: () => {},
    publish: (m) => published.push(m),
  });
  return { a, fed, published, store };
}
const leave = (staff: string) => ({
  hall: 'cz-main',
  staff,
  from: at(D, '14:00:00'),
  to: at(D, '15:00:00'),
  reason: '事假',
});

describe('approval entry instants', () => {
  it('two approvals entered in one millisecond get distinct instants (distinct stored points)', () => {
    const { a, fed, published } = approvals();
    const one = a.addLeave(leave('E1023'), '张主任');
    const two = a.addLeave(leave('E2051'), '张主任');
    const three = a.addClosure(
      { hall: 'cz-main', counter: 'w07', from: at(D, '10:00:00'), to: at(D, '11:00:00'), reason: '培训' },
      '张主任',
    );
    expect([one.enteredAt, two.enteredAt, three.enteredAt]).toEqual([NOW, NOW + 1, NOW + 2]);
    // The engine is fed at those instants, and the ingest would write three points, not one.
    expect(fed.map((i) => i.ts)).toEqual([NOW, NOW + 1, NOW + 2]);
    const lines = published.map((m) => approvalLine(JSON.parse(m.payload)));
    expect(new Set(lines.map((l) => l.split(' ').at(-1))).size).toBe(3);
  });

  it('a restart continues after the stored entries; a withdrawal is never before its entry', () => {
    const store = openStore(':memory:');
    const first = approvals(store);
    const one = first.a.addLeave(leave('E1023'), '张主任');
    const again = approvals(store);
    const two = again.a.addLeave(leave('E2051'), '张主任');
    expect(two.enteredAt).toBe(one.enteredAt + 1);
    expect(again.a.remove('leave', two.id, '张主任')).toBe(true);
    expect(again.fed.at(-1)).toMatchObject({ kind: 'leave_removed', id: two.id, ts: two.enteredAt });
  });

  it('a later clock is used as it is', () => {
    let now = NOW;
    const { a } = approvals(openStore(':memory:'), () => now);
    a.addLeave(leave('E1023'), '张主任');
    now = NOW + 60_000;
    expect(a.addLeave(leave('E2051'), '张主任').enteredAt).toBe(NOW + 60_000);
  });
});
