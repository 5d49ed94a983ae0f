// Device events and derived objects → topic + payload, for the bridge, the simulator and the engine's publisher.
import type { DeviceEvent } from './events.ts';
import type { AlertObject, CounterStatePayload } from './payloads.ts';
import { formatTopic } from './topics.ts';

export interface OutgoingMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

/** Formats a device event as the device would publish it (CONTRACT §2 QoS/retain column). */
export function encodeDeviceEvent(e: DeviceEvent): OutgoingMessage {
  const stamp = { ...(e.tsFromDevice ? { ts: e.ts } : {}), ...(e.seq !== undefined ? { seq: e.seq } : {}) };
  switch (e.kind) {
    case 'seat':
      return msg(formatTopic(e), { occupied: e.occupied, ...stamp }, true);
    case 'sign':
      return msg(
        formatTopic(e),
        {
          sign: e.sign,
          ...(e.note !== undefined ? { note: e.note } : {}),
          ...(e.returnBy !== undefined ? { returnBy: e.returnBy } : {}),
          ...stamp,
        },
        true,
      );
    case 'queue':
      return msg(formatTopic(e), { waiting: e.waiting, ...stamp }, true);
    case 'badge':
      return msg(formatTopic(e), { staff: e.staff, action: e.action, ...stamp }, false);
    case 'equipment':
      return msg(formatTopic(e), { status: e.status, code: e.code, detail: e.detail, ...stamp }, true);
    case 'env':
      return msg(formatTopic(e), { ...e.readings, ...stamp }, false);
    case 'device_status':
      return { topic: formatTopic(e), payload: e.online ? 'online' : 'offline', qos: 1, retain: true };
  }
}

function msg(topic: string, body: object, retain: boolean): OutgoingMessage {
  return { topic, payload: JSON.stringify(body), qos: 1, retain };
}

export function encodeCounterState(hall: string, counter: string, s: CounterStatePayload): OutgoingMessage {
  return {
    topic: formatTopic({ kind: 'counter_state', hall, counter }),
    payload: JSON.stringify(s),
    qos: 1,
    retain: true,
  };
}

/** An open/acknowledged alert is retained; a resolved one clears the retained message (empty payload). */
export function encodeAlert(a: AlertObject): OutgoingMessage {
  return {
    topic: formatTopic({ kind: 'alert', hall: a.hall, alertId: a.id }),
    payload: a.status === 'resolved' ? '' : JSON.stringify(a),
    qos: 1,
    retain: true,
  };
}
