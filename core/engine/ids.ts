// Stable alert ids (R15): a deterministic function of (type, hall, subject, openedAt), so a
// restored or replayed engine produces the same id and an alert is never opened twice.
import { createHash } from 'node:crypto';
import type { AlertType } from '../protocol/payloads.ts';

/** `<type>_<22 chars of base64url sha256>`: at most 38 characters of [A-Za-z0-9_-]. */
export function alertId(type: AlertType, hall: string, subject: string, openedAt: number): string {
  const digest = createHash('sha256').update(`${type}\n${hall}\n${subject}\n${openedAt}`).digest('base64url');
  return `${type}_${digest.slice(0, 22)}`;
}
