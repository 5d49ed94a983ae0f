// R26: calendar_unverified from calendarWarnDays before an uncovered year until it is covered.
import { describe, expect, it } from 'vitest';
import { config, Rig, single, t } from './helpers.ts';

describe('R26 calendar_unverified', () => {
  it('calendarWarnDays per hall beats the top level: 10 days → opens 2026-12-22 00:00', () => {
    const r = new Rig(
      config([single()], { calendarWarnDays: 10 }, { calendarWarnDays: 60 }),
      t('09:00:00', '2026-12-01'),
    );
    r.tick(t('23:59:59', '2026-12-21'));
    expect(r.opened('calendar_unverified')).toEqual([]);
    r.tick(t('00:00:00', '2026-12-22'));
    expect(r.opened('calendar_unverified')).toEqual([
      expect.objectContaining({
        openedAt: t('00:00:00', '2026-12-22'),
        details: expect.objectContaining({ warnDays: 10 }),
      }),
    ]);
  });

  it('the top-level value applies when the hall has none; a covered year (2026) never opens it', () => {
    const r = new Rig(config([single()], {}, { calendarWarnDays: 60 }), t('09:00:00', '2026-03-09'));
    r.tick(t('00:00:00', '2026-11-01'));
    expect(r.opened('calendar_unverified')).toEqual([]);
    r.tick(t('00:00:00', '2026-11-02'));
    expect(r.opened('calendar_unverified')).toEqual([
      expect.objectContaining({ openedAt: t('00:00:00', '2026-11-02') }),
    ]);
  });

  it('inside the uncovered year it stays open; a restore with the same configuration does not reopen it', () => {
    const cfg = config([single()]);
    const r = new Rig(cfg, t('08:00:00', '2027-03-01'));
    r.tick(t('08:00:00', '2027-03-01'));
    const [a] = r.opened('calendar_unverified');
    expect(a).toMatchObject({ openedAt: t('08:00:00', '2027-03-01'), details: { year: 2027 } });
    const again = new Rig(cfg, t('09:00:00', '2027-03-02'), r.engine.snapshot());
    again.tick(t('09:00:00', '2027-03-02'));
    expect(again.out.filter((o) => o.kind === 'alert_opened' || o.kind === 'alert_resolved')).toEqual([]);
    expect(
      again.engine
        .openAlerts()
        .filter((x) => x.type === 'calendar_unverified')
        .map((x) => x.id),
    ).toEqual([a!.id]);
  });

  it('a hall without the Chinese calendar needs no holiday data', () => {
    const r = new Rig(config([single()], { calendar: 'none' }), t('09:00:00', '2026-12-10'));
    r.tick(t('09:00:00', '2027-01-10'));
    expect(r.opened('calendar_unverified')).toEqual([]);
  });
});
