/**
 * Who may do what, as small named rules over plain data. A membership gives a role on a unit and
 * on every unit below it; the strongest role along a unit's path to the top wins. Handlers call
 * these rules, and the permission-matrix test derives its expectations from the same functions.
 *
 * A "path" is a unit's id followed by its ancestors' ids up to the top unit.
 */
import type { Role } from '../../db/schema.ts';

export const roles = ['viewer', 'editor', 'approver', 'admin'] as const satisfies readonly Role[];
const rank: Record<Role, number> = { viewer: 1, editor: 2, approver: 3, admin: 4 };

export interface ActorMembership {
  unitId: string;
  /** null when the unit is a top unit (the province). */
  unitParentId: string | null;
  role: Role;
}

export interface Actor {
  userId: string;
  memberships: readonly ActorMembership[];
}

export function atLeast(role: Role | null, needed: Role): boolean {
  return role !== null && rank[role] >= rank[needed];
}

/** The strongest role the actor holds on the unit whose path is given. */
export function roleOn(actor: Actor, unitPath: readonly string[]): Role | null {
  let best: Role | null = null;
  for (const membership of actor.memberships) {
    if (unitPath.includes(membership.unitId) && (best === null || rank[membership.role] > rank[best])) best = membership.role;
  }
  return best;
}

export function isTopAdmin(actor: Actor): boolean {
  return actor.memberships.some((m) => m.unitParentId === null && m.role === 'admin');
}

export function isAnyAdmin(actor: Actor): boolean {
  return actor.memberships.some((m) => m.role === 'admin');
}

export const canViewUnit = (actor: Actor, unitPath: readonly string[]): boolean => roleOn(actor, unitPath) !== null;
export const canEditUnit = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'admin');
export const canCreateUnitUnder = (actor: Actor, parentPath: readonly string[]): boolean => atLeast(roleOn(actor, parentPath), 'admin');
/** Adding people to a unit, changing their role there, or creating an account in it. */
export const canManageMembersOf = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'admin');

/**
 * A person is visible to themself and to admins over any unit they belong to. People with no
 * membership at all are visible to top admins only.
 */
export function canViewUser(actor: Actor, targetUserId: string, targetPaths: readonly (readonly string[])[]): boolean {
  if (actor.userId === targetUserId) return true;
  if (targetPaths.length === 0) return isTopAdmin(actor);
  return targetPaths.some((p) => canManageMembersOf(actor, p));
}

/**
 * Changing an account (name, disabling, resetting its password) needs admin rights over every unit
 * the person belongs to: an agency admin cannot reset the password of a province admin who also
 * happens to be a member of that agency.
 */
export function canManageUser(actor: Actor, targetUserId: string, targetPaths: readonly (readonly string[])[]): boolean {
  if (actor.userId === targetUserId) return false;
  if (targetPaths.length === 0) return isTopAdmin(actor);
  return targetPaths.every((p) => canManageMembersOf(actor, p));
}

/** Audit entries of a unit are for its admins; entries with no unit (logins, system) for top admins. */
export function canViewAuditOf(actor: Actor, unitPath: readonly string[] | null): boolean {
  if (unitPath === null) return isTopAdmin(actor);
  return atLeast(roleOn(actor, unitPath), 'admin');
}

export const canVerifyAudit = (actor: Actor): boolean => isAnyAdmin(actor);

/** Which parent kinds each kind of unit may sit under. */
export const allowedParents: Record<string, readonly (string | null)[]> = {
  province: [null],
  regency: ['province'],
  city: ['province'],
  agency: ['province', 'regency', 'city'],
  bureau: ['province', 'regency', 'city', 'agency', 'bureau'],
};

/* ---- Content: posts, approvals, channels, media ---- */

/** Anyone with a role on the post's unit (or above it) may read the post and comment on it. */
export const canViewPost = (actor: Actor, postUnitPath: readonly string[]): boolean => roleOn(actor, postUnitPath) !== null;
export const canCommentOnPost = (actor: Actor, postUnitPath: readonly string[]): boolean => roleOn(actor, postUnitPath) !== null;
/** Writing, editing, submitting, scheduling, withdrawing: editors of the unit and above. */
export const canWritePost = (actor: Actor, postUnitPath: readonly string[]): boolean => atLeast(roleOn(actor, postUnitPath), 'editor');

/**
 * Deciding one approval tier: an approver (or admin) on the tier's unit or a unit above it, never
 * the post's own author.
 */
export function canApproveTier(actor: Actor, authorId: string, tierUnitPath: readonly string[]): boolean {
  return actor.userId !== authorId && atLeast(roleOn(actor, tierUnitPath), 'approver');
}

/** Publishing serta-merta without an approver: the unit's designated role (null: nobody). */
export function canPublishUrgentDirectly(actor: Actor, postUnitPath: readonly string[], designated: Role | null): boolean {
  return designated !== null && atLeast(roleOn(actor, postUnitPath), designated);
}

/** The after-the-fact review of a serta-merta post published without an approver. */
export function canReviewAfter(actor: Actor, authorId: string, postUnitPath: readonly string[]): boolean {
  return actor.userId !== authorId && atLeast(roleOn(actor, postUnitPath), 'approver');
}

/** Taking a published post down from a network, or correcting its text there: approvers of the unit and above. */
export const canChangePublished = (actor: Actor, postUnitPath: readonly string[]): boolean => atLeast(roleOn(actor, postUnitPath), 'approver');

export const canManageApprovalPolicy = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'admin');
export const canManageChannels = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'admin');
export const canUseChannel = (actor: Actor, channelUnitPath: readonly string[]): boolean => atLeast(roleOn(actor, channelUnitPath), 'editor');
export const canManageRubrics = (actor: Actor): boolean => isTopAdmin(actor);

/* ---- Regulations (regulasi) ---- */

/** Regulations are public legal documents: anyone with a role somewhere reads every record and links posts to it. */
export const canReadRegulations = (actor: Actor): boolean => actor.memberships.length > 0;
/** Recording a regulation and writing its explanation: editors of the responsible unit and above. */
export const canWriteRegulation = (actor: Actor, regulationUnitPath: readonly string[]): boolean => atLeast(roleOn(actor, regulationUnitPath), 'editor');
