// Every HallWatch dashboard, built as typed code.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../core/config/schema.ts';
import { assessmentDashboard } from './assessment.ts';
import { facilitiesDashboard } from './facilities.ts';
import { hallLiveDashboard } from './hall-live.ts';

export { DATASOURCE_UID } from './influxql.ts';

/** With the configuration: counter and hall names in the pickers, the bands as thresholds, the board link. */
export function allDashboards(config?: Config): Dashboard[] {
  return [
    hallLiveDashboard(config).build(),
    assessmentDashboard(config).build(),
    facilitiesDashboard(config).build(),
  ];
}
