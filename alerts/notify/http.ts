// JSON over HTTP POST for webhooks and group robots; a non-2xx answer or a network error is a DeliveryError.
// Redirects are never followed (a 3xx is a failed send) and private targets need an allow-list entry
// (targets.ts), so a notification cannot be steered to the hall LAN or a metadata endpoint.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkLiteralTarget, guardedLookup, TargetRefused } from './targets.ts';
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
  allowTargets: readonly string[] = [],
): Promise<PostResult> {
  const u = new URL(url);
  let res: { status: number; headers: IncomingMessage['headers']; text: string };
  try {
    checkLiteralTarget(u, allowTargets);
    res = await new Promise((resolve, reject) => {
      const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        u,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(Buffer.byteLength(body)),
            ...headers,
          },
          signal,
          lookup: guardedLookup(allowTargets) as never,
        },
        (r) => {
          const chunks: Buffer[] = [];
          let size = 0;
          r.on('data', (c: Buffer) => {
            // Only the first 64 KB of an answer are kept: robots answer a few bytes.
            if (size < 65_536) chunks.push(c);
            size += c.length;
          });
          r.on('end', () =>
            resolve({
              status: r.statusCode ?? 0,
              headers: r.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          r.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  } catch (e) {
    if (e instanceof TargetRefused) throw new DeliveryError(e.message);
    const err = e as Error & { code?: string };
    throw new DeliveryError(`request failed: ${err.code ?? err.name}: ${err.message}`);
  }
  const { status, text } = res;
  if (status >= 300 && status < 400)
    throw new DeliveryError(
      `HTTP ${status}: redirect to ${String(res.headers.location ?? '?')} not followed`,
    );
  if (status < 200 || status >= 300)
    throw new DeliveryError(
      `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
      status === 429 || status === 503
        ? retryAfterMs(String(res.headers['retry-after'] ?? '') || null)
        : undefined,
    );
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Webhooks may answer with plain text; only robots' JSON answers are checked further.
  }
  return { status, body: parsed };
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
