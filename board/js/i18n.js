// Board texts: Simplified Chinese first, English for visitors and integrators. The board's own
// wording lives here; the domain's words (states, alert types, severities, equipment, metrics,
// roles) come from GET /api/vocabulary — core/vocabulary.ts — and are never written out here.
const TEXT = {
  zh: {
    title: '政务服务大厅在岗监测',
    'nav.board': '大厅看板',
    'nav.stats': '统计分析',
    logout: '退出',
    'conn.lost': '连接已断开',
    'conn.retrying': '正在自动重连,看板数据可能不是最新…',
    'alerts.title': '实时告警',
    'alerts.none': '暂无未处理告警',
    'equipment.title': '设备状态',
    'env.title': '环境监测',
    'login.label': '访问令牌',
    'login.submit': '登录',
    'login.hint': '令牌由管理员发放(npm run hash-password -- --token)。',
    'login.failed': '令牌无效,请重新输入',
    'login.linkFailed': '登录链接无效、已使用或已过期,请输入访问令牌',
    'ack.title': '确认告警',
    'ack.note': '处理说明',
    'ack.submit': '确认',
    'resolve.title': '手动解除告警',
    'resolve.submit': '解除',
    cancel: '取消',
    ack: '确认',
    resolve: '解除',
    onPost: '在岗 {n} 人',
    remaining: '剩余',
    overdue: '已超时',
    absentFor: '已离岗',
    since: '自',
    ago: '{d}前',
    by: '{who} 确认',
    hallEquipment: '大厅公共设备',
    counterEquipmentFaults: '窗口设备异常',
    noFaults: '窗口设备全部正常',
    'env.noData': '暂无读数',
    signHint: '提示牌未收起',
    'calendar.text':
      '系统没有{years}年的法定节假日和调休安排,排班按工作日/周末推算。请更新节假日数据或录入覆盖。',
    waiting: '{n}人等候',
    whereabouts: '去向:{note}',
    returnBy: '预计{time}返回',
    'approvals.title': '请假与闭窗',
    'approvals.leave': '请假',
    'approvals.closure': '闭窗',
    'approvals.staff': '工号 E1023',
    'approvals.reason': '事由',
    'approvals.add': '录入',
    'approvals.hall': '全大厅',
    'approvals.withdraw': '撤销',
    'approvals.fromConfig': '配置文件(修改配置撤销)',
    'approvals.none': '暂无请假或闭窗',
    'approvals.by': '{who}批准',
    'stats.counter': '窗口',
    'stats.allCounters': '全部窗口',
    'stats.period': '统计周期',
    'stats.byDay': '按日',
    'stats.byWeek': '按周',
    'stats.byMonth': '按月',
    'stats.from': '开始日期',
    'stats.to': '结束日期',
    'stats.today': '今天',
    'stats.thisWeek': '本周',
    'stats.thisMonth': '本月',
    'stats.last30': '近30天',
    'stats.query': '查询',
    'stats.csv': '下载 CSV',
    'stats.uptimeTitle': '各窗口在岗情况(服务时间内)',
    'stats.timelineTitle': '当日状态时间线',
    'stats.tableTitle': '考核指标',
    'stats.equipmentTitle': '设备完好率(服务时间内)',
    'col.equipment': '设备',
    'stats.forbidden': '当前角色无权查看在岗统计',
    'stats.hours': '小时',
    'in.minutes': '(分)',
    'in.hours': '(时)',
    'col.counter': '窗口',
    'col.period': '周期',
  },
  en: {
    title: 'Service hall presence monitor',
    'nav.board': 'Hall board',
    'nav.stats': 'Statistics',
    logout: 'Sign out',
    'conn.lost': 'Connection lost',
    'conn.retrying': 'reconnecting by itself; the board may be out of date…',
    'alerts.title': 'Alerts',
    'alerts.none': 'No open alerts',
    'equipment.title': 'Equipment',
    'env.title': 'Environment',
    'login.label': 'Access token',
    'login.submit': 'Sign in',
    'login.hint': 'Tokens are issued by the administrator (npm run hash-password -- --token).',
    'login.failed': 'Invalid token, please try again',
    'login.linkFailed': 'The login link is invalid, used or expired: enter an access token',
    'ack.title': 'Acknowledge alert',
    'ack.note': 'Note',
    'ack.submit': 'Acknowledge',
    'resolve.title': 'Resolve alert by hand',
    'resolve.submit': 'Resolve',
    cancel: 'Cancel',
    ack: 'Ack',
    resolve: 'Resolve',
    onPost: '{n} on post',
    remaining: 'left',
    overdue: 'overdue',
    absentFor: 'empty for',
    since: 'since',
    ago: '{d} ago',
    by: 'ack by {who}',
    hallEquipment: 'Hall equipment',
    counterEquipmentFaults: 'Counter equipment problems',
    noFaults: 'All counter equipment OK',
    'env.noData': 'no reading yet',
    signHint: 'sign still up',
    'calendar.text':
      'No official holidays and 调休 for {years}: the schedule assumes Mon–Fri working days. Update the holiday data or enter overrides.',
    waiting: '{n} waiting',
    whereabouts: 'gone: {note}',
    returnBy: 'back {time}',
    'approvals.title': 'Leave and closures',
    'approvals.leave': 'Leave',
    'approvals.closure': 'Closure',
    'approvals.staff': 'Staff id E1023',
    'approvals.reason': 'Reason',
    'approvals.add': 'Enter',
    'approvals.hall': 'whole hall',
    'approvals.withdraw': 'Withdraw',
    'approvals.fromConfig': 'in the config file (edit it to withdraw)',
    'approvals.none': 'No leave or closures',
    'approvals.by': 'approved by {who}',
    'stats.counter': 'Counter',
    'stats.allCounters': 'All counters',
    'stats.period': 'Period',
    'stats.byDay': 'Daily',
    'stats.byWeek': 'Weekly',
    'stats.byMonth': 'Monthly',
    'stats.from': 'From',
    'stats.to': 'To',
    'stats.today': 'Today',
    'stats.thisWeek': 'This week',
    'stats.thisMonth': 'This month',
    'stats.last30': 'Last 30 days',
    'stats.query': 'Show',
    'stats.csv': 'Download CSV',
    'stats.uptimeTitle': 'Time on post per counter (service hours)',
    'stats.timelineTitle': 'State timeline of the day',
    'stats.tableTitle': 'Assessment figures',
    'stats.equipmentTitle': 'Equipment availability (service hours)',
    'col.equipment': 'Equipment',
    'stats.forbidden': 'Your role may not view uptime statistics',
    'stats.hours': 'hours',
    'in.minutes': ' (min)',
    'in.hours': ' (h)',
    'col.counter': 'Counter',
    'col.period': 'Period',
  },
};

