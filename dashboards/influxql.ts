// InfluxQL targets: the SDK ships no InfluxDB query type, so this is the custom one its README
// describes. Raw InfluxQL keeps the dashboards readable next to docs/data-model.md.

import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import { INTERRUPTION_TYPES } from '../core/stats/counter-day.ts';

export const DATASOURCE_UID = 'hallwatch-influxdb';
export const DATASOURCE = { type: 'influxdb', uid: DATASOURCE_UID } as const;

export interface InfluxQLQuery {
  refId?: string;
  hide?: boolean;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
  datasource: typeof DATASOURCE;
  _implementsDataqueryVariant(): void;
}

export class InfluxQL implements Builder<cog.Dataquery> {
  private readonly q: InfluxQLQuery;
  constructor(query: string, resultFormat: InfluxQLQuery['resultFormat'] = 'time_series') {
    this.q = {
      query,
      rawQuery: true,
      resultFormat,
      datasource: DATASOURCE,
      _implementsDataqueryVariant() {},
    };
  }
  refId(id: string): this {
    this.q.refId = id;
    return this;
  }
  alias(a: string): this {
    this.q.alias = a;
    return this;
  }
  build(): InfluxQLQuery {
    return this.q;
  }
}

/** `$hall` / `$counter` filters every panel shares. */
export const HALL_FILTER = `"hall" =~ /^$hall$/`;
export const COUNTER_FILTER = `"counter" =~ /^$counter$/`;
/** R17 v2: the alert types that are interruptions (缺位), as core/stats counts them. */
export const INTERRUPTION_TYPES_CLAUSE = [...INTERRUPTION_TYPES].map((t) => `"type" = '${t}'`).join(' OR ');
