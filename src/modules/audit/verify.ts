/**
 * Walks the whole audit chain in order and recomputes every hash. Reads in pages so a long log
 * never sits in memory at once.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { entryHash, GENESIS_HASH } from './chain.ts';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export async function verifyAuditChain(db: Kysely<DB>, pageSize = 1000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const row of rows) {
      const broken = (reason: string): VerifyResult => ({ ok: false, checked, firstBrokenSeq: expectedSeq, reason });
      if (row.seq !== expectedSeq) return broken(`entry ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash) return broken('previous-hash link does not match');
      const hash = entryHash(prevHash, {
        seq: row.seq,
        id: row.id,
        at: row.at,
        actorId: row.actor_id,
        actorLabel: row.actor_label,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        unitId: row.unit_id,
        ip: row.ip,
        userAgent: row.user_agent,
        requestId: row.request_id,
        before: row.before,
        after: row.after,
      });
      if (hash !== row.hash) return broken('content does not match its hash');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < pageSize) return { ok: true, checked, firstBrokenSeq: null, reason: null };
  }
}
