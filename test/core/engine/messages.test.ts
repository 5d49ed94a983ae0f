// Alert messages: Simplified Chinese, naming hall, counter, roles with names, and how long.
import { describe, expect, it } from 'vitest';
import { config, ev, Rig, single, t } from './helpers.ts';

describe('alert messages', () => {
  it('unattended names the hall, the counter, A角 and B角 with names, the limit, and asks B to 顶岗', () => {
    const r = new Rig(config([single()]), t('08:00:00'));
    r.send(
      ev.seat('w01', true, t('08:30:00')),
      ev.sign('w01', 'away', t('10:00:00')),
      ev.seat('w01', false, t('10:00:00')),
    );
    r.tick(t('10:10:00'));
    const [a] = r.opened('unattended');
    expect(a!.message).toBe(
      '【脱岗】测试大厅 1号窗口：A角张一(E1)自10:00起无人在岗，放置“临时离开,请稍候”提示牌后离岗已超过10分钟。请B角李二(E2)立即顶岗，并通知A角张一(E1)尽快返岗。',
    );
    expect(a!.notify).toEqual(['E1', 'E2']);
  });

  it('late opening says the local opening time; not_ready lists what is missing; staffing_gap and device_offline', () => {
    const c = config(
      [
        single({ equipment: [{ id: 'pc', kind: 'pc' }] }),
        single({
          id: 'w02',
          name: '2号窗口',
          controller: 'ctl-w02',
          seats: ['s1', 's2'],
          roster: { staff: ['E1', 'E2'] },
          agency: '社保局',
        }),
      ],
      {},
    );
    const r = new Rig(c, t('08:00:00'));
    r.send(ev.seat('w01', false, t('08:00:00')), ev.equipment('w01', 'pc', 'off', t('08:00:00')));
    r.send(ev.seat('w02', true, t('08:00:00'), 's1'), ev.seat('w02', true, t('08:00:00'), 's2'));
    r.tick(t('09:00:00'));
    expect(r.opened('not_ready')[0]!.message).toBe(
      '【开窗准备未到位】测试大厅 1号窗口：距09:00开窗不足15分钟，无人在岗；电脑(pc)未开机，请提前到岗并开启设备。',
    );
    expect(r.opened('late_opening')[0]!.message).toContain('09:00应开窗服务，目前无人在岗（A角张一(E1)）');
    r.send(ev.seat('w02', false, t('10:00:00'), 's1'), ev.seat('w02', false, t('10:00:00'), 's2'));
    r.tick(t('10:01:00'));
    expect(r.opened('staffing_gap')[0]!.message).toBe(
      '【窗口缺位】测试大厅 2号窗口：多人窗口自10:00起全部离岗已1分钟，至少应有一人在岗，请立即安排人员到岗。',
    );
    r.send(ev.status('ctl-w02', false, t('10:30:15')));
    expect(r.opened('device_offline')[0]!.message).toBe(
      '【设备离线】测试大厅 2号窗口：设备ctl-w02自10:30:15起离线，窗口在岗状态未知（不按离岗处理），请检查网络和电源。',
    );
  });
});
