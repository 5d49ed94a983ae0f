// One clean stop for every process of the product: the services, the bridge, the simulator.
import type { Logger } from '../runtime/logger.ts';

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
