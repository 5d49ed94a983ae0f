// R26: the banner while a year's statutory holidays are unknown (an open calendar_unverified alert).
import { $ } from './dom.js';
import { t } from './i18n.js';

export function renderCalendarBanner(alerts) {
  const years = [...alerts.values()]
    .filter((a) => a.type === 'calendar_unverified' && a.status !== 'resolved')
    .map((a) => a.details?.year)
    .sort();
  $('#calendar-banner').hidden = years.length === 0;
  $('#calendar-text').textContent = years.length ? t('calendar.text', { years: years.join('、') }) : '';
}
