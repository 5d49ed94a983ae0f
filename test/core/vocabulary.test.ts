// One catalogue of labels: the engine's messages, the reports, the dashboards and the board (through
// GET /api/vocabulary) say the same words for the same thing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITY_ZH, TYPE_ZH } from '../../alerts/notify/render.ts';
import {
  AB_ROLE_LABELS,
  ALERT_TYPE_LABELS,
  COUNTER_STATE_LABELS,
  EQUIPMENT_KIND_LABELS,
  METRIC_LABELS,
  SEVERITY_LABELS,
  VOCABULARY,
} from '../../core/vocabulary.ts';
import { ALERT_LABELS, STATE_LABELS } from '../../dashboards/common.ts';
import { EQUIPMENT_KIND_ZH, METRIC_ZH } from '../../reports/columns.ts';
import { testApi } from '../api/helpers.ts';
import { config, ev, Rig, single, t } from './engine/helpers.ts';

describe('vocabulary', () => {
  it('names every alert type, the rules v2 types included', () => {
    for (const t of ['service_paused', 'understaffed', 'calendar_unverified', 'unattended', 'staffing_gap'])
      expect(ALERT_TYPE_LABELS[t as keyof typeof ALERT_TYPE_LABELS].zh).not.toBe('');
  });

  it('reports, notifications and dashboards use its words (no drift: 电子显示屏, 其他设备)', () => {
    expect(EQUIPMENT_KIND_ZH.display).toBe('电子显示屏');
    expect(EQUIPMENT_KIND_ZH.other).toBe(EQUIPMENT_KIND_LABELS.other.zh);
    expect(METRIC_ZH.co2).toBe('二氧化碳(ppm)');
    expect(TYPE_ZH.staffing_gap).toBe(ALERT_TYPE_LABELS.staffing_gap.zh);
    expect(SEVERITY_ZH.critical).toBe(SEVERITY_LABELS.critical.zh);
    expect(STATE_LABELS.away!.text).toBe(COUNTER_STATE_LABELS.away.zh);
    expect(ALERT_LABELS.unattended!.text).toBe(ALERT_TYPE_LABELS.unattended.zh);
  });

  it("no copies: the board, dashboards, reports, notifications and the API write none of the catalogue's words", () => {
    const files = ['board/js', 'dashboards', 'reports', 'alerts/notify', 'api', 'api/routes'].flatMap((d) => {
      const dir = new URL(`../../${d}/`, import.meta.url);
      return readdirSync(dir)
        .filter((f) => f.endsWith('.js') || f.endsWith('.ts'))
        .map((f) => [`${d}/${f}`, readFileSync(new URL(f, dir), 'utf8')] as const);
    });
    expect(files.length).toBeGreaterThan(40);
    const words = Object.values(VOCABULARY).flatMap((c) =>
      Object.values(c as Record<string, { zh: string }>).map((l) => l.zh),
    );
    for (const [file, text] of files)
      for (const w of words.filter((x) => x.length > 1))
        expect(text.includes(`'${w}'`), `${file} writes '${w}' out`).toBe(false);
  });

  it('engine messages open with the alert type label and say roles and metrics as it does', () => {
    const cfg = config([single({ equipment: [{ id: 'pc', kind: 'pc' }] })], {
      sensors: [{ id: 'env1', counter: 'w01' }],
      thresholds: { co2: { max: 1000 } },
    });
    const r = new Rig(cfg, t('08:00:00'));
    r.send(ev.seat('w01', false, t('08:00:00')), ev.equipment('w01', 'pc', 'fault', t('08:00:00')));
    r.tick(t('09:20:00'));
    r.send(ev.seat('w01', true, t('09:20:00')));
    for (let m = 0; m <= 61; m++) r.send(ev.env('env1', { co2: 1500 }, t('09:20:00') + m * 60_000));
    r.tick(t('10:30:00'));
    r.send(ev.seat('w01', false, t('10:30:00')));
    r.tick(t('10:40:00'));
    const opened = r.opened();
    expect(new Set(opened.map((a) => a.type))).toEqual(
      new Set(['not_ready', 'equipment_fault', 'late_opening', 'unattended', 'environment']),
    );
    for (const a of opened) {
      const label =
        a.details.reason === 'not_opened'
          ? VOCABULARY.unattendedReasons.not_opened
          : ALERT_TYPE_LABELS[a.type];
      expect(a.message.startsWith(`【${label.zh}】`), a.message).toBe(true);
    }
    const env = opened.find((a) => a.type === 'environment')!;
    expect(env.message).toContain(`${METRIC_LABELS.co2.zh}平均1500${METRIC_LABELS.co2.unit}`);
    expect(opened.find((a) => a.type === 'unattended' && !a.details.reason)!.message).toContain(
      `${AB_ROLE_LABELS.b.zh}李二(E2)`,
    );
  });

  it('the engine writes none of its words out again: titles and A角/B角 come from the catalogue', () => {
    const dir = 'core/engine';
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const code = readFileSync(join(dir, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/【[^$]|A角|B角|℃/);
    }
  });

  it('is served to the board at GET /api/vocabulary without a token', async () => {
    const { app } = await testApi();
    try {
      const res = await app.inject({ method: 'GET', url: '/api/vocabulary' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse(JSON.stringify(VOCABULARY)));
      expect(res.json().counterStates.unknown.zh).toBe('设备离线');
    } finally {
      await app.close();
    }
  });
});
