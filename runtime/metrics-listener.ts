// `metrics.listen` / HALLWATCH_METRICS_LISTEN: a loopback listener serving only GET /metrics of
// this process's services, for processes that run without the API (`--only broker`, `--only ingest`).
import { createServer, type Server } from 'node:http';
import { type Config, isLoopback } from '../core/config/schema.ts';
import { ConfigError } from '../core/errors.ts';
import type { Logger } from './logger.ts';
import { METRICS_CONTENT_TYPE, metricsOf, processRegistry } from './metrics.ts';
import type { Service } from './service.ts';

export const METRICS_LISTEN_ENV = 'HALLWATCH_METRICS_LISTEN';

/** The listener's address: the environment's host:port over the config's; undefined when neither. */
export function metricsListenOf(
  config: Config,
  env: NodeJS.ProcessEnv,
): { host: string; port: number } | undefined {
  const v = env[METRICS_LISTEN_ENV];
  if (!v) return config.metrics.listen;
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(v);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535 || !isLoopback(m[1]!))
    throw new ConfigError([
      {
        path: METRICS_LISTEN_ENV,
        message: `环境变量 ${METRICS_LISTEN_ENV} 须为回环地址 host:port / must be a loopback host:port such as 127.0.0.1:9464 (got "${v}")`,
      },
    ]);
  return { host: m[1]!, port };
}

export interface MetricsListener {
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsListener(
  listen: { host: string; port: number },
  services: Map<string, Service>,
  logger: Logger,
): Promise<MetricsListener> {
  const own = processRegistry();
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    metricsOf(services.values(), own).then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (err: Error) => {
        logger.error({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : listen.port;
  const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;
  logger.info({ url: `${url}/metrics` }, 'metrics listening');
  return {
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
