// The hall grid: one tile per counter at its configured position, coloured by state, with the
// away countdown, staff on post, seats and equipment that turns red on a fault.
import { $, h } from './dom.js';
import { clockText, mmss, now } from './format.js';
import { t, tOr } from './i18n.js';

export const STATES = ['staffed', 'away', 'paused', 'unattended', 'closed', 'unknown'];

export function renderLegend(counters) {
  const n = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const c of counters) n[c.state] = (n[c.state] ?? 0) + 1;
  $('#legend').replaceChildren(
    ...STATES.map((s) =>
      h('span', { class: `chip state-${s}` }, h('i'), `${t(`state.${s}`)} `, h('b', {}, String(n[s]))),
    ),
  );
  $('#summary').replaceChildren(
    ...['staffed', 'away', 'unattended']
      .filter((s) => n[s] || s === 'staffed')
      .map((s) => h('span', { class: `sum state-${s}` }, `${t(`state.${s}`)} ${n[s]}`)),
  );
}

export function renderGrid(counters) {
  const cols = Math.max(1, ...counters.map((c) => c.position.col + 1));
  const grid = $('#hall-grid');
  grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
  grid.replaceChildren(...counters.map(tile));
}

export function updateTile(c) {
  const old = document.querySelector(`.tile[data-counter="${c.counter}"]`);
  if (old) old.replaceWith(tile(c));
}

/** Once a second: countdowns and absence clocks move without a server event. */
export function tickTimers(counters) {
  for (const c of counters) {
    const el = document.querySelector(`.tile[data-counter="${c.counter}"] .timer`);
    if (el) el.replaceWith(timer(c));
  }
}

function tile(c) {
  const alerting = c.openAlerts.some((a) => a.status === 'open');
  const number = /^(\d+)号/.exec(c.name ?? '')?.[1] ?? c.counter;
  const service = (c.name ?? '').replace(/^\d+号窗口\s*/, '') || c.agency || '';
  return h(
    'article',
    {
      class: `tile state-${c.state}${alerting ? ' alerting' : ''}`,
      dataset: { counter: c.counter, state: c.state },
      style: `grid-row:${c.position.row + 1};grid-column:${c.position.col + 1}`,
      title: c.name,
    },
    h(
      'header',
      {},
      h('span', { class: 'num' }, number),
      h('span', { class: 'svc' }, service),
      alerting ? h('span', { class: 'bell', title: c.openAlerts[0]?.message }, '!') : null,
    ),
    h('div', { class: 'state-label' }, t(`state.${c.state}`), ...ruleTags(c)),
    timer(c),
    whereabouts(c),
    h(
      'div',
      { class: 'seats' },
      ...Object.entries(c.seats).map(([s, occ]) => h('i', { class: occ ? 'on' : 'off', title: s })),
      h('span', { class: 'staff' }, c.staff.length ? c.staff.join(' ') : ''),
      c.waiting > 0 ? h('span', { class: 'waiting' }, t('waiting', { n: c.waiting })) : null,
      c.sign === 'away' && c.state === 'staffed' ? h('span', { class: 'hint' }, t('signHint')) : null,
    ),
    h(
      'footer',
      { class: 'equipment' },
      ...(c.equipment ?? []).map((e) =>
        h(
          'span',
          {
            class: `eq eq-${e.status}`,
            title: `${e.name ?? e.equipment} ${t(`eq.${e.status}`)} ${e.code ?? ''}`,
          },
          tOr(`kindShort.${e.kind}`, e.equipment),
        ),
      ),
    ),
  );
}

/** What the v2 rules found (R21 paused too long, R22 not opened, R23 understaffed), as tags. */
export function ruleTag(a) {
  if (a.type === 'unattended' && a.details?.reason === 'not_opened') return 'not_opened';
  if (a.type === 'service_paused' || a.type === 'understaffed') return a.type;
  return null;
}

function ruleTags(c) {
  const tags = [...new Set(c.openAlerts.filter((a) => a.status !== 'resolved').map(ruleTag))].filter(Boolean);
  return tags.map((k) => h('span', { class: `rule-tag tag-${k}`, dataset: { tag: k } }, t(`type.${k}`)));
}

/** R30: the sign's 去向 note and expected return. */
function whereabouts(c) {
  if (!c.note && c.returnBy === undefined) return null;
  const parts = [];
  if (c.note) parts.push(t('whereabouts', { note: c.note }));
  if (c.returnBy !== undefined) parts.push(t('returnBy', { time: clockText(c.returnBy).slice(0, 5) }));
  return h('div', { class: 'whereabouts' }, parts.join(' · '));
}

function timer(c) {
  const n = now();
  if (c.state === 'away' && c.deadline) {
    const left = c.deadline - n;
    return h(
      'div',
      { class: `timer countdown${left < 120_000 ? ' urgent' : ''}` },
      h('small', {}, left >= 0 ? t('remaining') : t('overdue')),
      mmss(Math.abs(left)),
    );
  }
  if (c.state === 'unattended' && c.since) {
    // The alert knows when the absence began (before the away allowance ran out).
    const began = c.openAlerts.find((a) => a.details?.absenceStartedAt)?.details.absenceStartedAt ?? c.since;
    return h('div', { class: 'timer' }, h('small', {}, t('absentFor')), mmss(n - began));
  }
  if (c.state === 'staffed') return h('div', { class: 'timer calm' }, t('onPost', { n: c.staffOnPost }));
  return h('div', { class: 'timer calm' }, '');
}
