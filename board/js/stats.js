// The statistics page for assessors: per-counter time on post as stacked bars, a state timeline
// of one day, the assessment figures as a table, and the same numbers as CSV from the API.
import { api, download } from './api.js';
import { $, h } from './dom.js';
import { localDate, now } from './format.js';
import { t } from './i18n.js';
import { nameOf } from './panels.js';

const COLORS = {
  staffed: '#2e9e5b',
  away: '#e8a33d',
  paused: '#6b84a8',
  unattended: '#d64545',
  unknown: '#8e6bbf',
};
const PARTS = ['staffed', 'away', 'paused', 'unattended', 'unknown'];
const charts = {};
let ctx = null;

/** A local date `days` before `date` (YYYY-MM-DD). */
const daysBefore = (date, days) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * The pickers from the hall's clock (the server's, simulated in the demo): the 30 finished days
 * before today, and today's state timeline. Called once the clock is known.
 */
export function resetStatsDates() {
  const today = localDate(now());
  $('#stats-from').value = daysBefore(today, 30);
  $('#stats-to').value = daysBefore(today, 1);
  $('#timeline-date').value = today;
}

export function initStats(context) {
  ctx = context;
  resetStatsDates();
  $('#stats-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadStats();
  });
  $('#timeline-date').addEventListener('change', loadTimeline);
  for (const b of document.querySelectorAll('[data-preset]'))
    b.addEventListener('click', () => {
      const d = localDate(now());
      const dow = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
      const preset = b.dataset.preset;
      $('#stats-to').value = preset === 'last30' ? daysBefore(d, 1) : d;
      $('#stats-from').value =
        preset === 'today'
          ? d
          : preset === 'week'
            ? daysBefore(d, dow)
            : preset === 'last30'
              ? daysBefore(d, 30)
              : `${d.slice(0, 8)}01`;
      loadStats();
    });
  $('#stats-csv').addEventListener('click', () =>
    download(`/api/stats/uptime?${query()}&format=csv`, `在岗统计-${$('#stats-from').value}.csv`).catch(
      showError,
    ),
  );
  window.addEventListener('resize', () => {
    for (const c of Object.values(charts)) c.resize();
  });
}

export function fillCounters(layout) {
  const sel = $('#stats-counter');
  sel.replaceChildren(
    h('option', { value: '' }, t('stats.allCounters')),
    ...layout.counters.map((c) => h('option', { value: c.counter }, c.name)),
  );
}

function query() {
  const to = new Date(`${$('#stats-to').value}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + 1); // the "to" date is inclusive on the page
  const q = new URLSearchParams({
    hall: ctx.hall(),
    from: $('#stats-from').value,
    to: to.toISOString().slice(0, 10),
    by: $('#stats-by').value,
  });
  if ($('#stats-counter').value) q.set('counter', $('#stats-counter').value);
  return q.toString();
}

function showError(err) {
  const el = $('#stats-error');
  el.hidden = !err;
  el.textContent = err
    ? err.status === 403
      ? t('stats.forbidden')
      : (err.body?.message ?? String(err))
    : '';
}

let generation = 0;

export async function loadStats() {
  // Only the latest query may render or report an error (a slow earlier one is ignored).
  const mine = ++generation;
  const current = () => mine === generation;
  showError(null);
  const chart = (id) => {
    charts[id] ??= window.echarts.init($(`#${id}`), 'dark', { renderer: 'canvas' });
    return charts[id];
  };
  const can = ctx.can();
  for (const el of document.querySelectorAll('.uptime-only')) el.hidden = !can.uptimeStats;
  for (const el of document.querySelectorAll('.equipment-only')) el.hidden = !can.equipmentStats;
  $('#stats-csv').hidden = !can.uptimeStats;
  try {
    if (can.uptimeStats) {
      const report = await api(`/api/stats/uptime?${query()}`);
      if (!current()) return;
      const rows = report.rows.filter((r) => r.scope === 'counter');
      renderUptime(chart('chart-uptime'), rows);
      renderTable(rows);
    }
    if (can.equipmentStats) {
      const q = new URLSearchParams(query());
      q.delete('by');
      const report = await api(`/api/stats/equipment?${q}`);
      if (!current()) return;
      renderEquipmentTable(report.rows);
    }
  } catch (err) {
    if (current()) showError(err);
  }
  await loadTimeline();
}

/** A figure's header: its name from the served vocabulary and the unit the board shows it in. */
const fig = (key, unit) => `${t(`fig.${key}`)}${unit ? t(unit) : ''}`;

function renderEquipmentTable(rows) {
  const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  const names = new Map(ctx.layout().counters.map((c) => [c.counter, c.name.split(' ')[0]]));
  const cols = [
    [t('col.counter'), (r) => (r.counter ? (names.get(r.counter) ?? r.counter) : '大厅')],
    [t('col.equipment'), (r) => nameOf(r)],
    [fig('availability'), (r) => pct(r.availability)],
    [fig('faultCount'), (r) => r.faultCount],
    [
      fig('meanTimeToRepairSeconds', 'in.minutes'),
      (r) => (r.meanTimeToRepairSeconds === null ? '—' : (r.meanTimeToRepairSeconds / 60).toFixed(1)),
    ],
    [fig('openFaults'), (r) => r.openFaults],
  ];
  $('#equipment-table').replaceChildren(
    h('thead', {}, h('tr', {}, ...cols.map(([head]) => h('th', {}, head)))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h('tr', { class: r.faultCount ? 'warn' : '' }, ...cols.map(([, f]) => h('td', {}, String(f(r))))),
      ),
    ),
  );
}

