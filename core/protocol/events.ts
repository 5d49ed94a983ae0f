// Decoded device events: what the rule engine and the ingest consume.
import type { EnvMetric } from './payloads.ts';

export type Sign = 'none' | 'away' | 'paused';
export type EquipmentStatus = 'ok' | 'fault' | 'off';

interface EventBase {
  hall: string;
  /** Observation time (epoch ms UTC): the device `ts`, or the receive time when absent. */
  ts: number;
  /** False when `ts` is the receive time because the device sent none. */
  tsFromDevice: boolean;
  seq?: number;
  receivedAt: number;
  topic: string;
}

export interface SeatEvent extends EventBase {
  kind: 'seat';
  counter: string;
  seat: string;
  occupied: boolean;
}
export interface SignEvent extends EventBase {
  kind: 'sign';
  counter: string;
  sign: Sign;
  /** R30 去向 note (≤ 32 characters). */
  note?: string;
  /** R30 expected return (epoch ms); shown, never a deadline. */
  returnBy?: number;
}
/** R29: citizens waiting at a counter (queue system). */
export interface QueueEvent extends EventBase {
  kind: 'queue';
  counter: string;
  waiting: number;
}
export interface BadgeEvent extends EventBase {
  kind: 'badge';
  counter: string;
  staff: string;
  action: 'in' | 'out';
}
export interface EquipmentEvent extends EventBase {
  kind: 'equipment';
  /** Absent for hall-level equipment. */
  counter?: string;
  equipment: string;
  status: EquipmentStatus;
  code?: string;
  detail?: string;
}
export interface EnvEvent extends EventBase {
  kind: 'env';
  sensor: string;
  readings: Partial<Record<EnvMetric, number>>;
}
export interface DeviceStatusEvent extends EventBase {
  kind: 'device_status';
  device: string;
  online: boolean;
}

export type DeviceEvent =
  | SeatEvent
  | SignEvent
  | BadgeEvent
  | EquipmentEvent
  | EnvEvent
  | DeviceStatusEvent
  | QueueEvent;
