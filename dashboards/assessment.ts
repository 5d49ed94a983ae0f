// 考核统计: what assessors read — time per state per counter over the chosen period.

import { PanelBuilder as BarChart } from '@grafana/grafana-foundation-sdk/barchart';
import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table';
import { counterVariable, hallVariable } from './common.ts';
import { COUNTER_FILTER, HALL_FILTER, InfluxQL } from './influxql.ts';

export function assessmentDashboard() {
  return new DashboardBuilder('HallWatch · 考核统计')
    .uid('hallwatch-assessment')
    .tags(['hallwatch'])
    .timezone('Asia/Shanghai')
    .time({ from: 'now-30d', to: 'now' })
    .withVariable(hallVariable())
    .withVariable(counterVariable())
    .withPanel(
      new BarChart()
        .title('各窗口服务时间构成（小时）')
        .description('服务时段内各状态累计时长；闭馆时间不计入。口径见 docs/statistics.md')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT sum("duration_s") / 3600 FROM "counter_interval" WHERE ${HALL_FILTER} AND ${COUNTER_FILTER} AND $timeFilter GROUP BY "counter", "state"`,
            'table',
          ).refId('A'),
        )
        .unit('h')
        .gridPos({ h: 12, w: 24, x: 0, y: 0 }),
    )
    .withPanel(
      new Table()
        .title('缺位与迟到明细')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT "id", "counter", "type", "status", "reason" FROM "alert" WHERE ${HALL_FILTER} AND ("type" = 'unattended' OR "type" = 'staffing_gap' OR "type" = 'late_opening') AND $timeFilter ORDER BY time DESC`,
            'table',
          ).refId('A'),
        )
        .gridPos({ h: 12, w: 24, x: 0, y: 12 }),
    );
}
