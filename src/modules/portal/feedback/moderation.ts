/**
 * The moderation queue: feedback of the units a person may see, newest first, and the change of a
 * message's status (answered, closed, spam, or back to new) with an internal note, audited. The
 * audit entry keeps the status and note, never the citizen's name or contact.
 */
import type { Kysely } from 'kysely';
import type { DB, FeedbackKind, FeedbackStatus } from '../../../db/schema.ts';
import { recordAudit, type AuditActor } from '../../audit/record.ts';

export const feedbackStatuses = ['new', 'answered', 'closed', 'spam'] as const satisfies readonly FeedbackStatus[];

export interface FeedbackRow {
  id: string;
  post_id: string;
  unit_id: string;
  unit_name: string;
  kind: FeedbackKind;
  name: string | null;
  contact: string | null;
  message: string;
  status: FeedbackStatus;
  note: string | null;
  handled_by: string | null;
  handler_name: string | null;
  handled_at: Date | null;
  created_at: Date;
  slug: string;
  title: string;
}

function selectFeedback(db: Kysely<DB>) {
  return db.selectFrom('portal_feedback as f')
    .innerJoin('units as u', 'u.id', 'f.unit_id')
    .innerJoin('articles as a', 'a.post_id', 'f.post_id')
    .leftJoin('users as h', 'h.id', 'f.handled_by')
    .select([
      'f.id', 'f.post_id', 'f.unit_id', 'u.name as unit_name', 'f.kind', 'f.name', 'f.contact', 'f.message', 'f.status', 'f.note',
      'f.handled_by', 'h.name as handler_name', 'f.handled_at', 'f.created_at', 'a.slug', 'a.title',
    ]);
}

export interface FeedbackFilter {
  /** The units whose feedback may be listed (the caller's units and those below). */
  unitIds: readonly string[];
  status?: FeedbackStatus | undefined;
  kind?: FeedbackKind | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

/** One page of the queue, newest first (portal_feedback_queue_idx: unit, status, time). */
export async function listFeedback(db: Kysely<DB>, filter: FeedbackFilter): Promise<{ items: FeedbackRow[]; total: number }> {
  if (filter.unitIds.length === 0) return { items: [], total: 0 };
  const pageSize = filter.pageSize ?? 50;
  const page = Math.max(1, filter.page ?? 1);
  let q = selectFeedback(db).where('f.unit_id', 'in', filter.unitIds);
  if (filter.status) q = q.where('f.status', '=', filter.status);
  if (filter.kind) q = q.where('f.kind', '=', filter.kind);
  let count = db.selectFrom('portal_feedback as f').select((eb) => eb.fn.countAll<string>().as('n')).where('f.unit_id', 'in', filter.unitIds);
  if (filter.status) count = count.where('f.status', '=', filter.status);
  if (filter.kind) count = count.where('f.kind', '=', filter.kind);
  const [items, total] = await Promise.all([
    q.orderBy('f.created_at', 'desc').orderBy('f.id').limit(pageSize).offset((page - 1) * pageSize).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { items: items as FeedbackRow[], total: Number(total.n) };
}

export async function countNewFeedback(db: Kysely<DB>, unitIds: readonly string[]): Promise<number> {
  if (unitIds.length === 0) return 0;
  const row = await db.selectFrom('portal_feedback').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('unit_id', 'in', unitIds).where('status', '=', 'new').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findFeedback(db: Kysely<DB>, id: string): Promise<FeedbackRow | undefined> {
  return (await selectFeedback(db).where('f.id', '=', id).executeTakeFirst()) as FeedbackRow | undefined;
}

export interface SetStatusInput {
  id: string;
  status: FeedbackStatus;
  /** Replaces the internal note when given (null or blank clears it); kept when left out. */
  note?: string | null | undefined;
  actor: AuditActor & { userId: string };
}

export async function setFeedbackStatus(db: Kysely<DB>, input: SetStatusInput): Promise<FeedbackRow> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('portal_feedback').select(['status', 'note', 'unit_id', 'post_id']).where('id', '=', input.id).forUpdate().executeTakeFirstOrThrow();
    const note = input.note === undefined ? before.note : input.note?.trim() || null;
    const now = new Date();
    await trx.updateTable('portal_feedback')
      .set({ status: input.status, note, handled_by: input.actor.userId, handled_at: now })
      .where('id', '=', input.id).execute();
    await recordAudit(trx, input.actor, {
      action: 'portal_feedback.status',
      entityType: 'portal_feedback',
      entityId: input.id,
      unitId: before.unit_id,
      before: { status: before.status, note: before.note, postId: before.post_id },
      after: { status: input.status, note, postId: before.post_id },
    });
  });
  return (await findFeedback(db, input.id))!;
}
