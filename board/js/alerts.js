// The alert panel: open and acknowledged alerts, newest first, with severity, how long, and
// acknowledge / resolve with a note for the roles that may (an assessor sees no buttons).
import { api } from './api.js';
import { $, h } from './dom.js';
import { dateTimeText, humanDuration, now } from './format.js';
import { ruleTag } from './hall.js';
import { t } from './i18n.js';

export function renderAlerts(alerts, can, counterName) {
  const list = [...alerts.values()]
    .filter((a) => a.status !== 'resolved')
    .sort((a, b) => b.openedAt - a.openedAt);
  $('#alert-count').textContent = String(list.length);
  $('#alert-count').classList.toggle(
    'hot',
    list.some((a) => a.status === 'open' && a.severity === 'critical'),
  );
  $('#alert-empty').hidden = list.length > 0;
  $('#alert-list').replaceChildren(...list.map((a) => item(a, can, counterName)));
}

function item(a, can, counterName) {
  const where = a.counter ? counterName(a.counter) : (a.equipment ?? '');
  const tag = a.type === 'calendar_unverified' ? 'calendar_unverified' : ruleTag(a);
  return h(
    'li',
    { class: `alert sev-${a.severity} st-${a.status}`, dataset: { alert: a.id, status: a.status } },
    h(
      'div',
      { class: 'alert-head' },
      h('span', { class: 'sev' }, t(`sev.${a.severity}`)),
      h('span', { class: 'where' }, where),
      tag ? h('span', { class: `rule-tag tag-${tag}`, dataset: { tag } }, t(`type.${tag}`)) : null,
      a.details?.calendarUnverified
        ? h('span', { class: 'rule-tag tag-unverified' }, t('type.calendar_unverified'))
        : null,
      h(
        'span',
        { class: 'age', title: dateTimeText(a.openedAt) },
        t('ago', { d: humanDuration(now() - a.openedAt) }),
      ),
    ),
    h('p', { class: 'msg' }, a.message),
    a.status === 'acknowledged'
      ? h(
          'p',
          { class: 'acked' },
          `✓ ${t('by', { who: a.acknowledgedBy ?? '' })} ${a.acknowledgedAt ? dateTimeText(a.acknowledgedAt) : ''}`,
          ...(a.notes ?? [])
            .filter((n) => n.text)
            .slice(-1)
            .map((n) => h('span', { class: 'note' }, `「${n.text}」`)),
        )
      : null,
    can.acknowledge || can.resolve
      ? h(
          'div',
          { class: 'alert-actions' },
          can.acknowledge && a.status === 'open'
            ? h('button', { type: 'button', class: 'ack', onclick: () => openDialog(a, 'ack') }, t('ack'))
            : null,
          can.resolve
            ? h(
                'button',
                { type: 'button', class: 'ghost resolve', onclick: () => openDialog(a, 'resolve') },
                t('resolve'),
              )
            : null,
        )
      : null,
  );
}

let pending = null;

function openDialog(a, action) {
  pending = { id: a.id, action };
  $('#ack-title').textContent = t(action === 'ack' ? 'ack.title' : 'resolve.title');
  $('#ack-submit').textContent = t(action === 'ack' ? 'ack.submit' : 'resolve.submit');
  $('#ack-message').textContent = a.message;
  $('#ack-note').value = '';
  $('#ack-dialog').showModal();
  $('#ack-note').focus();
}

/** Wires the dialog once; `onDone(alert)` gets the server's answer. */
export function initAckDialog(onDone, onError) {
  $('#ack-cancel').addEventListener('click', () => $('#ack-dialog').close());
  $('#ack-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!pending) return;
    const { id, action } = pending;
    $('#ack-submit').disabled = true;
    try {
      const note = $('#ack-note').value.trim();
      const a = await api(`/api/alerts/${encodeURIComponent(id)}/${action}`, {
        method: 'POST',
        body: note ? { note } : {},
      });
      $('#ack-dialog').close();
      onDone(a);
    } catch (err) {
      onError(err);
    } finally {
      $('#ack-submit').disabled = false;
      pending = null;
    }
  });
}
