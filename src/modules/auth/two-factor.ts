/**
 * Setting up and removing TOTP two-factor sign-in. Setup stores a pending secret; only a correct
 * code from the person's app turns it on, so nobody is locked out by a half-finished setup.
 */
import { AppError } from '../../errors/errors.ts';
import type { Services } from '../../services.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { announceAuthChange } from './auth-context.ts';
import { checkTotp, newTotpSecret, otpauthUrl } from './totp.ts';

export async function startTwoFactorSetup(services: Services, userId: string): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await services.db.selectFrom('users').select(['email']).where('id', '=', userId).executeTakeFirstOrThrow();
  const secret = newTotpSecret();
  await services.db.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', userId).execute();
  return { secret, otpauthUrl: otpauthUrl(secret, user.email) };
}

export async function enableTwoFactor(services: Services, userId: string, code: string, origin: AuditActor): Promise<void> {
  const user = await services.db.selectFrom('users').select(['totp_pending_secret']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!user.totp_pending_secret) throw new AppError('auth.totp_not_started');
  if (!checkTotp(user.totp_pending_secret, code)) throw new AppError('auth.totp_invalid', { details: { issues: [{ path: 'code', message: 'invalid' }] } });
  await services.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_enabled: true, updated_at: new Date() })
      .where('id', '=', userId)
      .execute();
    await recordAudit(trx, origin, { action: 'user.totp_enable', entityType: 'user', entityId: userId });
    await announceAuthChange(trx, userId);
  });
  services.auth.forget(userId);
}

export async function disableTwoFactor(services: Services, userId: string, code: string, origin: AuditActor): Promise<void> {
  const user = await services.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', userId).executeTakeFirstOrThrow();
  if (!user.totp_enabled || !user.totp_secret || !checkTotp(user.totp_secret, code)) {
    throw new AppError('auth.totp_invalid', { details: { issues: [{ path: 'code', message: 'invalid' }] } });
  }
  await services.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ totp_secret: null, totp_enabled: false, updated_at: new Date() }).where('id', '=', userId).execute();
    await recordAudit(trx, origin, { action: 'user.totp_disable', entityType: 'user', entityId: userId });
    await announceAuthChange(trx, userId);
  });
  services.auth.forget(userId);
}
