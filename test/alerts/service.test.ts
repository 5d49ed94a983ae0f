// The alerts service end to end: real aedes, mqtt.js, SQLite, the real engine, every channel
// captured by local recorders.
import { afterEach, describe, expect, it } from 'vitest';
import { AlertConflictError, AlertNotFoundError } from '../../alerts/types.ts';
import { hhmm } from '../helpers/time.ts';
import { sleep, waitFor } from './helpers.ts';
import { dingtalkSignOk, type Fixture, feishuSignOk, startFixture } from './service-fixture.ts';

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const W07 = 'hall/cz-main/counter/w07';

describe('alerts service', () => {
  it('device messages in → the unattended alert on MQTT and on every channel, then resolved', async () => {
    fx = await startFixture();
    const { svc, hook, robots, smtp, seen } = fx;
    await fx.publish(`${W07}/seat/s1`, { occupied: true, ts: Date.now() - 1000 });
    await fx.publish(`${W07}/sign`, { sign: 'away', ts: Date.now() - 500 });
    const t0 = Date.now();
    await fx.publish(`${W07}/seat/s1`, { occupied: false, ts: t0 });

    const alertMsg = await waitFor(
      () => seen.find((m) => m.topic.startsWith('hall/cz-main/alerts/') && m.payload),
      8000,
      'alert on MQTT',
    );
    const alert = JSON.parse(alertMsg.payload);
    expect(alert).toMatchObject({
      type: 'unattended',
      severity: 'critical',
      hall: 'cz-main',
      counter: 'w07',
      status: 'open',
    });
    expect(alert.openedAt).toBe(t0 + 3000);
    expect(alertMsg.topic).toBe(`hall/cz-main/alerts/${alert.id}`);
    expect(alert.message).toContain('7号窗口 不动产登记');
    await waitFor(
      () => seen.find((m) => m.topic === `${W07}/state` && JSON.parse(m.payload).state === 'unattended'),
      2000,
      'state unattended',
    );

    // Every configured channel got it, in its own format.
    await waitFor(
      () => hook.received.length >= 1 && robots.received.length >= 3 && smtp.mails.length >= 1,
      8000,
      'channels',
    );
    const h = hook.received[0]!;
    expect(h.body).toMatchObject({ kind: 'open', idempotencyKey: `${alert.id}:open:hook` });
    expect(h.body.alert.id).toBe(alert.id);
    expect(h.body.text).toContain('已持续');
    expect(h.body.mentions).toEqual(['王主管(值班主管)']);
    const wecom = robots.received.find((r) => r.platform === 'wecom')!;
    // The supervisor is known by mobile only: WeCom markdown could not @ them, so it goes as text.
    expect(wecom.body.msgtype).toBe('text');
    expect(wecom.text).toContain('市政务服务中心 7号窗口 不动产登记');
    expect(wecom.reached).toEqual(['13900000001']);
    const ding = robots.received.find((r) => r.platform === 'dingtalk')!;
    expect(dingtalkSignOk(ding.url)).toBe(true);
    expect(ding.body.at.atMobiles).toEqual(['13900000001']);
    expect(ding.reached).toEqual(['13900000001']);
    const feishu = robots.received.find((r) => r.platform === 'feishu')!;
    expect(feishuSignOk(feishu.body)).toBe(true);
    expect(feishu.body.content.text).toContain('A角 张三(E1023)');
    expect(smtp.mails[0]!.to.sort()).toEqual(['duty@example.gov.cn', 'sup@example.gov.cn']);
    await waitFor(() => seen.find((m) => m.topic === 'hallwatch/notifications'), 5000, 'MQTT channel');

    // Staff returns: the retained alert is cleared, channels get the resolve notification.
    await fx.publish(`${W07}/seat/s1`, { occupied: true, ts: Date.now() });
    await waitFor(
      () => seen.find((m) => m.topic === alertMsg.topic && m.payload === ''),
      5000,
      'alert cleared',
    );
    // Before the retained message is cleared, the resolved object goes out once with its reason.
    const ended = seen.find((m) => m.topic === alertMsg.topic && m.payload.includes('"resolved"'));
    expect(ended && JSON.parse(ended.payload)).toMatchObject({
      id: alert.id,
      status: 'resolved',
      details: { reason: 'staff_returned', responsible: { staff: 'E1023', role: 'a' } },
    });
    expect(seen.indexOf(ended!)).toBeLessThan(
      seen.findIndex((m) => m.topic === alertMsg.topic && m.payload === ''),
    );
    await waitFor(() => hook.received.some((r) => r.body.kind === 'resolve'), 5000, 'resolve notification');
    const resolvedNote = hook.received.find((r) => r.body.kind === 'resolve')!.body;
    expect(resolvedNote.title).toContain('【已恢复·脱岗】');
    expect(resolvedNote.text).toContain('关闭原因：人员已返岗');
    expect(svc.getAlert(alert.id)).toMatchObject({ status: 'resolved', resolveReason: 'staff_returned' });
    expect(svc.listAlerts({ hall: 'cz-main', status: ['resolved'] }).map((a) => a.id)).toEqual([alert.id]);
    const intervals = seen.filter((m) => m.topic === `${W07}/interval`).map((m) => JSON.parse(m.payload));
    expect(intervals.map((i) => i.state)).toContain('away');
    expect(intervals.map((i) => i.state)).toContain('unattended');
    expect(svc.counters('cz-main').find((c) => c.counter === 'w07')).toMatchObject({
      state: 'staffed',
      openAlerts: [],
    });
    expect(
      svc
        .audit({ alertId: alert.id })
        .map((e) => e.action)
        .sort(),
    ).toEqual(['opened', 'resolved']);
    // Nothing left to send anywhere: a second open notification would have gone out by now.
    await waitFor(() => svc.health().details.outboxPending === 0, 8000, 'the outbox drained');
    expect(hook.received.filter((r) => r.body.kind === 'open')).toHaveLength(1);
  });

  it('R23: a rostered person badging in after the opening goes out on the late_arrival topic', async () => {
    // A session that opens at the next local minute (≥ 8 s away; openingGrace 0s), so the engine
    // sees it start (an engine started mid-session awaits nobody).
    const next = hhmm(Math.ceil((Date.now() + 8000) / 60_000) * 60_000);
    if (next === '00:00') await sleep(61_000); // local midnight: the next minute is a new day
    fx = await startFixture({
      halls: [
        {
          id: 'cz-main',
          name: '市政务服务中心',
          calendar: 'none',
          sessions: { 'mon-sun': [`${next === '00:00' ? '00:01' : next}-24:00`] },
          counters: [{ id: 'w07', name: '7号窗口', seats: ['s1'], roster: { staff: ['E1023', 'E2051'] } }],
        },
      ],
    });
    const { seen } = fx;
    await fx.publish(`${W07}/seat/s1`, { occupied: false, ts: Date.now() });
    const opened = (m: { topic: string; payload: string }) =>
      m.topic === `${W07}/state` && JSON.parse(m.payload).state === 'unattended';
    await waitFor(() => seen.find(opened), 90_000, 'the session opening');
    const t0 = Date.now();
    await fx.publish(`${W07}/badge`, { staff: 'E2051', action: 'in', ts: t0 });
    const msg = await waitFor(
      () => seen.find((m) => m.topic === `${W07}/late_arrival`),
      8000,
      'late arrival on MQTT',
    );
    const late = JSON.parse(msg.payload);
    expect(late).toMatchObject({ hall: 'cz-main', counter: 'w07', staff: 'E2051', at: t0 });
    expect(late.lateSeconds).toBe(Math.round((t0 - late.sessionStart) / 1000));
    // Only the first badge-in of the session counts.
    await fx.publish(`${W07}/badge`, { staff: 'E2051', action: 'out', ts: t0 + 1 });
    await fx.publish(`${W07}/badge`, { staff: 'E2051', action: 'in', ts: t0 + 2 });
    // Then the seat: the service publishes in order, so its state comes after any second late_arrival.
    const mark = seen.length;
    await fx.publish(`${W07}/seat/s1`, { occupied: true, ts: t0 + 3 });
    await waitFor(
      () =>
        seen.slice(mark).find((m) => m.topic === `${W07}/state` && JSON.parse(m.payload).state === 'staffed'),
      8000,
      'w07 staffed',
    );
    expect(seen.filter((m) => m.topic === `${W07}/late_arrival`)).toHaveLength(1);
  }, 160_000);

  it('a robot that refuses for good (keyword missing) goes broken and the admins hear of it elsewhere', async () => {
    fx = await startFixture(
      {},
      { adminChannels: ['director-hook'] },
      { dingtalk: { keywords: ['值班提醒'] } },
    );
    const { svc, robots, escalation } = fx;
    await fx.publish(`${W07}/seat/s1`, { occupied: true, ts: Date.now() - 1000 });
    await fx.publish(`${W07}/sign`, { sign: 'away', ts: Date.now() - 500 });
    await fx.publish(`${W07}/seat/s1`, { occupied: false, ts: Date.now() });
    const notice = await waitFor(
      () => escalation.received.find((r) => r.body.kind === 'notice'),
      15_000,
      'the channel-error notice',
    );
    expect(notice.body.title).toBe('【通知渠道故障】ding');
    expect(notice.body.text).toContain('310000');
    expect(robots.refused.filter((r) => r.platform === 'dingtalk').map((r) => r.code)).toEqual([310000]);
    const h = svc.health();
    expect(h.status).toBe('degraded');
    expect(
      (h.details.channels as { id: string; status: string }[]).find((c) => c.id === 'ding')!.status,
    ).toBe('broken');
    // The other robots were not held up.
    await waitFor(() => robots.received.some((r) => r.platform === 'wecom'), 10_000, 'WeCom delivery');
  });

  it('rejects messages naming unconfigured ids or bad payloads, counts them and keeps running', async () => {
    fx = await startFixture();
    await fx.publish('hall/cz-main/counter/w99/seat/s1', { occupied: true });
    await fx.publish(`${W07}/seat/s1`, '{not json');
    await fx.publish(`${W07}/sign`, { sign: 'maybe' });
    await waitFor(() => fx!.svc.runner.counts.received >= 3, 3000, 'messages received');
    expect(fx.svc.health().details.rejected).toEqual({ unknown_id: 1, not_json: 1, invalid_field: 1 });
    expect(fx.svc.health().status).toBe('ok');
  });

  it('acknowledge stops escalation; an unacknowledged alert escalates to the director', async () => {
    fx = await startFixture({}, { escalateAfter: '2s' });
    const { svc, escalation, seen } = fx;
    await fx.publish(`${W07}/equipment/printer`, { status: 'fault', code: 'PAPER_OUT', ts: Date.now() });
    await fx.publish('hall/cz-main/equipment/queue', { status: 'fault', code: 'JAM', ts: Date.now() });
    const [printer, queue] = await waitFor(() => {
      const live = svc.listAlerts({ status: ['open'] });
      const p = live.find((a) => a.equipment === 'printer');
      const q = live.find((a) => a.equipment === 'queue');
      return p && q ? [p, q] : undefined;
    });
    const acked = svc.acknowledge(printer!.id, '张主任', '已张贴故障警示牌');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: '张主任' });
    expect(acked.notes).toEqual([expect.objectContaining({ by: '张主任', text: '已张贴故障警示牌' })]);
    await waitFor(
      () =>
        seen.find(
          (m) => m.topic === `hall/cz-main/alerts/${printer!.id}` && m.payload.includes('"acknowledged"'),
        ),
      3000,
      'acknowledged alert on MQTT',
    );
    await waitFor(() => escalation.received.length >= 1, 6000, 'escalation');
    // The printer was due first: had the acknowledgement not stopped it, its escalation was queued in
    // the same or an earlier tick. With the outbox empty, everything queued has been sent.
    await waitFor(() => svc.health().details.outboxPending === 0, 8000, 'the outbox drained');
    expect(escalation.received).toHaveLength(1);
    const e = escalation.received[0]!.body;
    expect(e.kind).toBe('escalate');
    expect(e.alert.id).toBe(queue!.id);
    expect(e.title).toMatch(/^【升级·警告·设备故障·\d+秒未确认】/);
    expect(e.mentions).toEqual(['赵主任(主任)']);
    expect(svc.getAlert(queue!.id)!.escalatedAt).toBeGreaterThan(queue!.openedAt);

    const resolved = svc.resolve(queue!.id, '张主任', '已报修并更换');
    expect(resolved).toMatchObject({ status: 'resolved', resolveReason: 'manual', resolvedBy: '张主任' });
    await waitFor(
      () => seen.find((m) => m.topic === `hall/cz-main/alerts/${queue!.id}` && m.payload === ''),
      3000,
    );
    expect(() => svc.acknowledge(queue!.id, 'x')).toThrow(AlertConflictError);
    expect(() => svc.acknowledge('nope', 'x')).toThrow(AlertNotFoundError);
  });

  it('a maintenance silence mutes notifications but the alert still opens; leave silences nothing and is audited and published', async () => {
    fx = await startFixture();
    const { svc, seen } = fx;
    const now = Date.now();
    const minute = (t: number) => Math.floor(t / 60_000) * 60_000;
    svc.addSilence(
      { hall: 'cz-main', equipment: 'queue', from: now - 60_000, to: now + 3_600_000, reason: '叫号机维保' },
      '王主管',
    );
    const leave = svc.addLeave(
      {
        hall: 'cz-main',
        staff: 'E1023',
        from: minute(now),
        to: minute(now) + 3_600_000,
        reason: '事假（已批准）',
      },
      '王主管',
    );
    expect(leave).toMatchObject({ kind: 'leave', staff: 'E1023', approvedBy: '王主管' });
    expect(svc.listApprovals('leave', 'cz-main').map((l) => l.id)).toEqual([leave.id]);
    // Published retained for the ingest (replay and statistics read it back from InfluxDB).
    const msg = await waitFor(
      () => seen.find((m) => m.topic === `hall/cz-main/approvals/${leave.id}`),
      3000,
      'approval',
    );
    expect(JSON.parse(msg.payload)).toMatchObject({ id: leave.id, enteredAt: leave.enteredAt });
    expect(svc.audit().some((e) => e.action === 'leave_added' && e.details.id === leave.id)).toBe(true);

    await fx.publish('hall/cz-main/equipment/queue', { status: 'fault', code: 'JAM', ts: Date.now() });
    await fx.publish(`${W07}/seat/s1`, { occupied: true, ts: Date.now() - 1000 });
    await fx.publish(`${W07}/sign`, { sign: 'away', ts: Date.now() - 500 });
    await fx.publish(`${W07}/seat/s1`, { occupied: false, ts: Date.now() });
    const queueAlert = await waitFor(
      () => svc.listAlerts({ type: ['equipment_fault'] })[0],
      5000,
      'silenced alert',
    );
    expect(queueAlert.silencedBy).toBe(svc.listSilences('cz-main')[0]!.id);
    await waitFor(
      () => seen.find((m) => m.topic === `hall/cz-main/alerts/${queueAlert.id}` && m.payload),
      2000,
    );
    // Leave is not a silence (R24): the empty counter still raises its alert.
    const unattended = await waitFor(
      () => svc.listAlerts({ type: ['unattended'] })[0],
      8000,
      'unattended despite leave',
    );
    expect(unattended.silencedBy).toBeUndefined();

    expect(svc.removeApproval('leave', leave.id, '王主管')).toBe(true);
    expect(svc.listApprovals('leave')).toEqual([]);
    expect(svc.audit().some((e) => e.action === 'leave_removed' && e.details.id === leave.id)).toBe(true);
    await waitFor(
      () =>
        seen.find(
          (m) =>
            m.topic === `hall/cz-main/approvals/${leave.id}` && JSON.parse(m.payload).removedBy === '王主管',
        ),
      3000,
      'withdrawal published',
    );
    expect(() =>
      svc.addClosure(
        { hall: 'cz-main', counter: 'w99', from: minute(now), to: minute(now) + 60_000, reason: 'x' },
        'a',
      ),
    ).toThrow(/counter/);
    expect(() =>
      svc.addLeave(
        {
          hall: 'cz-main',
          staff: 'E1023',
          from: minute(now) + 30_000,
          to: minute(now) + 120_000,
          reason: 'x',
        },
        'a',
      ),
    ).toThrow(/from: must be a whole minute/);
  });
});
