// 设备与环境: what facility staff watch — equipment status over time and the hall's environment.
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StateTimeline } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries';
import type { Config } from '../core/config/schema.ts';
import { METRIC_LABELS } from '../core/vocabulary.ts';
import { dashboardLinks, EQUIPMENT_LABELS, hallVariable, valueMappings } from './common.ts';
import { HALL_FILTER, InfluxQL } from './influxql.ts';

/** One panel per metric, titled from the vocabulary; `unit` is Grafana's unit id. */
const ENV_PANELS = (
  [
    ['lux', 'lux'],
    ['temperature', 'celsius'],
    ['humidity', 'humidity'],
    ['co2', 'ppm'],
    ['noise', 'dB'],
  ] as const
).map(([field, unit]) => ({
  field,
  unit,
  title: `${METRIC_LABELS[field].zh} (${METRIC_LABELS[field].unit})`,
}));

/**
 * The configured band as Grafana thresholds: red below `min`, green inside, red above `max`
 * (the first hall's bands; the year-round band when temperature/humidity also have seasonal ones).
 */
export function bandThresholds(band: { min?: number | undefined; max?: number | undefined } | undefined) {
  const steps: { value: number | null; color: string }[] = [
    { value: null, color: band?.min !== undefined ? 'red' : 'green' },
  ];
  if (band?.min !== undefined) steps.push({ value: band.min, color: 'green' });
  if (band?.max !== undefined) steps.push({ value: band.max, color: 'red' });
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps as never);
}

export function facilitiesDashboard(config?: Config) {
  let d = new DashboardBuilder('HallWatch · 设备与环境')
    .uid('hallwatch-facilities')
    .tags(['hallwatch'])
    .timezone(config?.timezone ?? 'Asia/Shanghai')
    .refresh('1m')
    .time({ from: 'now-24h', to: 'now' })
    .links(dashboardLinks(config))
    .withVariable(hallVariable(config))
    .withPanel(
      new StateTimeline()
        .title('设备状态')
        .description('窗口与大厅设备（电脑、打印机、叫号机、显示屏…）的运行状态')
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT last("status") FROM "equipment" WHERE ${HALL_FILTER} AND $timeFilter GROUP BY time($__interval), "counter", "equipment" fill(previous)`,
          )
            .refId('A')
            .alias('$tag_counter $tag_equipment'),
        )
        .mappings(valueMappings(EQUIPMENT_LABELS))
        .gridPos({ h: 12, w: 24, x: 0, y: 0 }),
    );
  ENV_PANELS.forEach((p, i) => {
    d = d.withPanel(
      new TimeSeries()
        .title(p.title)
        .datasource({ type: 'influxdb', uid: 'hallwatch-influxdb' })
        .withTarget(
          new InfluxQL(
            `SELECT mean("${p.field}") FROM "env" WHERE ${HALL_FILTER} AND $timeFilter GROUP BY time($__interval), "sensor" fill(none)`,
          )
            .refId('A')
            .alias('$tag_sensor'),
        )
        .unit(p.unit)
        .thresholds(bandThresholds(config?.halls[0]?.thresholds[p.field]))
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
        .gridPos({ h: 8, w: 12, x: (i % 2) * 12, y: 12 + Math.floor(i / 2) * 8 }),
    );
  });
  return d;
}
