// Starts the chosen services in dependency order and stops them in reverse.
import type { Logger } from '../runtime/logger.ts';
import type { Service, ServiceContext, ServiceName } from '../runtime/service.ts';

type Starter = (ctx: ServiceContext) => Promise<Service>;

// Loaded lazily so a process that runs only the broker does not load SQLite or fastify.
const MODULES: Record<ServiceName, [path: string, exportName: string]> = {
  broker: ['../broker/index.ts', 'startBroker'],
  ingest: ['../ingest/index.ts', 'startIngest'],
  alerts: ['../alerts/index.ts', 'startAlerts'],
  api: ['../api/index.ts', 'startApi'],
};

async function starterOf(name: ServiceName): Promise<Starter> {
  const [path, exportName] = MODULES[name];
  const mod = (await import(path)) as Record<string, Starter>;
  const start = mod[exportName];
  if (typeof start !== 'function') throw new Error(`${path} does not export ${exportName}`);
  return start;
}

export async function startServices(names: ServiceName[], ctx: ServiceContext): Promise<() => Promise<void>> {
  const started: Service[] = [];
  const stopAll = async () => {
    for (const s of [...started].reverse()) {
      try {
        await s.stop();
        ctx.logger.info({ service: s.name }, 'stopped');
      } catch (err) {
        ctx.logger.error({ err, service: s.name }, 'stop failed');
      }
    }
  };
  try {
    for (const name of names) {
      const start = await starterOf(name);
      const svc = await start({ ...ctx, logger: ctx.logger.child({ service: name }) });
      started.push(svc);
      ctx.services.set(name, svc);
      ctx.logger.info({ service: name }, 'started');
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  return stopAll;
}

/** Stops cleanly on SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info({ signal: sig }, '正在停止 / stopping');
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
}
