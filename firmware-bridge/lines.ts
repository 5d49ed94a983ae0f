// Splits a byte stream into lines, like @serialport/parser-readline, but bounded: garbage
// without a newline (wrong baud rate, a crashed controller) must not grow memory forever.
import { Transform, type TransformCallback } from 'node:stream';

export type LineChunk = { line: string } | { overflow: number };

export class BoundedLineSplitter extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = 0;

  constructor(private readonly maxBytes: number) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      this.append(chunk.subarray(start, i));
      if (this.dropping) this.push({ overflow: this.dropping } satisfies LineChunk);
      else this.push({ line: Buffer.concat(this.parts).toString('latin1') } satisfies LineChunk);
      this.parts = [];
      this.size = 0;
      this.dropping = 0;
      start = i + 1;
    }
    this.append(chunk.subarray(start));
    done();
  }

  private append(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.dropping || this.size + piece.length > this.maxBytes) {
      this.dropping += this.size + piece.length;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }
}
