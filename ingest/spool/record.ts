// Spool record framing, version 2 (docs/ingest.md, "The spool"):
//   [u32 magic][u32 payload bytes][u32 points][u32 crc32(payload)][u32 crc32(the 16 bytes before)]
//   + payload (lines joined by '\n').
// The magic and the header's own CRC let a reader that meets a damaged record scan forward, byte
// by byte, to the next frame whose header and payload both check out (resynchronisation), instead
// of losing the rest of the segment. A valid header in front of a bad payload still tells how many
// points were lost.
// Version 1 ([u32 bytes][u32 points][u32 crc32(payload)], no magic) is still read, with its old
// rule: the first bad record ends the readable part of the segment. New segments are always v2.
import { crc32 } from 'node:zlib';

/** "HWS2" little-endian; as a v1 length it would be ~0.8 GB, more than any segment. */
export const MAGIC = 0x32535748;
export const HEADER_BYTES = 20;
export const V1_HEADER_BYTES = 12;

export function encodeRecord(body: string, points: number): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(payload.length, 4);
  buf.writeUInt32LE(points, 8);
  buf.writeUInt32LE(crc32(payload), 12);
  buf.writeUInt32LE(crc32(buf.subarray(0, 16)), 16);
  payload.copy(buf, HEADER_BYTES);
  return buf;
}

export type SegmentFormat = 1 | 2;

export interface RecordHeader {
  headerBytes: number;
  bytes: number;
  points: number;
  crc: number;
  /** v2: magic and header CRC match; v1: always true (v1 headers carry no check of their own). */
  sound: boolean;
}

/** A segment is v1 only when it starts with a valid v1 record (a v2 segment with a damaged first magic stays v2). */
export function formatOf(segment: Buffer): SegmentFormat {
  if (segment.length >= 4 && segment.readUInt32LE(0) === MAGIC) return 2;
  return recordAt(segment, 0, 1) ? 1 : 2;
}

export function decodeHeader(buf: Buffer, format: SegmentFormat, at = 0): RecordHeader {
  if (format === 1)
    return {
      headerBytes: V1_HEADER_BYTES,
      bytes: buf.readUInt32LE(at),
      points: buf.readUInt32LE(at + 4),
      crc: buf.readUInt32LE(at + 8),
      sound: true,
    };
  const sound =
    buf.readUInt32LE(at) === MAGIC && crc32(buf.subarray(at, at + 16)) === buf.readUInt32LE(at + 16);
  return {
    headerBytes: HEADER_BYTES,
    bytes: buf.readUInt32LE(at + 4),
    points: buf.readUInt32LE(at + 8),
    crc: buf.readUInt32LE(at + 12),
    sound,
  };
}

export function payloadValid(h: RecordHeader, payload: Buffer): boolean {
  return payload.length === h.bytes && crc32(payload) === h.crc;
}

/** A stretch of a segment that holds no readable record. */
export interface Damage {
  offset: number;
  end: number;
  /** Points in the stretch: from a sound header when there is one, else its line count. */
  points: number;
  /** The stretch runs to the end of the file and is the start of one record cut short (crash during append). */
  torn: boolean;
}

export interface SegmentScan {
  format: SegmentFormat;
  /** Offsets where a valid record starts, with its length and points. */
  records: { offset: number; length: number; points: number }[];
  damage: Damage[];
}

/** Reads a whole segment image and finds its records and its damaged stretches. */
export function scanSegment(buf: Buffer): SegmentScan {
  const format = formatOf(buf);
  const records: SegmentScan['records'] = [];
  const damage: Damage[] = [];
  let off = 0;
  while (off < buf.length) {
    const rec = recordAt(buf, off, format);
    if (rec) {
      records.push({ offset: off, length: rec.length, points: rec.points });
      off += rec.length;
      continue;
    }
    // v1 has no marker to resynchronise on: the rest of the segment is lost, as before.
    const next = format === 2 ? nextFrame(buf, off + 1) : buf.length;
    damage.push({ offset: off, end: next, ...lostIn(buf, off, next, format) });
    off = next;
  }
  return { format, records, damage };
}

function recordAt(
  buf: Buffer,
  off: number,
  format: SegmentFormat,
): { length: number; points: number } | null {
  const hb = format === 2 ? HEADER_BYTES : V1_HEADER_BYTES;
  if (off + hb > buf.length) return null;
  const h = decodeHeader(buf, format, off);
  if (!h.sound || off + hb + h.bytes > buf.length) return null;
  if (!payloadValid(h, buf.subarray(off + hb, off + hb + h.bytes))) return null;
  return { length: hb + h.bytes, points: h.points };
}

function nextFrame(buf: Buffer, from: number): number {
  for (let at = buf.indexOf(MAGIC_BYTES, from); at >= 0; at = buf.indexOf(MAGIC_BYTES, at + 1))
    if (recordAt(buf, at, 2)) return at;
  return buf.length;
}

const MAGIC_BYTES = (() => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(MAGIC, 0);
  return b;
})();

function lostIn(
  buf: Buffer,
  off: number,
  end: number,
  format: SegmentFormat,
): Omit<Damage, 'offset' | 'end'> {
  const hb = format === 2 ? HEADER_BYTES : V1_HEADER_BYTES;
  const h = off + hb <= buf.length ? decodeHeader(buf, format, off) : undefined;
  // Cut short at the end of the file: the append never finished, so it was never acknowledged.
  const torn = end === buf.length && (!h || (h.sound && off + hb + h.bytes > buf.length));
  if (h?.sound && format === 2 && off + hb + h.bytes === end) return { points: h.points, torn: false };
  if (torn) return { points: h?.sound ? h.points : 0, torn: true };
  // The header itself is damaged: count the lines of the payload bytes in the stretch.
  let lines = 0;
  const body = buf.subarray(Math.min(end, off + hb), end);
  if (body.length) {
    lines = 1;
    for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) lines++;
  }
  return { points: lines, torn: false };
}
