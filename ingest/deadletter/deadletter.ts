// The dead-letter file: one JSON line per rejected message or point, with its reason, for an
// admin to inspect (`tail -f data/ingest/deadletter.jsonl | jq`). Rotated at a size limit, one
// previous file kept (deadletter.jsonl.1), so bad input can never fill the disk.
import { appendFile, rename, stat } from 'node:fs/promises';

export interface DeadLetter {
  at: number;
  reason: string;
  field?: string;
  detail: string;
  topic?: string;
  /** The message as received (UTF-8, or base64 when it is not text), cut at 4 KiB. */
  payload?: string;
  payloadEncoding?: 'utf8' | 'base64';
  /** For points InfluxDB refused: the line as sent. */
  line?: string;
}

const MAX_KEEP = 4096;
/** Entries waiting in memory for the next flush; beyond it they are counted, not kept. */
const MAX_PENDING = 20_000;

export function payloadText(p: Buffer): { payload: string; payloadEncoding: 'utf8' | 'base64' } {
  const cut = p.subarray(0, MAX_KEEP);
  const text = cut.toString('utf8');
  return Buffer.byteLength(text) === cut.length && !text.includes('\uFFFD')
    ? { payload: text, payloadEncoding: 'utf8' }
    : { payload: cut.toString('base64'), payloadEncoding: 'base64' };
}

export class DeadLetterFile {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  dropped = 0;
  written = 0;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
  ) {}

  add(d: DeadLetter): void {
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending.push(JSON.stringify(d));
  }

  private soon: NodeJS.Immediate | undefined;

  /** Flushes shortly, once for everything added meanwhile (for entries no acknowledgement waits on). */
  flushSoon(): void {
    this.soon ??= setImmediate(() => {
      this.soon = undefined;
      void this.flush();
    });
  }

  /** Writes what is pending; resolves when it is in the file. */
  flush(): Promise<void> {
    if (!this.pending.length) return this.writing;
    const chunk = `${this.pending.join('\n')}\n`;
    const n = this.pending.length;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      try {
        const size = await stat(this.file).then(
          (s) => s.size,
          () => 0,
        );
        if (size + chunk.length > this.maxBytes && size > 0) await rename(this.file, `${this.file}.1`);
        await appendFile(this.file, chunk);
        this.written += n;
      } catch {
        this.dropped += n;
      }
    });
    return this.writing;
  }
}
