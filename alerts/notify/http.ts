// JSON over HTTP POST for webhooks and group robots; a non-2xx answer or a network error is a DeliveryError.
import { DeliveryError } from './types.ts';

export interface PostResult {
  status: number;
  body: unknown;
}

function retryAfterMs(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(h);
  return Number.isFinite(t) ? Math.max(0, t - Date.now()) : undefined;
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<PostResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body,
      signal,
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    throw new DeliveryError(`request failed: ${err.cause?.code ?? err.name}: ${err.message}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok)
    throw new DeliveryError(
      `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : undefined,
    );
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Webhooks may answer with plain text; only robots' JSON answers are checked further.
  }
  return { status: res.status, body: parsed };
}

/** Robots answer HTTP 200 with an error code in the body; anything but 0 is a failed send. */
export function checkRobotCode(body: unknown, field: 'errcode' | 'code', rateLimitCodes: number[]): void {
  const b = body as Record<string, unknown> | undefined;
  const code = b && typeof b[field] === 'number' ? (b[field] as number) : undefined;
  if (code === undefined)
    throw new DeliveryError(`unexpected robot answer: ${JSON.stringify(body)?.slice(0, 200)}`);
  if (code !== 0)
    throw new DeliveryError(
      `robot error ${code}: ${String(b?.errmsg ?? b?.msg ?? '')}`,
      rateLimitCodes.includes(code) ? 60_000 : undefined,
    );
}
