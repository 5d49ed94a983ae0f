// What channels share when laying out text: neutralising device text in each platform's markup,
// and fitting a digest into a platform's byte budget without cutting anything off.
import type { Notification } from './types.ts';

// Emphasis, code, headings and links of the robots' markdown subsets (underscore emphasis is not
// part of them, so ids such as unattended_w07 stay as they are).
const MARKDOWN_FULLWIDTH: Record<string, string> = {
  '\\': '＼',
  '*': '＊',
  '`': '｀',
  '#': '＃',
  '[': '［',
  ']': '］',
};
const MENTION_FULLWIDTH: Record<string, string> = { '<': '＜', '>': '＞', '@': '＠' };

/**
 * Text that came from devices, staff or the configuration (equipment codes, fault details,
 * notes, names) shown literally: no link, heading, emphasis or @mention can be smuggled in
 * (`<@all>`, `<at user_id="all">`, `[x](http://…)`). Characters with a meaning become their
 * full-width forms, which read the same in Chinese text; line breaks become spaces.
 */
export function literal(text: string, markup: 'markdown' | 'text'): string {
  const table = markup === 'markdown' ? { ...MARKDOWN_FULLWIDTH, ...MENTION_FULLWIDTH } : MENTION_FULLWIDTH;
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\*`#[\]<>@]/g, (c) => table[c] ?? c);
}

export const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** How many leading notifications fit one message (at least 1; the caller splits a lone oversize one). */
export function fitCount(batch: Notification[], fits: (b: Notification[]) => boolean): number {
  let k = 1;
  while (k < batch.length && fits(batch.slice(0, k + 1))) k++;
  return k;
}

/**
 * One notification too large for one message, as parts that each fit (title marked 1/n):
 * lines are never cut, only a single line longer than the budget is split at characters.
 */
export function partsOf(n: Notification, fits: (p: Notification) => boolean): Notification[] {
  if (fits(n)) return [n];
  const pieces: string[] = [];
  for (const line of n.lines) {
    if (fits({ ...n, lines: [line] })) pieces.push(line);
    else for (const chunk of chunkLine(line, (s) => fits({ ...n, lines: [s] }))) pieces.push(chunk);
  }
  const parts: string[][] = [[]];
  for (const p of pieces) {
    const cur = parts.at(-1)!;
    if (cur.length && !fits({ ...n, title: `${n.title}（99/99）`, lines: [...cur, p] })) parts.push([p]);
    else cur.push(p);
  }
  return parts.map((lines, i) => ({ ...n, title: `${n.title}（${i + 1}/${parts.length}）`, lines }));
}

function chunkLine(line: string, fits: (s: string) => boolean): string[] {
  const out: string[] = [];
  let rest = [...line];
  while (rest.length) {
    let k = rest.length;
    while (k > 1 && !fits(rest.slice(0, k).join(''))) k = Math.floor(k * 0.8);
    out.push(rest.slice(0, k).join(''));
    rest = rest.slice(k);
  }
  return out;
}
