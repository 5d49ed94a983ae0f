// Writes lines and takes care of what a single request cannot: a 413 is split, and lines the
// server refuses for good (type conflict, beyond retention, unparsable) are isolated by halving
// the batch so that they go to the dead-letter file and every other line is stored. Halves that
// were already stored by a partial write are written again, which overwrites them unchanged.
import { WriteError, type Writer } from '../writers/types.ts';

export interface WriteAllResult {
  stored: number;
  rejected: { line: string; detail: string }[];
}

export async function writeAll(writer: Writer, lines: readonly string[]): Promise<WriteAllResult> {
  const out: WriteAllResult = { stored: 0, rejected: [] };
  await writeInto(writer, lines, out, true);
  return out;
}

async function writeInto(
  writer: Writer,
  lines: readonly string[],
  out: WriteAllResult,
  mayCreate: boolean,
): Promise<void> {
  if (!lines.length) return;
  try {
    await writer.write(lines);
    out.stored += lines.length;
    return;
  } catch (e) {
    if (!(e instanceof WriteError)) throw new WriteError('retry', (e as Error).message);
    if (e.kind === 'no_database' && mayCreate) {
      await writer.ensureSchema().catch((err: Error) => {
        throw new WriteError('retry', `creating the database failed: ${err.message}`);
      });
      return writeInto(writer, lines, out, false);
    }
    if ((e.kind === 'rejected' || e.kind === 'too_large') && lines.length > 1) {
      const mid = lines.length >> 1;
      await writeInto(writer, lines.slice(0, mid), out, mayCreate);
      await writeInto(writer, lines.slice(mid), out, mayCreate);
      return;
    }
    if (e.kind === 'rejected' || e.kind === 'too_large') {
      out.rejected.push({ line: lines[0]!, detail: e.message });
      return;
    }
    throw e;
  }
}
