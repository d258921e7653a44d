/**
 * A unit's approval policy: 0 to 3 tiers, each decided by the approvers of a named unit (the unit
 * itself or one above it). A unit without a policy has one tier, decided at the unit. Serta-merta
 * needs one approval at most, or none when a designated role publishes it directly.
 */
import type { Kysely } from 'kysely';
import type { DB, PostRow, Role } from '../../db/schema.ts';
import { AppError, invalidField } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { unitPath } from '../units/queries.ts';

export interface ApprovalPolicy {
  unitId: string;
  tierUnitIds: string[];
  sertaMertaDirectRole: Role | null;
  crowdingPerHour: number;
  /** false when the unit has no policy of its own and these are the defaults. */
  configured: boolean;
}

export async function policyFor(db: Kysely<DB>, unitId: string): Promise<ApprovalPolicy> {
  const row = await db.selectFrom('approval_policies').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
  if (!row) return { unitId, tierUnitIds: [unitId], sertaMertaDirectRole: null, crowdingPerHour: 3, configured: false };
  return { unitId, tierUnitIds: row.tier_unit_ids, sertaMertaDirectRole: row.serta_merta_direct_role, crowdingPerHour: row.crowding_per_hour, configured: true };
}

/** The tiers a post goes through: serta-merta takes the first tier only. */
export function tiersFor(post: Pick<PostRow, 'urgent'>, policy: ApprovalPolicy): string[] {
  return post.urgent ? policy.tierUnitIds.slice(0, 1) : policy.tierUnitIds;
}

export interface PolicyInput {
  tierUnitIds: string[];
  sertaMertaDirectRole: 'editor' | 'approver' | 'admin' | null;
  crowdingPerHour: number;
}

export async function savePolicy(db: Kysely<DB>, unitId: string, input: PolicyInput, origin: AuditActor): Promise<ApprovalPolicy> {
  const path = await unitPath(db, unitId);
  if (path.length === 0) throw new AppError('not_found');
  input.tierUnitIds.forEach((id, index) => {
    if (!path.includes(id)) throw invalidField(`tierUnitIds.${index}`, 'harus unit ini atau unit di atasnya (must be this unit or one above it)');
  });
  return db.transaction().execute(async (trx) => {
    const before = await policyFor(trx, unitId);
    await trx.insertInto('approval_policies')
      .values({ unit_id: unitId, tier_unit_ids: input.tierUnitIds, serta_merta_direct_role: input.sertaMertaDirectRole, crowding_per_hour: input.crowdingPerHour, updated_at: new Date() })
      .onConflict((oc) => oc.column('unit_id').doUpdateSet({
        tier_unit_ids: input.tierUnitIds, serta_merta_direct_role: input.sertaMertaDirectRole, crowding_per_hour: input.crowdingPerHour, updated_at: new Date(),
      }))
      .execute();
    const after = await policyFor(trx, unitId);
    await recordAudit(trx, origin, { action: 'approval_policy.update', entityType: 'unit', entityId: unitId, unitId, before, after });
    return after;
  });
}
