// Pieces every HallWatch dashboard shares: Chinese labels and colours, variables, links.
import {
  CustomVariableBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  QueryVariableBuilder,
  type ValueMapping,
  VariableRefresh,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../core/config/schema.ts';
import type { CounterState } from '../core/protocol/payloads.ts';
import {
  ALERT_TYPE_LABELS,
  COUNTER_STATE_LABELS,
  EQUIPMENT_STATUS_LABELS,
  SEVERITY_LABELS,
} from '../core/vocabulary.ts';
import { DATASOURCE } from './influxql.ts';

/** Counter states as the board shows them (same words and colours). */
const STATE_COLOURS: Record<CounterState, string> = {
  staffed: 'green',
  away: 'yellow',
  paused: 'blue',
  unattended: 'red',
  closed: 'text',
  unknown: 'purple',
};
export const STATE_LABELS: Record<string, { text: string; color: string }> = Object.fromEntries(
  Object.entries(STATE_COLOURS).map(([k, color]) => [
    k,
    { text: COUNTER_STATE_LABELS[k as CounterState].zh, color },
  ]),
);

export const EQUIPMENT_LABELS: Record<string, { text: string; color: string }> = {
  ok: { text: EQUIPMENT_STATUS_LABELS.ok.zh, color: 'green' },
  fault: { text: EQUIPMENT_STATUS_LABELS.fault.zh, color: 'red' },
  off: { text: EQUIPMENT_STATUS_LABELS.off.zh, color: 'orange' },
};

/** The alert log's values in Chinese: type, severity, status and how it ended. */
export const ALERT_LABELS: Record<string, { text: string; color: string }> = {
  unattended: { text: ALERT_TYPE_LABELS.unattended.zh, color: 'red' },
  staffing_gap: { text: ALERT_TYPE_LABELS.staffing_gap.zh, color: 'red' },
  late_opening: { text: ALERT_TYPE_LABELS.late_opening.zh, color: 'orange' },
  not_ready: { text: ALERT_TYPE_LABELS.not_ready.zh, color: 'orange' },
  equipment_fault: { text: ALERT_TYPE_LABELS.equipment_fault.zh, color: 'orange' },
  device_offline: { text: ALERT_TYPE_LABELS.device_offline.zh, color: 'purple' },
  environment: { text: ALERT_TYPE_LABELS.environment.zh, color: 'yellow' },
  critical: { text: SEVERITY_LABELS.critical.zh, color: 'red' },
  warning: { text: SEVERITY_LABELS.warning.zh, color: 'orange' },
  info: { text: SEVERITY_LABELS.info.zh, color: 'blue' },
  open: { text: '未处理', color: 'red' },
  acknowledged: { text: '已确认', color: 'orange' },
  resolved: { text: '已恢复', color: 'green' },
  retracted: { text: '已撤销', color: 'text' },
  staff_returned: { text: '人员已返岗', color: 'green' },
  session_end: { text: '服务时段结束', color: 'text' },
  manual: { text: '人工关闭', color: 'text' },
  repaired: { text: '设备已恢复', color: 'green' },
  back_online: { text: '设备已上线', color: 'green' },
  in_band: { text: '环境已恢复', color: 'green' },
  arrived: { text: '人员已到岗', color: 'green' },
  ready: { text: '准备就绪', color: 'green' },
  superseded: { text: '转为开窗检查', color: 'text' },
};

export function valueMappings(labels: Record<string, { text: string; color: string }>): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  Object.entries(labels).forEach(([value, l], index) => {
    options[value] = { ...l, index };
  });
  return [{ type: 'value', options } as unknown as ValueMapping];
}

/** Grafana custom-variable values "text : value": the picker shows names, queries get ids. */
const custom = (pairs: [string, string][]) =>
  pairs.map(([text, value]) => `${text.replaceAll(',', '，').replaceAll(' : ', ' ：')} : ${value}`).join(',');

export function hallVariable(config?: Config): QueryVariableBuilder | CustomVariableBuilder {
  if (config)
    return new CustomVariableBuilder('hall')
      .label('大厅')
      .values(custom(config.halls.map((h) => [h.name, h.id])))
      .includeAll(true)
      .allValue('.*');
  return new QueryVariableBuilder('hall')
    .label('大厅')
    .datasource(DATASOURCE)
    .query('SHOW TAG VALUES FROM "counter_state" WITH KEY = "hall"')
    .refresh(VariableRefresh.OnDashboardLoad)
    .includeAll(true)
    .allValue('.*');
}

/** Counters by their names (7号窗口 不动产登记), every hall's; a configuration gives the names. */
export function counterVariable(config?: Config): QueryVariableBuilder | CustomVariableBuilder {
  if (config)
    return new CustomVariableBuilder('counter')
      .label('窗口')
      .values(
        custom(
          config.halls.flatMap((h) =>
            h.counters.map((c): [string, string] => [
              config.halls.length > 1 ? `${h.name} ${c.name}` : c.name,
              c.id,
            ]),
          ),
        ),
      )
      .multi(true)
      .includeAll(true)
      .allValue('.*');
  return new QueryVariableBuilder('counter')
    .label('窗口')
    .datasource(DATASOURCE)
    .query('SHOW TAG VALUES FROM "counter_state" WITH KEY = "counter" WHERE "hall" =~ /^$hall$/')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

/** Links on every dashboard: the other HallWatch dashboards (same hall, same time) and the board. */
export function dashboardLinks(config?: Config): DashboardLinkBuilder[] {
  const links = [
    new DashboardLinkBuilder('HallWatch')
      .type(DashboardLinkType.Dashboards)
      .tags(['hallwatch'])
      .asDropdown(false)
      .includeVars(true)
      .keepTime(true),
  ];
  const board = config?.notifications?.boardUrl;
  if (board)
    links.push(
      new DashboardLinkBuilder('大厅看板')
        .type(DashboardLinkType.Link)
        .url(board)
        .icon('external link')
        .targetBlank(true),
    );
  return links;
}
