// One catalogue of labels: the engine's messages, the reports, the dashboards and the board (through
// GET /api/vocabulary) say the same words for the same thing.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEVERITY_ZH, TYPE_ZH } from '../../alerts/notify/render.ts';
import {
  ALERT_TYPE_LABELS,
  COUNTER_STATE_LABELS,
  EQUIPMENT_KIND_LABELS,
  SEVERITY_LABELS,
  VOCABULARY,
} from '../../core/vocabulary.ts';
import { ALERT_LABELS, STATE_LABELS } from '../../dashboards/common.ts';
import { EQUIPMENT_KIND_ZH, METRIC_ZH } from '../../reports/columns.ts';
import { testApi } from '../api/helpers.ts';

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

  it("the board holds no copy: its scripts write none of the catalogue's words (they are served)", () => {
    const dir = new URL('../../board/js/', import.meta.url);
    const scripts = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => [f, readFileSync(new URL(f, dir), 'utf8')] as const);
    expect(scripts.length).toBeGreaterThan(5);
    const words = Object.values(VOCABULARY).flatMap((c) =>
      Object.values(c as Record<string, { zh: string }>).map((l) => l.zh),
    );
    for (const [file, text] of scripts)
      for (const w of words.filter((x) => x.length > 1))
        expect(text.includes(`'${w}'`), `${file} writes '${w}' out`).toBe(false);
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
