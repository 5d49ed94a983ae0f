// npm run dashboards -- [--config FILE] --out DIR            provisioning files for Grafana
// npm run dashboards -- [--config FILE] --push URL [--token T | --basic user:pass]

import { ConfigError } from '../core/errors.ts';
import {
  GrafanaError,
  GrafanaPermissionError,
  pushToGrafana,
  writeProvisioning,
} from '../dashboards/provision.ts';
import { configPath, loadConfig } from './config.ts';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(configPath(process.argv.slice(2)));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  if (!config.influx) {
    console.error('配置缺少 influx 段 / the configuration has no influx section');
    process.exit(2);
  }
  const out = arg('--out');
  const push = arg('--push');
  if (!out && !push) {
    console.error(
      '用法 / usage: npm run dashboards -- [--config FILE] (--out DIR | --push URL [--token T | --basic user:pass])',
    );
    process.exit(2);
  }
  if (out) for (const f of writeProvisioning(out, config.influx, config)) console.log(`wrote ${f}`);
  if (push) {
    const token = arg('--token') ?? process.env.GRAFANA_TOKEN;
    const basic = arg('--basic');
    const r = await pushToGrafana(
      { url: push, ...(token ? { token } : {}), ...(basic ? { basic } : {}) },
      config.influx,
      config,
    );
    console.log(`datasource ${r.datasource}, folder ${r.folder}`);
    for (const d of r.dashboards)
      console.log(`dashboard ${d.uid} → ${d.url ?? '?'} (version ${d.version ?? '?'})`);
  }
}

main().catch((e) => {
  if (e instanceof GrafanaError && e.status === 401)
    console.error(
      `Grafana refused the token (401): check --token / GRAFANA_TOKEN is a valid service-account token / Grafana 令牌无效或已过期\n${e.message}`,
    );
  else if (e instanceof GrafanaPermissionError) console.error(e.message);
  else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
