// Group robots answer HTTP 200 with an error code in the body. What each code means is platform
// data (wecom.ts, dingtalk.ts, feishu.ts); this turns an answer into success or a DeliveryError.
import { DeliveryError } from './types.ts';

export interface RobotCodes {
  /** The body field carrying the code: WeCom and DingTalk `errcode`, Feishu `code`. */
  field: 'errcode' | 'code';
  /** "Sending too fast": wait `rateBlockMs` before the next message. */
  rate: number[];
  /** Retrying cannot help until the configuration changes (signature, keyword, IP, removed robot). */
  permanent: number[];
}

/** Throws a DeliveryError unless the answer carries code 0. */
export function checkRobotAnswer(body: unknown, codes: RobotCodes, rateBlockMs: number): void {
  const b = body as Record<string, unknown> | undefined;
  const code = b && typeof b[codes.field] === 'number' ? (b[codes.field] as number) : undefined;
  if (code === undefined)
    throw new DeliveryError(`unexpected robot answer: ${JSON.stringify(body)?.slice(0, 200)}`);
  if (code === 0) return;
  const msg = `robot error ${code}: ${String(b?.errmsg ?? b?.msg ?? '')}`.slice(0, 300);
  if (codes.rate.includes(code)) throw new DeliveryError(msg, rateBlockMs, { code });
  throw new DeliveryError(msg, undefined, { code, permanent: codes.permanent.includes(code) });
}
