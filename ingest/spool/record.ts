// Spool record framing: [u32 payload bytes][u32 points][u32 crc32(payload)] + payload (lines, '\n').
// The CRC tells a torn tail (kill -9 or power cut during append) from a good record.
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 12;

export function encodeRecord(body: string, points: number): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  buf.writeUInt32LE(payload.length, 0);
  buf.writeUInt32LE(points, 4);
  buf.writeUInt32LE(crc32(payload), 8);
  payload.copy(buf, HEADER_BYTES);
  return buf;
}

export interface RecordHeader {
  bytes: number;
  points: number;
  crc: number;
}

export function decodeHeader(buf: Buffer): RecordHeader {
  return { bytes: buf.readUInt32LE(0), points: buf.readUInt32LE(4), crc: buf.readUInt32LE(8) };
}

export function payloadValid(h: RecordHeader, payload: Buffer): boolean {
  return payload.length === h.bytes && crc32(payload) === h.crc;
}
