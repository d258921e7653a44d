/**
 * Appends to the audit log inside the caller's transaction, so a change and its audit entry are
 * written together or not at all. A transaction-scoped advisory lock serialises appends across
 * every process sharing the database, which keeps `seq` gap-free and the chain linear.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain.ts';

const AUDIT_LOCK_KEY = 7_310_002;

/** Who did something, and from where. */
export interface AuditActor {
  userId: string | null;
  label: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const systemActor = (label = 'sistem'): AuditActor => ({ userId: null, label, ip: null, userAgent: null, requestId: null });

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId?: string | null;
  unitId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Must be called with a transaction: the lock is released at its end. */
export async function recordAudit(trx: Kysely<DB>, actor: AuditActor, event: AuditEvent): Promise<void> {
  await recordAuditMany(trx, [{ actor, event }]);
}

/**
 * Several entries in their order, under one taking of the chain's lock and one INSERT: the
 * publishing engine records a batch of outcomes this way, so the lock is taken once per batch
 * rather than once per target. Must be called with a transaction, like recordAudit.
 */
export async function recordAuditMany(trx: Kysely<DB>, entries: readonly { actor: AuditActor; event: AuditEvent }[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = entries.map(({ actor, event }) => {
    seq += 1;
    const fields = {
      seq,
      id: randomUUID(),
      at,
      actorId: actor.userId,
      actorLabel: actor.label,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      unitId: event.unitId ?? null,
      ip: actor.ip,
      userAgent: actor.userAgent,
      requestId: actor.requestId,
      // Stored and hashed in the same JSON form, so what verify reads back hashes the same.
      before: normaliseJson(event.before),
      after: normaliseJson(event.after),
    };
    const hash = entryHash(prevHash, fields);
    const row = {
      seq: fields.seq,
      id: fields.id,
      at: fields.at,
      actor_id: fields.actorId,
      actor_label: fields.actorLabel,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      unit_id: fields.unitId,
      ip: fields.ip,
      user_agent: fields.userAgent,
      request_id: fields.requestId,
      before: fields.before === null ? null : canonicalJson(fields.before),
      after: fields.after === null ? null : canonicalJson(fields.after),
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // Bounded statements: a parameter list stays well under PostgreSQL's 65,535 limit.
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
}

function normaliseJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
