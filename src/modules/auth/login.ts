/**
 * Email + password (+ TOTP when enabled) sign-in. Failures are counted per account and per address
 * (see throttle.ts) and written to the audit log; a success opens a session.
 */
import { AppError } from '../../errors/errors.ts';
import type { Services } from '../../services.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import { createSession, type NewSession } from './sessions.ts';
import { accountKey, addressKey, clearFailures, lockedForSeconds, recordFailure } from './throttle.ts';
import { checkTotp } from './totp.ts';

export interface LoginInput {
  email: string;
  password: string;
  totp?: string | undefined;
  origin: AuditActor;
}

export async function login(services: Services, input: LoginInput): Promise<NewSession & { userId: string }> {
  const { db, config } = services;
  const email = input.email.trim();
  const keys = [accountKey(email), addressKey(input.origin.ip ?? 'unknown')];
  const lockedFor = await lockedForSeconds(db, keys);
  if (lockedFor > 0) throw lockedError(lockedFor);

  const user = await db.selectFrom('users').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();
  const passwordOk = user ? await verifyPassword(user.password_hash, input.password) : (await verifyPassword(await decoyPasswordHash(), input.password), false);

  const fail = async (code: 'auth.invalid_credentials' | 'auth.totp_invalid'): Promise<never> => {
    await recordFailure(db, keys[0]!, config.loginMaxFailures, config.loginLockMinutes);
    await recordFailure(db, keys[1]!, config.loginIpMaxFailures, config.loginLockMinutes);
    await db.transaction().execute((trx) =>
      recordAudit(trx, { ...input.origin, userId: user?.id ?? null, label: user?.email ?? email.slice(0, 200) }, {
        action: 'user.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { email: email.slice(0, 200), reason: code },
      }),
    );
    const nowLocked = await lockedForSeconds(db, keys);
    if (nowLocked > 0) throw lockedError(nowLocked);
    throw new AppError(code);
  };

  if (!user || !passwordOk) return fail('auth.invalid_credentials');
  if (user.disabled) throw new AppError('auth.user_disabled');
  if (user.totp_enabled && user.totp_secret) {
    if (!input.totp) throw new AppError('auth.totp_required');
    if (!checkTotp(user.totp_secret, input.totp)) return fail('auth.totp_invalid');
  }

  await clearFailures(db, keys[0]!);
  const session = await db.transaction().execute(async (trx) => {
    const created = await createSession(trx, { userId: user.id, ip: input.origin.ip, userAgent: input.origin.userAgent, ttlHours: config.sessionTtlHours });
    await recordAudit(trx, { ...input.origin, userId: user.id, label: user.email }, { action: 'user.login', entityType: 'user', entityId: user.id });
    return created;
  });
  return { ...session, userId: user.id };
}

function lockedError(seconds: number): AppError {
  return new AppError('auth.locked', { params: { minutes: Math.max(1, Math.ceil(seconds / 60)) }, details: { retryAfterSeconds: seconds } });
}