/** The served catalogue, flattened to keys like TEXT's: state.*, sev.*, eq.*, env.*, unit.*,
 * alert.* (full alert type), type.* (short tag), kind.*, kindShort.*, role.*, status.*, fig.* (the
 * statistics' figures). */
const VOCAB = { zh: {}, en: {} };

/** Fetches the vocabulary once; everything that renders labels waits for it. */
export async function loadVocabulary() {
  const res = await fetch('/api/vocabulary');
  if (!res.ok) throw new Error(`GET /api/vocabulary: HTTP ${res.status}`);
  const v = await res.json();
  const full = (l, lg) => l[lg];
  const short = (l, lg) => (lg === 'zh' ? l.shortZh : l.shortEn);
  const put = (prefix, catalogue, pick = full) => {
    for (const [key, label] of Object.entries(catalogue))
      for (const lg of ['zh', 'en']) VOCAB[lg][`${prefix}.${key}`] = pick(label, lg);
  };
  put('state', v.counterStates);
  put('sev', v.severities);
  put('eq', v.equipmentStatuses);
  put('env', v.metrics);
  put('unit', v.metrics, (l) => l.unit);
  put('alert', v.alertTypes);
  put('type', v.alertTypes, short);
  put('type', v.unattendedReasons, short);
  put('kind', v.equipmentKinds);
  put('kindShort', v.equipmentKinds, short);
  put('role', v.apiRoles);
  put('fig', v.figures);
  put('status', v.alertStatuses);
}

let lang = localStorage.getItem('hallwatch.lang') === 'en' ? 'en' : 'zh';

export const getLang = () => lang;

export function setLang(l) {
  lang = l;
  localStorage.setItem('hallwatch.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
}

const lookup = (key) => TEXT[lang][key] ?? VOCAB[lang][key] ?? TEXT.zh[key] ?? VOCAB.zh[key];

/** A text by key, with {placeholders}; the key itself when nothing names it. */
export function t(key, vars = {}) {
  return (lookup(key) ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/** A text by key, or `fallback` when nothing names it (an equipment kind the board does not know). */
export const tOr = (key, fallback) => lookup(key) ?? fallback;
