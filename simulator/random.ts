// Seeded randomness: the same seed gives the same hall day, so demos and load tests repeat.
export interface Rng {
  next(): number;
  uniform(min: number, max: number): number;
  chance(p: number): boolean;
  /** Exponential with the given mean (time between breaks). */
  exp(mean: number): number;
  normal(mean: number, sd: number): number;
}

/** A 32-bit FNV-1a hash: turns (seed, date, counter) into an independent stream seed. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for behaviour simulation. */
export function createRng(seed: number): Rng {
  // murmur3's finalizer: nearby seeds (consecutive dates) must not give correlated first draws.
  let a = seed >>> 0;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a = (a ^ (a >>> 16)) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    chance: (p) => next() < p,
    exp: (mean) => -mean * Math.log(1 - next()),
    normal: (mean, sd) => mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}
