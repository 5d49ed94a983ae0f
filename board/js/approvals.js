// R24 for supervisors: approved leave (a person) and closures (a counter or the hall) of the
// hall, listed and entered on the board through /api/leave and /api/closures.
import { api } from './api.js';
import { $, h } from './dom.js';
import { dateTimeText } from './format.js';
import { t } from './i18n.js';

let hall = null;

export async function loadApprovals(hallId, layout) {
  hall = hallId;
  $('#approval-counter').replaceChildren(
    h('option', { value: '' }, t('approvals.hall')),
    ...layout.counters.map((c) => h('option', { value: c.counter }, c.name)),
  );
  const [leave, closures] = await Promise.all([
    api(`/api/leave?hall=${hallId}`),
    api(`/api/closures?hall=${hallId}`),
  ]);
  const names = new Map(layout.counters.map((c) => [c.counter, c.name.split(' ')[0]]));
  const rows = [
    ...leave.map((x) => ({ ...x, kind: 'leave', who: x.staff })),
    ...closures.map((x) => ({
      ...x,
      kind: 'closure',
      who: x.counter ? names.get(x.counter) : t('approvals.hall'),
    })),
  ].sort((a, b) => a.from - b.from);
  $('#approval-list').replaceChildren(
    ...(rows.length ? rows.map(row) : [h('li', { class: 'empty' }, t('approvals.none'))]),
  );
}

function row(x) {
  return h(
    'li',
    { class: `approval kind-${x.kind}`, dataset: { approval: x.id } },
    h('span', { class: 'kind' }, t(`approvals.${x.kind}`)),
    h('b', {}, x.who ?? ''),
    h('span', { class: 'span' }, `${dateTimeText(x.from)} – ${dateTimeText(x.to)}`),
    h('span', { class: 'reason' }, x.reason ?? ''),
    h('small', {}, t('approvals.by', { who: x.approvedBy ?? '' })),
    // One written in the config cannot be withdrawn here (the API answers 409): say where it lives.
    x.source === 'config'
      ? h('small', { class: 'source' }, t('approvals.fromConfig'))
      : h('button', { type: 'button', class: 'ghost', onclick: () => withdraw(x) }, t('approvals.withdraw')),
  );
}

async function withdraw(x) {
  await api(`/api/${x.kind === 'leave' ? 'leave' : 'closures'}/${encodeURIComponent(x.id)}`, {
    method: 'DELETE',
  }).catch(showError);
  reload();
}

let reload = () => {};

function showError(err) {
  $('#approval-error').hidden = false;
  $('#approval-error').textContent = err.message;
}

/** Wires the form once; `again()` reloads the list for the current hall. */
export function initApprovals(again) {
  reload = again;
  const sync = () => {
    const leave = $('#approval-kind').value === 'leave';
    $('#approval-staff').hidden = !leave;
    $('#approval-staff').required = leave;
    $('#approval-counter').hidden = leave;
  };
  $('#approval-kind').addEventListener('change', sync);
  sync();
  $('#approval-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#approval-error').hidden = true;
    const leave = $('#approval-kind').value === 'leave';
    // datetime-local is the hall's local wall time; the API reads a zone-less ISO time as local.
    const body = {
      hall,
      from: $('#approval-from').value,
      to: $('#approval-to').value,
      reason: $('#approval-reason').value.trim(),
      ...(leave ? { staff: $('#approval-staff').value.trim() } : {}),
      ...(!leave && $('#approval-counter').value ? { counter: $('#approval-counter').value } : {}),
    };
    try {
      await api(`/api/${leave ? 'leave' : 'closures'}`, { method: 'POST', body });
      $('#approval-reason').value = '';
      reload();
    } catch (err) {
      showError(err);
    }
  });
}
