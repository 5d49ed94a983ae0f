// Duration strings of the configuration: "10m", "0s", "1h30m", "500ms", "1.5h".
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function isDuration(text: string): boolean {
  return WHOLE.test(text);
}

/** Milliseconds of a duration string; throws RangeError on anything else. */
export function parseDuration(text: string): number {
  if (!WHOLE.test(text)) throw new RangeError(`not a duration: "${text}" (use e.g. 10m, 30s, 1h30m)`);
  let ms = 0;
  for (const m of text.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}

/** Human Chinese rendering of a duration, for messages: 10分钟, 1小时5分钟, 45秒. */
export function formatDurationZh(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h}小时`);
  if (m) parts.push(`${m}分钟`);
  if (s && !h) parts.push(`${s}秒`);
  return parts.length ? parts.join('') : '0秒';
}
