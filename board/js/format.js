// Times and durations as people in the hall read them.
import { getLang } from './i18n.js';

let zone = 'Asia/Shanghai';
/** Server clock: the demo runs simulated time at `speed`× real time. */
let sync = { server: Date.now(), local: Date.now(), speed: 1 };

export function setZone(z) {
  zone = z;
}
export function syncClock(serverNow, speed = sync.speed) {
  sync = { server: serverNow, local: Date.now(), speed };
}
/** The hall's "now" in epoch ms (server time, advanced locally). */
export const now = () => sync.server + (Date.now() - sync.local) * sync.speed;

/** Intl in the hall's zone: the board's one time-zone helper (the locale follows the page's language). */
const inZone = (options, locale = getLang() === 'zh' ? 'zh-CN' : 'en-GB') =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
const HM = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

export const clockText = (t = now()) => inZone({ ...HM, second: '2-digit' }, 'zh-CN').format(t);

export const dateTimeText = (t) => inZone({ month: '2-digit', day: '2-digit', ...HM }).format(t);

/** The hall's date as the header shows it: "2026年12月1日周二" / "Tue, 1 Dec 2026". */
export const dayText = (t = now()) =>
  inZone({ year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(t);

/** Local date (YYYY-MM-DD) of an instant in the hall's zone. */
export const localDate = (t = now()) => inZone({}, 'en-CA').format(t);

/** mm:ss, or h:mm:ss past an hour. */
export function mmss(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** "12分钟" / "1小时5分钟" / "12 min". */
export function humanDuration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (getLang() === 'zh') return h ? `${h}小时${m}分钟` : m ? `${m}分钟` : `${s}秒`;
  return h ? `${h} h ${m} min` : m ? `${m} min` : `${s} s`;
}
