// vitest globalSetup: the system packages the suite starts as children (the same step the demo and
// .ci/run use). Installs them with apt-get when root; otherwise fails with the exact command.
import { ensureSystemPackages, TEST_PACKAGES } from '../../runtime/system-packages.ts';

export default function setup(): void {
  ensureSystemPackages(TEST_PACKAGES, { say: (line) => console.log(`[setup] ${line}`) });
}
