/**
 * Accounts and memberships: creating a person with a one-time password, changing or disabling an
 * account, giving and taking roles, and resetting a password. Each change is one transaction with
 * its audit entry; sign-in caches of the person are dropped everywhere.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../errors/errors.ts';
import type { DB, Role, UserRow } from '../../db/schema.ts';
import { announceAuthChange } from '../auth/auth-context.ts';
import { generateTemporaryPassword, hashPassword } from '../auth/passwords.ts';
import { accountKey } from '../auth/throttle.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { otherTopAdmins } from './queries.ts';

const auditView = (u: UserRow) => ({ email: u.email, name: u.name, locale: u.locale, disabled: u.disabled, totpEnabled: u.totp_enabled });

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

export interface CreateUserInput {
  email: string;
  name: string;
  unitId: string;
  role: Role;
  locale?: 'id' | 'en' | undefined;
  /** A chosen password (CLI, demo data); otherwise a one-time one is generated. */
  password?: string | undefined;
}

export async function createUser(db: Kysely<DB>, input: CreateUserInput, origin: AuditActor): Promise<{ user: UserRow; temporaryPassword: string }> {
  const temporaryPassword = input.password ?? generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  try {
    const user = await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase())).executeTakeFirst();
      if (taken) throw new AppError('user.email_taken', { details: { issues: [{ path: 'email', message: 'taken' }] } });
      const created = await trx
        .insertInto('users')
        .values({ email: input.email, name: input.name, password_hash: passwordHash, must_change_password: true, locale: input.locale ?? 'id', password_changed_at: null, totp_secret: null, totp_pending_secret: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('memberships').values({ user_id: created.id, unit_id: input.unitId, role: input.role }).execute();
      await recordAudit(trx, origin, { action: 'user.create', entityType: 'user', entityId: created.id, unitId: input.unitId, after: { ...auditView(created), membership: { unitId: input.unitId, role: input.role } } });
      return created;
    });
    return { user, temporaryPassword };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('user.email_taken', { details: { issues: [{ path: 'email', message: 'taken' }] } });
    throw error;
  }
}

export async function updateUser(
  db: Kysely<DB>,
  userId: string,
  changes: { name?: string | undefined; disabled?: boolean | undefined; locale?: 'id' | 'en' | undefined },
  origin: AuditActor,
): Promise<UserRow> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found');
    if (changes.disabled === true && !before.disabled) await assertNotLastTopAdmin(trx, userId);
    const user = await trx
      .updateTable('users')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    // A disabled person is signed out at once.
    if (changes.disabled === true) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    const action = changes.disabled === true && !before.disabled ? 'user.disable' : changes.disabled === false && before.disabled ? 'user.enable' : 'user.update';
    await recordAudit(trx, origin, { action, entityType: 'user', entityId: userId, before: auditView(before), after: auditView(user) });
    await announceAuthChange(trx, userId);
    return user;
  });
}

async function assertNotLastTopAdmin(trx: Kysely<DB>, userId: string): Promise<void> {
  const topAdminOf = await trx
    .selectFrom('memberships as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .select('m.unit_id')
    .where('m.user_id', '=', userId)
    .where('m.role', '=', 'admin')
    .where('u.parent_id', 'is', null)
    .execute();
  for (const { unit_id } of topAdminOf) {
    if ((await otherTopAdmins(trx, unit_id, userId)) === 0) throw new AppError('user.last_admin');
  }
}

export async function setMembership(db: Kysely<DB>, userId: string, unitId: string, role: Role, origin: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('memberships').select('role').where('user_id', '=', userId).where('unit_id', '=', unitId).executeTakeFirst();
    if (before?.role === 'admin' && role !== 'admin') await assertKeepsTopAdmin(trx, userId, unitId);
    await trx
      .insertInto('memberships')
      .values({ user_id: userId, unit_id: unitId, role })
      .onConflict((oc) => oc.columns(['user_id', 'unit_id']).doUpdateSet({ role }))
      .execute();
    await recordAudit(trx, origin, { action: before ? 'membership.update' : 'membership.create', entityType: 'membership', entityId: `${userId}:${unitId}`, unitId, before: before ?? null, after: { userId, unitId, role } });
    await announceAuthChange(trx, userId);
  });
}

export async function removeMembership(db: Kysely<DB>, userId: string, unitId: string, origin: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('memberships').select('role').where('user_id', '=', userId).where('unit_id', '=', unitId).executeTakeFirst();
    if (!before) throw new AppError('not_found');
    if (before.role === 'admin') await assertKeepsTopAdmin(trx, userId, unitId);
    await trx.deleteFrom('memberships').where('user_id', '=', userId).where('unit_id', '=', unitId).execute();
    await recordAudit(trx, origin, { action: 'membership.delete', entityType: 'membership', entityId: `${userId}:${unitId}`, unitId, before: { userId, unitId, role: before.role } });
    await announceAuthChange(trx, userId);
  });
}

async function assertKeepsTopAdmin(trx: Kysely<DB>, userId: string, unitId: string): Promise<void> {
  const unit = await trx.selectFrom('units').select('parent_id').where('id', '=', unitId).executeTakeFirst();
  if (unit && unit.parent_id === null && (await otherTopAdmins(trx, unitId, userId)) === 0) throw new AppError('user.last_admin');
}

/** A new one-time password; the person must change it at next sign-in and is signed out now. */
export async function resetPassword(db: Kysely<DB>, userId: string, origin: AuditActor): Promise<string> {
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  await db.transaction().execute(async (trx) => {
    const found = await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: true, updated_at: new Date() }).where('id', '=', userId).returning('email').executeTakeFirst();
    if (!found) throw new AppError('not_found');
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    // A locked-out person gets a fresh start with the new password.
    await trx.deleteFrom('login_throttle').where('key', '=', accountKey(found.email)).execute();
    await recordAudit(trx, origin, { action: 'user.password_reset', entityType: 'user', entityId: userId });
    await announceAuthChange(trx, userId);
  });
  return temporaryPassword;
}

/** For a person who lost their authenticator: two-factor is switched off and they are signed out. */
export async function resetTwoFactor(db: Kysely<DB>, userId: string, origin: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const found = await trx
      .updateTable('users')
      .set({ totp_secret: null, totp_pending_secret: null, totp_enabled: false, updated_at: new Date() })
      .where('id', '=', userId)
      .returning('id')
      .executeTakeFirst();
    if (!found) throw new AppError('not_found');
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await recordAudit(trx, origin, { action: 'user.totp_reset', entityType: 'user', entityId: userId });
    await announceAuthChange(trx, userId);
  });
}
