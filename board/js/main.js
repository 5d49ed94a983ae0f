// The board's wiring: login, the hall snapshot, live events over SSE, the views.
import { initAckDialog, renderAlerts } from './alerts.js';
import { ApiFailure, api, setToken, token } from './api.js';
import { initApprovals, loadApprovals } from './approvals.js';
import { renderCalendarBanner } from './calendar.js';
import { $, h } from './dom.js';
import { clockText, dayText, localDate, setZone, syncClock } from './format.js';
import { renderGrid, renderLegend, tickTimers, updateTile } from './hall.js';
import { getLang, loadVocabulary, setLang, t } from './i18n.js';
import { connectLive } from './live.js';
import { renderEnvironment, renderEquipment } from './panels.js';
import { fillCounters, initStats, loadStats, resetStatsDates } from './stats.js';

const s = {
  me: null,
  hall: null,
  layout: null,
  counters: new Map(),
  alerts: new Map(),
  equipment: new Map(),
  env: new Map(),
  /** Events that arrive while a snapshot loads are applied after it. */
  queue: null,
  stopLive: null,
};

const counterName = (id) => s.counters.get(id)?.name?.split(' ')[0] ?? id;
const eqKey = (e) => `${e.counter ?? ''}/${e.equipment}`;

let vocabulary = null;
const userLine = () => `${s.me.name} · ${t(`role.${s.me.role}`)}`;

async function start() {
  // The domain's words are served (GET /api/vocabulary), not copied: nothing renders before them.
  vocabulary ??= loadVocabulary().catch((err) => {
    vocabulary = null;
    throw err;
  });
  await vocabulary;
  setLang(getLang());
  $('#lang').textContent = getLang() === 'zh' ? 'EN' : '中文';
  const code = new URLSearchParams(location.hash.slice(1)).get('login');
  if (code) {
    // A one-time login link (the demo prints one): its code is used up here, so drop it from the URL.
    history.replaceState(null, '', location.pathname + location.search);
    try {
      setToken((await api('/api/login-link', { method: 'POST', body: { code } })).token);
    } catch (err) {
      if (err instanceof ApiFailure && (err.status === 401 || err.status === 429))
        return showLogin(true, err.status === 401 ? t('login.linkFailed') : err.message);
      throw err;
    }
  }
  if (!token()) return showLogin();
  try {
    s.me = await api('/api/me');
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return showLogin(true);
    throw err;
  }
  setZone(s.me.timezone);
  syncClock(s.me.clock.now, s.me.clock.speed);
  showClock();
  resetStatsDates();
  $('#login').hidden = true;
  $('#user').textContent = userLine();
  const halls = await api('/api/halls');
  const wanted = new URLSearchParams(location.search).get('hall') ?? localStorage.getItem('hallwatch.hall');
  s.hall = halls.find((x) => x.id === wanted)?.id ?? halls[0]?.id;
  $('#hall-select').replaceChildren(
    ...halls.map((x) => h('option', { value: x.id, selected: x.id === s.hall }, x.name)),
  );
  $('#hall-select').hidden = halls.length < 2;
  $('#nav-stats').hidden = !(s.me.can.uptimeStats || s.me.can.equipmentStats);
  await openHall(s.hall);
  route();
}

async function openHall(hall) {
  s.hall = hall;
  localStorage.setItem('hallwatch.hall', hall);
  s.layout = await api(`/api/halls/${hall}`);
  document.title = `${s.layout.name} · HallWatch`;
  fillCounters(s.layout);
  $('#approvals-panel').hidden = !s.me.can.approvals;
  s.stopLive?.();
  s.queue = [];
  s.stopLive = connectLive({
    hall,
    onStatus: (ok) => ($('#conn-banner').hidden = ok),
    // A revoked or changed token shows the login instead of retrying for ever.
    onClosed: () =>
      api('/api/me').catch((err) => {
        if (err instanceof ApiFailure && err.status === 401) {
          s.stopLive?.();
          showLogin(true);
        }
      }),
    onReady: (r) => {
      syncClock(r.serverTime);
      // Not resumed (first connect, server restarted, or too long away): reload everything.
      if (!r.resumed) loadSnapshot().catch(fatal);
    },
    // A `ready` (not resumed) always follows a reset, and reloads then.
    onReset: () => {},
    onEvent: (name, data) => (s.queue ? s.queue.push([name, data]) : apply(name, data)),
  });
}

let snapshotting = Promise.resolve();
/** One snapshot at a time; events that arrive meanwhile are queued and applied after it. */
function loadSnapshot() {
  s.queue ??= [];
  snapshotting = snapshotting.then(fetchSnapshot, fetchSnapshot);
  return snapshotting;
}

async function fetchSnapshot() {
  const [counters, alerts, equipment, env] = await Promise.all([
    api(`/api/halls/${s.hall}/counters`),
    api(`/api/alerts?hall=${s.hall}&status=open,acknowledged&limit=200`),
    api(`/api/halls/${s.hall}/equipment`),
    api(`/api/halls/${s.hall}/environment`),
  ]);
  s.counters = new Map(counters.map((c) => [c.counter, c]));
  s.alerts = new Map(alerts.map((a) => [a.id, a]));
  s.equipment = new Map(equipment.map((e) => [eqKey(e), e]));
  s.env = new Map(env.map((e) => [e.sensor, e]));
  const queued = s.queue ?? [];
  s.queue = null;
  for (const [name, data] of queued) apply(name, data, false);
  renderAll();
}

