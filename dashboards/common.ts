// Pieces every HallWatch dashboard shares: Chinese labels and colours, variables, links.
import {
  CustomVariableBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  QueryVariableBuilder,
  type ValueMapping,
  VariableRefresh,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table';
import type { Config } from '../core/config/schema.ts';
import type { AlertType, CounterState } from '../core/protocol/payloads.ts';
import {
  ALERT_STATUS_LABELS,
  ALERT_TYPE_LABELS,
  COUNTER_STATE_LABELS,
  EQUIPMENT_STATUS_LABELS,
  type Label,
  RESOLVE_REASON_LABELS,
  SEVERITY_LABELS,
  type ShortLabel,
} from '../core/vocabulary.ts';
import { DATASOURCE, InfluxQL } from './influxql.ts';

type Colour = string;
const TYPE_COLOURS: Record<AlertType, Colour> = {
  unattended: 'red',
  staffing_gap: 'red',
  late_opening: 'orange',
  not_ready: 'orange',
  equipment_fault: 'orange',
  device_offline: 'purple',
  environment: 'yellow',
  service_paused: 'blue',
  understaffed: 'orange',
  calendar_unverified: 'yellow',
};
/** Grafana value mappings: the catalogue's Chinese word (short form where it has one) and a colour. */
function labelled<K extends string>(
  catalogue: Readonly<Record<K, Label | ShortLabel>>,
  colours: Readonly<Partial<Record<K, Colour>>>,
): Record<string, { text: string; color: string }> {
  return Object.fromEntries(
    (Object.entries(colours) as [K, Colour][]).map(([k, color]) => {
      const l = catalogue[k];
      return [k, { text: 'shortZh' in l ? l.shortZh : l.zh, color }];
    }),
  );
}

/** Counter states as the board shows them (same words and colours). */
export const STATE_LABELS = labelled<CounterState>(COUNTER_STATE_LABELS, {
  staffed: 'green',
  away: 'yellow',
  paused: 'blue',
  unattended: 'red',
  closed: 'text',
  unknown: 'purple',
});

export const EQUIPMENT_LABELS = labelled(EQUIPMENT_STATUS_LABELS, {
  ok: 'green',
  fault: 'red',
  off: 'orange',
});

/** The alert log's values in Chinese: type, severity, status and how it ended. */
export const ALERT_LABELS: Record<string, { text: string; color: string }> = {
  ...Object.fromEntries(
    Object.entries(ALERT_TYPE_LABELS).map(([k, l]) => [
      k,
      { text: l.zh, color: TYPE_COLOURS[k as AlertType] },
    ]),
  ),
  ...labelled(SEVERITY_LABELS, { critical: 'red', warning: 'orange', info: 'blue' }),
  ...labelled(ALERT_STATUS_LABELS, { open: 'red', acknowledged: 'orange', resolved: 'green' }),
  ...labelled(RESOLVE_REASON_LABELS, {
    staff_returned: 'green',
    session_end: 'text',
    retracted: 'text',
    superseded: 'text',
    ready: 'green',
    arrived: 'green',
    repaired: 'green',
    back_online: 'green',
    in_band: 'green',
    paused: 'blue',
    unknown: 'purple',
    covered: 'green',
    manual: 'text',
    sign_cleared: 'green',
  }),
};

/** The alert log's fields as column headers. */
const ALERT_COLUMNS = {
  Time: '发生时间',
  type: '类型',
  severity: '级别',
  counter: '窗口',
  equipment: '设备',
  status: '状态',
  reason: '关闭原因',
  responsible: '责任人',
  id: '告警编号',
} as const;
export type AlertColumn = keyof typeof ALERT_COLUMNS;

/**
 * A table of alert points: one InfluxQL query, values (type, severity, status, reason) and headers in
 * Chinese; `ordered` also fixes the columns in the given order.
 */
export function alertTable(title: string, query: string, columns: AlertColumn[], ordered = false) {
  return new Table()
    .title(title)
    .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
    .withTarget(new InfluxQL(query, 'table').refId('A'))
    .mappings(valueMappings(ALERT_LABELS))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        ...(ordered ? { indexByName: Object.fromEntries(columns.map((c, i) => [c, i])) } : {}),
        renameByName: Object.fromEntries(columns.map((c) => [c, ALERT_COLUMNS[c]])),
      },
    });
}

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
