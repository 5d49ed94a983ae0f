// Pieces every HallWatch dashboard shares: Chinese state labels and colours, variables.
import {
  QueryVariableBuilder,
  type ValueMapping,
  VariableRefresh,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE } from './influxql.ts';

/** Counter states as the board shows them (same words and colours). */
export const STATE_LABELS: Record<string, { text: string; color: string }> = {
  staffed: { text: '在岗', color: 'green' },
  away: { text: '临时离开', color: 'yellow' },
  paused: { text: '暂停服务', color: 'blue' },
  unattended: { text: '无人值守', color: 'red' },
  closed: { text: '未开放', color: 'text' },
  unknown: { text: '设备离线', color: 'purple' },
};

export const EQUIPMENT_LABELS: Record<string, { text: string; color: string }> = {
  ok: { text: '正常', color: 'green' },
  fault: { text: '故障', color: 'red' },
  off: { text: '关机', color: 'orange' },
};

export function valueMappings(labels: Record<string, { text: string; color: string }>): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  Object.entries(labels).forEach(([value, l], index) => {
    options[value] = { ...l, index };
  });
  return [{ type: 'value', options } as unknown as ValueMapping];
}

export function hallVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('hall')
    .label('大厅')
    .datasource(DATASOURCE)
    .query('SHOW TAG VALUES FROM "counter_state" WITH KEY = "hall"')
    .refresh(VariableRefresh.OnDashboardLoad)
    .includeAll(true)
    .allValue('.*');
}

export function counterVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('counter')
    .label('窗口')
    .datasource(DATASOURCE)
    .query('SHOW TAG VALUES FROM "counter_state" WITH KEY = "counter" WHERE "hall" =~ /^$hall$/')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}