function apply(name, data, render = true) {
  if (name === 'state') {
    const old = s.counters.get(data.counter);
    if (!old) return;
    const c = { ...old, ...data, equipment: old.equipment, position: old.position };
    // A view omits what no longer holds (countdown, 去向 note, return time, waiting citizens).
    for (const k of ['deadline', 'note', 'returnBy', 'waiting']) if (!(k in data)) delete c[k];
    s.counters.set(c.counter, c);
    if (render) {
      updateTile(c);
      renderLegend([...s.counters.values()]);
    }
  } else if (name === 'alert') {
    s.alerts.set(data.id, data);
    if (data.counter && s.counters.has(data.counter)) {
      const c = s.counters.get(data.counter);
      const others = c.openAlerts.filter((a) => a.id !== data.id);
      c.openAlerts = data.status === 'resolved' ? others : [data, ...others];
      if (render) updateTile(c);
    }
    if (render) {
      renderAlerts(s.alerts, s.me.can, counterName);
      renderCalendarBanner(s.alerts);
    }
  } else if (name === 'equipment') {
    const key = eqKey(data);
    const old = s.equipment.get(key);
    const e = { ...old, ...data };
    s.equipment.set(key, e);
    const c = data.counter && s.counters.get(data.counter);
    if (c) c.equipment = c.equipment.map((x) => (x.equipment === data.equipment ? { ...x, ...data } : x));
    if (render) {
      if (c) updateTile(c);
      renderEquipment([...s.equipment.values()], counterName);
    }
  } else if (name === 'env') {
    const old = s.env.get(data.sensor);
    if (!old) return;
    s.env.set(data.sensor, { ...old, at: data.at, readings: { ...old.readings, ...data.readings } });
    if (render) renderEnvironment([...s.env.values()]);
  }
}

function renderAll() {
  const counters = [...s.counters.values()];
  renderGrid(counters);
  renderLegend(counters);
  renderAlerts(s.alerts, s.me.can, counterName);
  renderCalendarBanner(s.alerts);
  renderEquipment([...s.equipment.values()], counterName);
  renderEnvironment([...s.env.values()]);
  if (s.me.can.approvals) reloadApprovals();
}

const reloadApprovals = () => loadApprovals(s.hall, s.layout).catch(fatal);

function showLogin(failed = false, message = t('login.failed')) {
  $('#login').hidden = false;
  $('#view-board').hidden = true;
  $('#view-stats').hidden = true;
  $('#login-error').hidden = !failed;
  $('#login-error').textContent = message;
  $('#token').focus();
}

let echartsLoading = null;
const loadEcharts = () =>
  (echartsLoading ??= new Promise((resolve, reject) => {
    const el = h('script', { src: '/vendor/echarts.min.js' });
    el.addEventListener('load', resolve);
    el.addEventListener('error', reject);
    document.head.append(el);
  }));

async function route() {
  if (!s.me) return;
  const stats = location.hash === '#stats' && !$('#nav-stats').hidden;
  $('#view-board').hidden = stats;
  $('#view-stats').hidden = !stats;
  $('#nav-board').classList.toggle('active', !stats);
  $('#nav-stats').classList.toggle('active', stats);
  if (stats) {
    await loadEcharts();
    await loadStats();
  }
}

function wire() {
  $('#login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setToken($('#token').value.trim());
    start().catch(fatal);
  });
  $('#logout').addEventListener('click', () => {
    setToken(null);
    s.stopLive?.();
    location.hash = '';
    location.reload();
  });
  $('#lang').addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    $('#lang').textContent = getLang() === 'zh' ? 'EN' : '中文';
    if (s.me) {
      $('#user').textContent = userLine();
      renderAll();
      route();
    }
  });
  $('#hall-select').addEventListener('change', (e) => openHall(e.target.value).catch(fatal));
  window.addEventListener('hashchange', () => route().catch(fatal));
  initAckDialog(
    (a) => apply('alert', a),
    (err) => alert(err.body?.message ?? String(err)),
  );
  initApprovals(() => reloadApprovals());
  initStats({ hall: () => s.hall, layout: () => s.layout, can: () => s.me?.can ?? {} });
  setInterval(() => {
    showClock();
    if (s.me && !$('#view-board').hidden) {
      tickTimers([...s.counters.values()]);
      renderAlertsAges();
    }
  }, 1_000);
}

/** The hall's date and time in the header, from the server's clock (simulated in the demo). */
function showClock() {
  $('#clock').textContent = clockText();
  const date = localDate();
  const el = $('#clock-date');
  if (el.dataset.date !== date || el.dataset.lang !== getLang()) {
    el.textContent = dayText();
    el.dataset.date = date;
    el.dataset.lang = getLang();
  }
}

// Ages ("12分钟前") move slowly: refresh them every ~15 s rather than rebuilding the panel each second.
let agesAt = 0;
function renderAlertsAges() {
  if (Date.now() - agesAt < 15_000) return;
  agesAt = Date.now();
  renderAlerts(s.alerts, s.me.can, counterName);
}

function fatal(err) {
  if (err instanceof ApiFailure && err.status === 401) return showLogin(true);
  console.error(err);
  $('#conn-banner').hidden = false;
}

wire();
start().catch(fatal);
