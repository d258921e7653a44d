/**
 * A person changes their own password (the forced change after a one-time password included).
 * Other sessions of the person end; the one in use stays.
 */
import { AppError, type Locale } from '../../errors/errors.ts';
import type { Services } from '../../services.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { announceAuthChange } from './auth-context.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';

export interface ChangePasswordInput {
  userId: string;
  currentPassword: string;
  newPassword: string;
  keepSessionId: string | null;
  locale: Locale;
  origin: AuditActor;
}

export async function changePassword(services: Services, input: ChangePasswordInput): Promise<void> {
  const { db } = services;
  const user = await db.selectFrom('users').selectAll().where('id', '=', input.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('auth.invalid_credentials', { details: { issues: [{ path: 'currentPassword', message: input.locale === 'id' ? 'Kata sandi saat ini salah.' : 'The current password is wrong.' }] } });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('auth.weak_password', {
      details: { score: 0, warnings: [input.locale === 'id' ? 'Kata sandi baru harus berbeda dari yang lama.' : 'The new password must differ from the old one.'], suggestions: [] },
    });
  }
  const verdict = await checkPasswordStrength(input.newPassword, [user.name, user.email], input.locale);
  if (!verdict.ok) throw new AppError('auth.weak_password', { details: { score: verdict.score, warnings: verdict.warnings, suggestions: verdict.suggestions } });

  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: new Date(), updated_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    let others = trx.deleteFrom('sessions').where('user_id', '=', user.id);
    if (input.keepSessionId) others = others.where('id', '!=', input.keepSessionId);
    await others.execute();
    await recordAudit(trx, input.origin, { action: 'user.password_change', entityType: 'user', entityId: user.id });
    await announceAuthChange(trx, user.id);
  });
  services.auth.forget(user.id);
}
