// 考核统计: what assessors read — time per state per counter over the chosen period.

import { PanelBuilder as BarChart } from '@grafana/grafana-foundation-sdk/barchart';
import { StackingMode } from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../core/config/schema.ts';
import { alertTable, counterVariable, dashboardLinks, hallVariable, STATE_LABELS } from './common.ts';
import { COUNTER_FILTER, HALL_FILTER, INTERRUPTION_TYPES_CLAUSE, InfluxQL } from './influxql.ts';

export function assessmentDashboard(config?: Config) {
  return new DashboardBuilder('HallWatch · 考核统计')
    .uid('hallwatch-assessment')
    .tags(['hallwatch'])
    .timezone(config?.timezone ?? 'Asia/Shanghai')
    .time({ from: 'now-30d', to: 'now' })
    .links(dashboardLinks(config))
    .withVariable(hallVariable(config))
    .withVariable(counterVariable(config))
    .withPanel(
      new BarChart()
        .title('各窗口服务时间构成（小时）')
        .description('服务时段内各状态累计时长；闭馆时间不计入。口径见 docs/statistics.md')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT sum("duration_s") / 3600 AS "hours" FROM "counter_interval" WHERE ${HALL_FILTER} AND ${COUNTER_FILTER} AND $timeFilter GROUP BY "counter", "state"`,
            'table',
          ).refId('A'),
        )
        // The query gives one row per (counter, state); Grafana pivots it to one bar per counter
        // with a stacked segment per state, named and coloured as on the board.
        .withTransformation({
          id: 'groupingToMatrix',
          options: { columnField: 'state', rowField: 'counter', valueField: 'hours', emptyValue: 'zero' },
        })
        .withTransformation({
          id: 'organize',
          options: {
            renameByName: Object.fromEntries([
              ['counter\\state', '窗口'],
              ...Object.entries(STATE_LABELS).map(([k, v]) => [k, v.text]),
            ]),
          },
        })
        .xField('窗口')
        .stacking(StackingMode.Normal)
        .overrides(
          Object.values(STATE_LABELS).map((l) => ({
            matcher: { id: 'byName', options: l.text },
            properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: l.color } }],
          })),
        )
        .unit('h')
        .gridPos({ h: 12, w: 24, x: 0, y: 0 }),
    )
    .withPanel(
      alertTable(
        '缺位与迟到明细',
        `SELECT "counter", "status", "reason", "responsible", "id" FROM "alert" WHERE ${HALL_FILTER} AND (${INTERRUPTION_TYPES_CLAUSE} OR "type" = 'late_opening') AND $timeFilter GROUP BY "type" ORDER BY time DESC`,
        ['Time', 'type', 'counter', 'status', 'reason', 'responsible', 'id'],
      ).gridPos({ h: 12, w: 24, x: 0, y: 12 }),
    );
}