async function loadTimeline() {
  try {
    charts['chart-timeline'] ??= window.echarts.init($('#chart-timeline'), 'dark');
    const day = await api(`/api/halls/${ctx.hall()}/history?date=${$('#timeline-date').value}`);
    renderTimeline(charts['chart-timeline'], day);
  } catch (err) {
    showError(err);
  }
}

function renderUptime(chart, rows) {
  const names = ctx.layout().counters;
  const by = new Map();
  for (const r of rows) {
    const acc = by.get(r.counter) ?? Object.fromEntries(PARTS.map((p) => [p, 0]));
    for (const p of PARTS) acc[p] += r[`${p}Seconds`] ?? 0;
    by.set(r.counter, acc);
  }
  const counters = names.filter((c) => by.has(c.counter));
  chart.setOption(
    {
      animation: false,
      backgroundColor: 'transparent',
      textStyle: { fontFamily: 'inherit' },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => `${v} ${t('stats.hours')}`,
      },
      legend: { top: 0, data: PARTS.map((p) => t(`state.${p}`)) },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: counters.map((c) => c.name.replace(/窗口\s*/, '\n')),
        axisLabel: { interval: 0, fontSize: 11 },
      },
      yAxis: { type: 'value', name: t('stats.hours') },
      series: PARTS.map((p) => ({
        name: t(`state.${p}`),
        type: 'bar',
        stack: 'time',
        itemStyle: { color: COLORS[p] },
        data: counters.map((c) => Math.round((by.get(c.counter)[p] / 3600) * 10) / 10),
      })),
    },
    true,
  );
}

function renderTimeline(chart, day) {
  const counters = ctx.layout().counters;
  const index = new Map(counters.map((c, i) => [c.counter, i]));
  const data = day.intervals
    .filter((iv) => index.has(iv.counter))
    .map((iv) => ({
      value: [index.get(iv.counter), iv.start, iv.end, iv.state],
      itemStyle: { color: COLORS[iv.state] ?? '#999' },
    }));
  const starts = day.intervals.map((i) => i.start);
  const ends = day.intervals.map((i) => i.end);
  chart.setOption(
    {
      animation: false,
      backgroundColor: 'transparent',
      tooltip: {
        formatter: (p) =>
          `${counters[p.value[0]].name}<br>${t(`state.${p.value[3]}`)} ` +
          `${new Date(p.value[1]).toLocaleTimeString('zh-CN', { hour12: false })}–` +
          `${new Date(p.value[2]).toLocaleTimeString('zh-CN', { hour12: false })}`,
      },
      grid: { left: 8, right: 24, top: 12, bottom: 24, containLabel: true },
      xAxis: {
        type: 'time',
        min: starts.length ? Math.min(...starts) : day.from + 9 * 3_600_000,
        max: ends.length ? Math.max(...ends) : day.from + 17 * 3_600_000,
        axisLabel: { formatter: '{HH}:{mm}' },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: counters.map((c) => c.name.split(' ')[0]),
        axisLabel: { fontSize: 11 },
      },
      series: [
        {
          type: 'custom',
          encode: { x: [1, 2], y: 0 },
          data,
          renderItem: (_params, api) => {
            const y = api.coord([0, api.value(0)])[1];
            const x0 = api.coord([api.value(1), 0])[0];
            const x1 = api.coord([api.value(2), 0])[0];
            const hgt = api.size([0, 1])[1] * 0.7;
            return {
              type: 'rect',
              shape: { x: x0, y: y - hgt / 2, width: Math.max(1, x1 - x0), height: hgt },
              style: api.style(),
            };
          },
        },
      ],
    },
    true,
  );
}

function renderTable(rows) {
  const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  const minutes = (s) => (s === null || s === undefined ? '—' : (s / 60).toFixed(1));
  const cols = [
    [t('col.counter'), (r) => r.counterName ?? r.counter],
    [t('col.period'), (r) => r.period],
    [fig('scheduledSeconds', 'in.hours'), (r) => (r.scheduledSeconds / 3600).toFixed(1)],
    [fig('onPostRate'), (r) => pct(r.onPostRate)],
    [fig('absenceCount'), (r) => r.absenceCount],
    [
      fig('meanAbsenceSeconds', 'in.minutes'),
      (r) => (r.meanAbsenceSeconds === null ? '—' : (r.meanAbsenceSeconds / 60).toFixed(1)),
    ],
    [fig('interruptionCount'), (r) => r.interruptionCount],
    [fig('lateOpenings'), (r) => r.lateOpenings],
    [fig('onTimeOpeningRate'), (r) => pct(r.onTimeOpeningRate)],
    [fig('sensorCoverage'), (r) => pct(r.sensorCoverage)],
    // Rules v2 (R21, R23, R29, R28): the API rows carry them; '—' for an older API without them.
    [fig('pausedOverLimit', 'in.minutes'), (r) => minutes(r.pausedOverLimit)],
    [fig('understaffed', 'in.minutes'), (r) => minutes(r.understaffed)],
    [fig('lateArrivals'), (r) => r.lateArrivals ?? '—'],
    [fig('waitingAffected'), (r) => r.waitingAffected ?? '—'],
    [fig('voided'), (r) => r.voided ?? '—'],
  ];
  $('#stats-table').replaceChildren(
    h('thead', {}, h('tr', {}, ...cols.map(([head]) => h('th', {}, head)))),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { class: r.interruptionCount ? 'warn' : '' },
          ...cols.map(([, f]) => h('td', {}, String(f(r)))),
        ),
      ),
    ),
  );
}
