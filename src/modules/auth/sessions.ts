/** Opening and ending sign-in sessions. The cookie carries a secret; the table keeps its digest. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { announceAuthChange } from './auth-context.ts';
import { digest, newSecret } from './secrets.ts';

export interface NewSession {
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  trx: Kysely<DB>,
  options: { userId: string; ip: string | null; userAgent: string | null; ttlHours: number },
): Promise<NewSession> {
  const secret = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(Date.now() + options.ttlHours * 3600_000);
  await trx
    .insertInto('sessions')
    .values({ id: digest(secret), user_id: options.userId, csrf_token: csrfToken, ip: options.ip, user_agent: options.userAgent?.slice(0, 500) ?? null, expires_at: expiresAt })
    .execute();
  return { secret, csrfToken, expiresAt };
}

export async function endSession(trx: Kysely<DB>, sessionId: string, userId: string): Promise<void> {
  await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
  await announceAuthChange(trx, userId);
}

/** "Log out everywhere": every session of the person ends. API tokens are managed separately. */
export async function endAllSessions(trx: Kysely<DB>, userId: string): Promise<number> {
  const result = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  await announceAuthChange(trx, userId);
  return Number(result.numDeletedRows);
}

export async function pruneExpiredSessions(db: Kysely<DB>, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
