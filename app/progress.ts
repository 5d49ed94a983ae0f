// A progress bar for the command-line tools (replay, the demo's seed): redrawn in place on a
// terminal, one line per step otherwise (CI logs, pipes).

/** `label [██████░░░░] done/total 天  note` on stderr. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY;
  return (done: number, total: number, note: string) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${label} [${bar}] ${done}/${total} 天  ${note}`;
    stream.write(tty ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
}
