// Every HallWatch dashboard, built as typed code.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { assessmentDashboard } from './assessment.ts';
import { facilitiesDashboard } from './facilities.ts';
import { hallLiveDashboard } from './hall-live.ts';

export { DATASOURCE_UID } from './influxql.ts';

export function allDashboards(): Dashboard[] {
  return [hallLiveDashboard().build(), assessmentDashboard().build(), facilitiesDashboard().build()];
}
