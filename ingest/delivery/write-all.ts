// Writes lines and takes care of what a single request cannot: a 413 is split, and lines the
// server refuses for good (type conflict, beyond retention, unparsable) are isolated by halving
// the batch so that they go to the dead-letter file and every other line is stored. Halves that
// were already stored by a partial write are written again, which overwrites them unchanged.
// A `watch` (InfluxState) hears of every stored chunk and refused line as it happens, and stops
// the search when the server refuses everything (a storm): then the batch is kept, not dead-lettered.
import { WriteError, type Writer } from '../writers/types.ts';

/** InfluxDB (or a proxy in front of it) refused every line tried: keep the batch. */
export class RefusingError extends WriteError {
  constructor(
    readonly refused: number,
    detail: string,
  ) {
    super('retry', `InfluxDB refused all ${refused} lines tried, none stored: ${detail}`);
  }
}

export interface WriteAllResult {
  stored: number;
  rejected: { line: string; detail: string }[];
}

export interface RefusalWatch {
  stored(lines: number): void;
  /** One more line refused for good; true: the server refuses everything, give up. */
  refused(): boolean;
}

export async function writeAll(
  writer: Writer,
  lines: readonly string[],
  watch?: RefusalWatch,
): Promise<WriteAllResult> {
  const out: WriteAllResult = { stored: 0, rejected: [] };
  await writeInto(writer, lines, out, true, watch);
  return out;
}

async function writeInto(
  writer: Writer,
  lines: readonly string[],
  out: WriteAllResult,
  mayCreate: boolean,
  watch: RefusalWatch | undefined,
): Promise<void> {
  if (!lines.length) return;
  try {
    await writer.write(lines);
    out.stored += lines.length;
    watch?.stored(lines.length);
    return;
  } catch (e) {
    if (!(e instanceof WriteError)) throw new WriteError('retry', (e as Error).message);
    if (e.kind === 'no_database' && mayCreate) {
      await writer.ensureSchema().catch((err: Error) => {
        throw new WriteError('retry', `creating the database failed: ${err.message}`);
      });
      return writeInto(writer, lines, out, false, watch);
    }
    if ((e.kind === 'rejected' || e.kind === 'too_large') && lines.length > 1) {
      const mid = lines.length >> 1;
      await writeInto(writer, lines.slice(0, mid), out, mayCreate, watch);
      await writeInto(writer, lines.slice(mid), out, mayCreate, watch);
      return;
    }
    if (e.kind === 'rejected' || e.kind === 'too_large') {
      out.rejected.push({ line: lines[0]!, detail: e.message });
      if (watch?.refused() && out.stored === 0) throw new RefusingError(out.rejected.length, e.message);
      return;
    }
    throw e;
  }
}
