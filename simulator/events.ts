// The simulator's output: contract device events stamped with simulated time, and who sends them.
import type { DeviceEvent, EquipmentStatus, Sign } from '../core/protocol/events.ts';

export interface SimEvent {
  /** Device id of the controller (or hall device) that publishes it; its MQTT identity. */
  controller: string;
  event: DeviceEvent;
}

// Device timestamps are whole milliseconds (CONTRACT §2); behaviour is planned in fractional ms.
const base = (hall: string, at: number) => {
  const ts = Math.round(at);
  return { hall, ts, tsFromDevice: true, receivedAt: ts, topic: '' };
};

export const ev = {
  seat: (
    controller: string,
    hall: string,
    at: number,
    counter: string,
    seat: string,
    occupied: boolean,
  ): SimEvent => ({
    controller,
    event: { ...base(hall, at), kind: 'seat', counter, seat, occupied },
  }),
  sign: (controller: string, hall: string, at: number, counter: string, sign: Sign): SimEvent => ({
    controller,
    event: { ...base(hall, at), kind: 'sign', counter, sign },
  }),
  badge: (
    controller: string,
    hall: string,
    at: number,
    counter: string,
    staff: string,
    action: 'in' | 'out',
  ): SimEvent => ({
    controller,
    event: { ...base(hall, at), kind: 'badge', counter, staff, action },
  }),
  equipment: (
    controller: string,
    hall: string,
    at: number,
    counter: string | undefined,
    equipment: string,
    status: EquipmentStatus,
    code?: string,
  ): SimEvent => ({
    controller,
    event: {
      ...base(hall, at),
      kind: 'equipment',
      ...(counter ? { counter } : {}),
      equipment,
      status,
      ...(code ? { code } : {}),
    },
  }),
  env: (
    controller: string,
    hall: string,
    at: number,
    sensor: string,
    readings: Record<string, number>,
  ): SimEvent => ({
    controller,
    event: { ...base(hall, at), kind: 'env', sensor, readings },
  }),
  status: (controller: string, hall: string, at: number, online: boolean): SimEvent => ({
    controller,
    event: { ...base(hall, at), kind: 'device_status', device: controller, online, tsFromDevice: false },
  }),
};

export const byTime = (a: SimEvent, b: SimEvent) => a.event.ts - b.event.ts;
