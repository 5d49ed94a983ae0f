// Service windows: clipping, subtracting (paused time) and measuring overlaps. Inputs sorted.
import type { Window } from './types.ts';

export function clipWindows(windows: readonly Window[], from: number, to: number): Window[] {
  const out: Window[] = [];
  for (const w of windows) {
    const start = Math.max(w.start, from);
    const end = Math.min(w.end, to);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** windows minus holes (both sorted by start; holes may overlap each other). */
export function subtractWindows(windows: readonly Window[], holes: readonly Window[]): Window[] {
  const out: Window[] = [];
  let h = 0;
  for (const w of windows) {
    let cursor = w.start;
    while (h < holes.length && holes[h]!.end <= w.start) h++;
    for (let i = h; i < holes.length && holes[i]!.start < w.end; i++) {
      const hole = holes[i]!;
      if (hole.start > cursor) out.push({ start: cursor, end: Math.min(hole.start, w.end) });
      cursor = Math.max(cursor, hole.end);
      if (cursor >= w.end) break;
    }
    if (cursor < w.end) out.push({ start: cursor, end: w.end });
  }
  return out;
}

export function totalMs(windows: readonly Window[]): number {
  let t = 0;
  for (const w of windows) t += w.end - w.start;
  return t;
}

/** ms of [a, b) inside the windows; `hint` carries a cursor across calls with increasing a. */
export function overlapMs(windows: readonly Window[], a: number, b: number, hint = { i: 0 }): number {
  let t = 0;
  while (hint.i < windows.length && windows[hint.i]!.end <= a) hint.i++;
  for (let i = hint.i; i < windows.length && windows[i]!.start < b; i++) {
    const w = windows[i]!;
    t += Math.max(0, Math.min(b, w.end) - Math.max(a, w.start));
  }
  return t;
}
