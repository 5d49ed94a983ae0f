// The conformance suite against HallWatch's broker as `npm start -- --only broker` runs it with
// the example config (test/helpers/product.ts).
import { afterAll, beforeAll, describe } from 'vitest';
import { type ProductEnv, productEnv, productPassword } from '../../helpers/product.ts';
import { type BrokerUnderTest, conformanceSuite } from './suite.ts';

describe('conformance: HallWatch', () => {
  let env: ProductEnv;
  let target: BrokerUnderTest;
  beforeAll(async () => {
    env = await productEnv({ influxd: false });
    await env.start({ only: ['broker'] });
    const u = new URL(env.mqttUrl);
    target = {
      name: 'HallWatch',
      host: u.hostname,
      port: Number(u.port),
      password: productPassword,
      mqtt5: false,
      refusedSuback: 0x80,
    };
  }, 120_000);
  afterAll(async () => {
    await env?.cleanup();
  });
  conformanceSuite(() => target);
});
