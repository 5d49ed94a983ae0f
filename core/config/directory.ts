// Which halls, counters, seats, equipment, sensors and devices the configuration knows.
import type { DeviceEvent } from '../protocol/events.ts';
import type { Config, CounterConfig, EquipmentConfig, HallConfig, SensorConfig } from './schema.ts';

export interface Directory {
  hall(id: string): HallConfig | undefined;
  counter(hall: string, id: string): CounterConfig | undefined;
  equipment(hall: string, counter: string | undefined, id: string): EquipmentConfig | undefined;
  sensor(hall: string, id: string): SensorConfig | undefined;
  /** Counters whose sensors a device (controller) covers. */
  countersOfDevice(hall: string, device: string): CounterConfig[];
  isKnownDevice(hall: string, device: string): boolean;
  /** Null when every id of the event is configured, else which one is not. */
  unknownIdOf(e: DeviceEvent): { field: string; value: string } | null;
}

export function buildDirectory(config: Config): Directory {
  const halls = new Map(config.halls.map((h) => [h.id, h]));
  const counters = new Map<string, CounterConfig>();
  const byDevice = new Map<string, CounterConfig[]>();
  const devices = new Set<string>();
  for (const h of config.halls) {
    for (const d of h.devices) devices.add(`${h.id}/${d.id}`);
    for (const c of h.counters) {
      counters.set(`${h.id}/${c.id}`, c);
      if (c.controller) {
        const key = `${h.id}/${c.controller}`;
        devices.add(key);
        byDevice.set(key, [...(byDevice.get(key) ?? []), c]);
      }
    }
  }
  // Devices may also be declared only as MQTT users (role counter/hall-device with a device id).
  for (const u of config.mqtt.users) if (u.hall && u.device) devices.add(`${u.hall}/${u.device}`);

  const dir: Directory = {
    hall: (id) => halls.get(id),
    counter: (hall, id) => counters.get(`${hall}/${id}`),
    equipment: (hall, counter, id) =>
      counter
        ? counters.get(`${hall}/${counter}`)?.equipment.find((e) => e.id === id)
        : halls.get(hall)?.equipment.find((e) => e.id === id),
    sensor: (hall, id) => halls.get(hall)?.sensors.find((s) => s.id === id),
    countersOfDevice: (hall, device) => byDevice.get(`${hall}/${device}`) ?? [],
    isKnownDevice: (hall, device) => devices.has(`${hall}/${device}`),
    unknownIdOf(e) {
      if (!halls.has(e.hall)) return { field: 'hall', value: e.hall };
      switch (e.kind) {
        case 'seat': {
          const c = counters.get(`${e.hall}/${e.counter}`);
          if (!c) return { field: 'counter', value: e.counter };
          return c.seats.includes(e.seat) ? null : { field: 'seat', value: e.seat };
        }
        case 'sign':
        case 'badge':
        case 'queue':
          return counters.has(`${e.hall}/${e.counter}`) ? null : { field: 'counter', value: e.counter };
        case 'equipment':
          if (e.counter && !counters.has(`${e.hall}/${e.counter}`))
            return { field: 'counter', value: e.counter };
          return dir.equipment(e.hall, e.counter, e.equipment)
            ? null
            : { field: 'equipment', value: e.equipment };
        case 'env':
          return dir.sensor(e.hall, e.sensor) ? null : { field: 'sensor', value: e.sensor };
        case 'device_status':
          return devices.has(`${e.hall}/${e.device}`) ? null : { field: 'device', value: e.device };
      }
    },
  };
  return dir;
}
