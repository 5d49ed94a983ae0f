// 大厅实时: what supervisors watch — counter states over time, open alerts, staff on post.
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimeline } from '@grafana/grafana-foundation-sdk/statetimeline';
import type { Config } from '../core/config/schema.ts';
import { INTERRUPTION_TYPES } from '../core/stats/counter-day.ts';
import { ALERT_TYPE_LABELS, COUNTER_STATE_LABELS, zh } from '../core/vocabulary.ts';
import {
  alertTable,
  counterVariable,
  dashboardLinks,
  hallVariable,
  STATE_LABELS,
  valueMappings,
} from './common.ts';
import { COUNTER_FILTER, HALL_FILTER, INTERRUPTION_TYPES_CLAUSE, InfluxQL } from './influxql.ts';

/**
 * 今日缺位次数: interruptions (R17 v2: unattended, staffing_gap, service_paused) opened since local
 * midnight (the panel's own time range is "today so far"), without those later retracted by late
 * device data or voided by a supervisor (R28). `voided` is stored only when true, so it is
 * subtracted as a count (InfluxQL cannot select a missing field); fill(0) keeps the difference
 * when nothing was voided.
 */
export const TODAY_INTERRUPTIONS = `SELECT count("id") - count("voided") AS "interruptions" FROM "alert" WHERE ${HALL_FILTER} AND (${INTERRUPTION_TYPES_CLAUSE}) AND ("status" != 'resolved' OR "reason" != 'retracted') AND $timeFilter fill(0)`;

const TIMELINE_STATES = ['staffed', 'away', 'paused', 'unattended', 'unknown'] as const;

export function hallLiveDashboard(config?: Config) {
  return new DashboardBuilder('HallWatch · 大厅实时')
    .uid('hallwatch-hall-live')
    .tags(['hallwatch'])
    .timezone(config?.timezone ?? 'Asia/Shanghai')
    .refresh('30s')
    .time({ from: 'now-12h', to: 'now' })
    .links(dashboardLinks(config))
    .withVariable(hallVariable(config))
    .withVariable(counterVariable(config))
    .withRow(new RowBuilder('窗口状态'))
    .withPanel(
      new StateTimeline()
        .title('窗口状态时间线')
        .description(
          `${TIMELINE_STATES.map((k) => COUNTER_STATE_LABELS[k].zh).join(' / ')}，来自告警服务发布的窗口状态`,
        )
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT last("state") FROM "counter_state" WHERE ${HALL_FILTER} AND ${COUNTER_FILTER} AND $timeFilter GROUP BY time($__interval), "counter" fill(previous)`,
          )
            .refId('A')
            .alias('$tag_counter'),
        )
        .mappings(valueMappings(STATE_LABELS))
        .showValue('never' as never)
        .mergeValues(true)
        .rowHeight(0.8)
        .gridPos({ h: 14, w: 24, x: 0, y: 1 }),
    )
    .withPanel(
      new StatPanel()
        .title('当前在岗人数')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT sum("staff") FROM (SELECT last("staff_on_post") AS "staff" FROM "counter_state" WHERE ${HALL_FILTER} AND $timeFilter GROUP BY "counter")`,
          ).refId('A'),
        )
        .gridPos({ h: 5, w: 6, x: 0, y: 15 }),
    )
    .withPanel(
      new StatPanel()
        .title('今日缺位次数')
        .description(
          `今日零点起${[...INTERRUPTION_TYPES].map((t) => zh(ALERT_TYPE_LABELS, t)).join('、')}告警的次数（无缺位制度），不含已撤销或改判作废的告警`,
        )
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .timeFrom('now/d')
        .withTarget(new InfluxQL(TODAY_INTERRUPTIONS).refId('A'))
        .gridPos({ h: 5, w: 6, x: 6, y: 15 }),
    )
    .withPanel(
      alertTable(
        '告警记录',
        `SELECT "counter", "equipment", "status", "reason", "id" FROM "alert" WHERE ${HALL_FILTER} AND $timeFilter GROUP BY "type", "severity" ORDER BY time DESC LIMIT 200`,
        ['Time', 'type', 'severity', 'counter', 'equipment', 'status', 'reason', 'id'],
        true,
      ).gridPos({ h: 10, w: 12, x: 12, y: 15 }),
    );
}
