// Device events (CONTRACT §2) → one line-protocol point each. docs/data-model.md documents the result.
import type { DeviceEvent } from '../protocol/index.ts';
import { type FieldValue, int, line } from './line-protocol.ts';

/** Fields every device point carries: the device `seq`, and a flag when the time is the receive time. */
function stamp(e: DeviceEvent): [string, FieldValue | undefined][] {
  return [
    ['seq', e.seq !== undefined ? int(e.seq) : undefined],
    ['ts_from_receive', e.tsFromDevice ? undefined : true],
  ];
}

/** The seat point, written out by hand: it is most of the traffic (docs/ingest.md, "Performance"). */
function seatLine(e: Extract<DeviceEvent, { kind: 'seat' }>): string {
  const seq = e.seq !== undefined ? `,seq=${Math.trunc(e.seq)}i` : '';
  const rx = e.tsFromDevice ? '' : ',ts_from_receive=true';
  return `seat,counter=${e.counter},hall=${e.hall},seat=${e.seat} occupied=${e.occupied}${seq}${rx} ${e.ts}`;
}

export function deviceLine(e: DeviceEvent): string {
  switch (e.kind) {
    case 'seat':
      return seatLine(e);
    case 'sign':
      return line(
        'sign',
        [
          ['counter', e.counter],
          ['hall', e.hall],
        ],
        [
          ['sign', e.sign],
          ['note', e.note],
          ['return_by', e.returnBy !== undefined ? int(e.returnBy) : undefined],
          ...stamp(e),
        ],
        e.ts,
      );
    case 'queue':
      return line(
        'queue',
        [
          ['counter', e.counter],
          ['hall', e.hall],
        ],
        [['waiting', int(e.waiting)], ...stamp(e)],
        e.ts,
      );
    case 'badge':
      return line(
        'badge',
        [
          ['counter', e.counter],
          ['hall', e.hall],
        ],
        [['staff', e.staff], ['action', e.action], ...stamp(e)],
        e.ts,
      );
    case 'equipment':
      return line(
        'equipment',
        [
          ['counter', e.counter],
          ['equipment', e.equipment],
          ['hall', e.hall],
        ],
        [['status', e.status], ['code', e.code], ['detail', e.detail], ...stamp(e)],
        e.ts,
      );
    case 'env':
      return line(
        'env',
        [
          ['hall', e.hall],
          ['sensor', e.sensor],
        ],
        [
          ['lux', e.readings.lux],
          ['temperature', e.readings.temperature],
          ['humidity', e.readings.humidity],
          ['co2', e.readings.co2],
          ['noise', e.readings.noise],
          ...stamp(e),
        ],
        e.ts,
      );
    case 'device_status':
      return line(
        'device_status',
        [
          ['device', e.device],
          ['hall', e.hall],
        ],
        [['online', e.online], ...stamp(e)],
        e.ts,
      );
  }
}
