// The conformance suite against Debian's Mosquitto 2.0 with the password file and ACL equivalent
// to HallWatch's (same accounts, same passwords, same topics allowed).
import { afterAll, beforeAll, describe } from 'vitest';
import { productPassword } from '../../helpers/product.ts';
import { type Mosquitto, startMosquitto } from './mosquitto.ts';
import { type BrokerUnderTest, conformanceSuite, DEVICE, MOSQUITTO_ACL, SERVICE } from './suite.ts';

describe('conformance: Mosquitto', () => {
  let mosquitto: Mosquitto;
  let target: BrokerUnderTest;
  beforeAll(async () => {
    mosquitto = await startMosquitto(
      [DEVICE, SERVICE].map((username) => ({ username, password: productPassword(username) })),
      MOSQUITTO_ACL,
    );
    target = {
      name: 'Mosquitto',
      host: '127.0.0.1',
      port: mosquitto.port,
      password: productPassword,
      mqtt5: true,
      refusedSuback: 'granted',
    };
  }, 30_000);
  afterAll(async () => {
    await mosquitto?.stop();
  });
  conformanceSuite(() => target);
});
