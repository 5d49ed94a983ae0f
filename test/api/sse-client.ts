// A minimal SSE reader over fetch for the tests: collects frames (and comment lines) as they come.
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

export class SseReader {
  readonly frames: SseFrame[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];
  private readonly abort = new AbortController();
  status = 0;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const r = new SseReader();
    const res = await fetch(url, { headers, signal: r.abort.signal });
    r.status = res.status;
    if (!res.ok || !res.body) return r;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          r.push(value);
        }
      } catch {
        // aborted by close()
      }
      r.ended = true;
      r.wake();
    })();
    return r;
  }

  ended = false;

  private push(text: string) {
    this.buffer += text;
    let i = this.buffer.indexOf('\n\n');
    while (i >= 0) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      const f: SseFrame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) f.comment = line.slice(1).trim();
        else {
          const k = line.slice(0, line.indexOf(':'));
          const v = line.slice(line.indexOf(':') + 1).trimStart();
          if (k === 'id' || k === 'event' || k === 'data') f[k] = v;
        }
      }
      this.frames.push(f);
      i = this.buffer.indexOf('\n\n');
    }
    this.wake();
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** Waits until `pred` holds for the collected frames (or the timeout passes). */
  async until(pred: (frames: SseFrame[]) => boolean, timeoutMs = 5_000): Promise<SseFrame[]> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.frames)) {
      if (this.ended) throw new Error(`stream ended; frames: ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
    return this.frames;
  }

  events(name?: string): SseFrame[] {
    return this.frames.filter((f) => f.event && (!name || f.event === name));
  }

  close() {
    this.abort.abort();
  }
}
