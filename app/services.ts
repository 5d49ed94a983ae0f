// Starts the chosen services in dependency order and stops them in reverse.
import { createCalendar } from '../core/calendar/index.ts';
import type { Service, ServiceContext, ServiceName } from '../runtime/service.ts';
import { scopeConfig } from './partition.ts';

type Starter = (ctx: ServiceContext) => Promise<Service>;

// Loaded lazily so a process that runs only the broker does not load SQLite or fastify.
const STARTERS: Record<ServiceName, () => Promise<Starter>> = {
  broker: async () => (await import('../broker/index.ts')).startBroker,
  ingest: async () => (await import('../ingest/index.ts')).startIngest,
  alerts: async () => (await import('../alerts/index.ts')).startAlerts,
  api: async () => {
    const { startApi } = await import('../api/index.ts');
    const { createReports } = await import('../reports/index.ts');
    // Statistics read InfluxDB; without an influx section the API serves everything else.
    return (ctx) =>
      startApi(
        ctx,
        ctx.config.influx
          ? createReports({
              config: ctx.config,
              calendar: createCalendar(ctx.config),
              logger: ctx.logger.child({ wing: 'reports' }),
            })
          : undefined,
      );
  },
};

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
      const start = await STARTERS[name]();
      // A partition's ingest, alerts and api see only its halls; the broker serves every device.
      const config = name === 'broker' ? ctx.config : scopeConfig(ctx.config, ctx.partition);
      const svc = await start({ ...ctx, config, logger: ctx.logger.child({ service: name }) });
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
