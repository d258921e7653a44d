/**
 * Login throttling shared by every process through the database: failures are counted per account
 * (by email, whether or not it exists, so the answer reveals nothing) and per client address.
 * Past the limit the key is locked for a while and the person is told how long.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface ThrottlePolicy {
  maxFailures: number;
  lockMinutes: number;
  ipMaxFailures: number;
}

export const accountKey = (email: string): string => `acct:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string): string => `ip:${ip}`;

/** Seconds until the first of these keys unlocks, or 0 when none is locked. */
export async function lockedForSeconds(db: Kysely<DB>, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.selectFrom('login_throttle').select('locked_until').where('key', 'in', keys).where('locked_until', '>', now).execute();
  const until = Math.max(0, ...rows.map((r) => (r.locked_until ? r.locked_until.getTime() : 0)));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** Counts a failure against a key; locks it when the limit is reached within the window. */
export async function recordFailure(db: Kysely<DB>, key: string, limit: number, lockMinutes: number, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - lockMinutes * 60_000);
  // One statement, so concurrent failures from several processes all count.
  await sql`
    insert into login_throttle (key, failures, window_started_at, locked_until)
    values (${key}, 1, ${now}, case when 1 >= ${limit} then ${now}::timestamptz + make_interval(mins => ${lockMinutes}) end)
    on conflict (key) do update set
      failures = case when login_throttle.window_started_at < ${windowStart} then 1 else login_throttle.failures + 1 end,
      window_started_at = case when login_throttle.window_started_at < ${windowStart} then ${now} else login_throttle.window_started_at end,
      locked_until = case
        when (case when login_throttle.window_started_at < ${windowStart} then 1 else login_throttle.failures + 1 end) >= ${limit}
        then ${now}::timestamptz + make_interval(mins => ${lockMinutes})
        else login_throttle.locked_until end`.execute(db);
}

export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

export async function pruneThrottle(db: Kysely<DB>, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('login_throttle')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .where('window_started_at', '<', new Date(now.getTime() - 24 * 3600_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
