// 大厅实时: what supervisors watch — counter states over time, open alerts, staff on post.
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimeline } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table';
import { counterVariable, hallVariable, STATE_LABELS, valueMappings } from './common.ts';
import { COUNTER_FILTER, HALL_FILTER, InfluxQL } from './influxql.ts';

export function hallLiveDashboard() {
  return new DashboardBuilder('HallWatch · 大厅实时')
    .uid('hallwatch-hall-live')
    .tags(['hallwatch'])
    .timezone('Asia/Shanghai')
    .refresh('30s')
    .time({ from: 'now-12h', to: 'now' })
    .withVariable(hallVariable())
    .withVariable(counterVariable())
    .withRow(new RowBuilder('窗口状态'))
    .withPanel(
      new StateTimeline()
        .title('窗口状态时间线')
        .description('在岗 / 临时离开 / 暂停服务 / 无人值守 / 设备离线，来自告警服务发布的窗口状态')
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
        .description('无人值守与在岗人数不足告警的次数（无缺位制度）')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT count("id") FROM "alert" WHERE ${HALL_FILTER} AND ("type" = 'unattended' OR "type" = 'staffing_gap') AND time >= now() - 24h`,
          ).refId('A'),
        )
        .gridPos({ h: 5, w: 6, x: 6, y: 15 }),
    )
    .withPanel(
      new Table()
        .title('告警记录')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT "id", "counter", "equipment", "status", "reason" FROM "alert" WHERE ${HALL_FILTER} AND $timeFilter ORDER BY time DESC LIMIT 200`,
            'table',
          ).refId('A'),
        )
        .gridPos({ h: 10, w: 12, x: 12, y: 15 }),
    );
}
