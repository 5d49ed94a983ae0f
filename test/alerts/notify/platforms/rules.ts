// What the stand-ins share: a sliding rate window, as the platforms count it (per robot).

export class RateWindow {
  private readonly sends: number[] = [];
  constructor(
    readonly windowMs: number,
    readonly max: number,
  ) {}

  /** True when one more message is allowed at `now` (and counts it). */
  take(now: number): boolean {
    while (this.sends.length && this.sends[0]! <= now - this.windowMs) this.sends.shift();
    if (this.sends.length >= this.max) return false;
    this.sends.push(now);
    return true;
  }

  reset(): void {
    this.sends.length = 0;
  }
}

export interface Verdict {
  /** HTTP status (the robots answer 200 even for errors). */
  status: number;
  body: Record<string, unknown>;
  /** Accepted messages: the text a group member reads and who got an @ notification. */
  accepted?: { text: string; reached: string[] };
}

export interface Request {
  url: URL;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON of the documented robot shapes, checked field by field
  body: any;
  now: number;
}

export const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** One value per robot (token or key): the platforms count limits per robot. */
export function perRobot<T>(make: () => T): (robot: string) => T {
  const m = new Map<string, T>();
  return (robot) => {
    let v = m.get(robot);
    if (v === undefined) {
      v = make();
      m.set(robot, v);
    }
    return v;
  };
}
