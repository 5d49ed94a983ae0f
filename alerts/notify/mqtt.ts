// MQTT channel: the hall's big screen or any other subscriber reads notifications from a topic.

import { DeliveryError, type Notifier } from './types.ts';
import { webhookBody } from './webhook.ts';

export type PublishFn = (topic: string, payload: string) => Promise<void>;

export function createMqttNotifier(o: { id: string; topic: string; publish: PublishFn }): Notifier {
  return {
    id: o.id,
    type: 'mqtt',
    maxBatch: 1,
    rates: [],
    async send(batch) {
      try {
        await o.publish(o.topic, JSON.stringify(webhookBody(batch[0]!)));
      } catch (e) {
        throw new DeliveryError(`MQTT publish: ${(e as Error).message}`);
      }
      return 1;
    },
  };
}
