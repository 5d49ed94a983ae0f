// Equipment and environment panels: hall equipment always listed, counter equipment only when
// something is wrong (24 counters × 3 devices would drown the faults); environment readings
// against the thresholds in force.
import { $, h } from './dom.js';
import { humanDuration, now } from './format.js';
import { t, tOr } from './i18n.js';

export const nameOf = (e) => e.name ?? tOr(`kind.${e.kind}`, e.equipment);

export function renderEquipment(equipment, counterName) {
  const hall = equipment.filter((e) => !e.counter);
  const bad = equipment.filter((e) => e.counter && (e.status === 'fault' || e.status === 'off'));
  $('#equipment-list').replaceChildren(
    h('h3', {}, t('hallEquipment')),
    h('ul', { class: 'eq-rows' }, ...hall.map((e) => row(e, nameOf(e)))),
    h('h3', {}, bad.length ? t('counterEquipmentFaults') : t('noFaults')),
    h('ul', { class: 'eq-rows' }, ...bad.map((e) => row(e, `${counterName(e.counter)} · ${nameOf(e)}`))),
  );
}

function row(e, label) {
  return h(
    'li',
    { class: `eq-row eq-${e.status}`, dataset: { equipment: `${e.counter ?? ''}/${e.equipment}` } },
    h('span', { class: 'dot' }),
    h('span', { class: 'label' }, label),
    h('span', { class: 'status' }, t(`eq.${e.status}`), e.code ? ` ${e.code}` : ''),
    e.since && e.status !== 'ok' && e.status !== 'unknown'
      ? h('span', { class: 'age' }, humanDuration(now() - e.since))
      : null,
  );
}

export function renderEnvironment(sensors) {
  $('#env-list').replaceChildren(
    ...sensors.map((s) =>
      h(
        'div',
        { class: 'env-card', dataset: { sensor: s.sensor } },
        h('h3', {}, s.name ?? s.sensor),
        Object.keys(s.readings).length
          ? h(
              'dl',
              {},
              ...Object.entries(s.readings).map(([m, v]) => {
                const b = s.bands[m] ?? {};
                const out = (b.min !== undefined && v < b.min) || (b.max !== undefined && v > b.max);
                const band = [b.min !== undefined ? `≥${b.min}` : '', b.max !== undefined ? `≤${b.max}` : '']
                  .filter(Boolean)
                  .join(' ');
                return h(
                  'div',
                  { class: `metric${out ? ' out' : ''}`, dataset: { metric: m } },
                  h('dt', {}, t(`env.${m}`)),
                  h('dd', {}, h('b', {}, fmt(m, v)), ` ${tOr(`unit.${m}`, '')}`),
                  band ? h('span', { class: 'band' }, band) : null,
                );
              }),
            )
          : h('p', { class: 'empty' }, t('env.noData')),
      ),
    ),
  );
}

const fmt = (m, v) => (m === 'temperature' ? v.toFixed(1) : String(Math.round(v)));
