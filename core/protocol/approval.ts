// Approved leave and closures (R24) as the alerts service publishes them on
// hall/{hall}/approvals/{id} (retained; a contract extension, CHANGELOG.md): the whole record with
// the instant it was entered and, once withdrawn, when and by whom. The ingest stores it as an
// `approval` point, so replay and the statistics see each one exactly as the live engine did.
import { z } from 'zod';
import { COUNTER_ID, HALL_ID, STAFF_ID } from '../ids.ts';

export const APPROVAL_KINDS = ['leave', 'closure'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

export const APPROVAL_ID = /^[A-Za-z0-9_-]{1,64}$/;

const ms = z.number().int().nonnegative();
export const approvalRecord = z
  .object({
    kind: z.enum(APPROVAL_KINDS),
    id: z.string().regex(APPROVAL_ID),
    hall: z.string().regex(HALL_ID),
    /** leave: whose. */
    staff: z.string().regex(STAFF_ID).optional(),
    /** closure: which counter; absent = the whole hall. */
    counter: z.string().regex(COUNTER_ID).optional(),
    from: ms,
    to: ms,
    reason: z.string().max(200),
    approvedBy: z.string().min(1).max(64),
    /** When it was entered (API) or 0 for the configuration (known from the start). */
    enteredAt: ms,
    removedAt: ms.optional(),
    removedBy: z.string().max(64).optional(),
  })
  .refine((a) => a.to > a.from, { path: ['to'], message: 'to must be after from' })
  .refine((a) => (a.kind === 'leave') === (a.staff !== undefined), {
    path: ['staff'],
    message: 'leave names its staff; a closure does not',
  });
export type ApprovalRecord = z.infer<typeof approvalRecord>;
