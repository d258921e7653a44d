/**
 * Rate limits shared by every worker process: token buckets in PostgreSQL, one per account and one
 * per network (the app's own limit), taken in one UPDATE each. Defaults come from the networks'
 * published limits (PLATFORMS.md); a 429's Retry-After or reset header blocks the bucket until then,
 * so Siar itself stays under the limits rather than finding them.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Network } from '../networks/limits.ts';

export interface BucketSpec {
  key: string;
  capacity: number;
  refillPerSecond: number;
}

/** Per account (and per network app where the network limits the app as a whole). */
const ACCOUNT_LIMITS: Record<Network, { capacity: number; perSeconds: number }> = {
  // 300 requests / 5 min per account; a post with media costs more than one request.
  mastodon: { capacity: 60, perSeconds: 300 },
  // 5,000 points/h, a record costs 3.
  bluesky: { capacity: 300, perSeconds: 600 },
  // Bot API: about 20 messages a minute in one channel.
  telegram: { capacity: 20, perSeconds: 60 },
  // 100 posts / 15 min per user.
  x: { capacity: 100, perSeconds: 900 },
  // 50 (or 100) API posts / 24 h: read live from content_publishing_limit by the connector.
  instagram: { capacity: 50, perSeconds: 86_400 },
  threads: { capacity: 250, perSeconds: 86_400 },
  facebook: { capacity: 50, perSeconds: 3_600 },
  linkedin: { capacity: 150, perSeconds: 86_400 },
  tiktok: { capacity: 6, perSeconds: 60 },
  youtube: { capacity: 6, perSeconds: 86_400 },
  // Another system of our own side: a minute's burst, then one a second.
  webhook: { capacity: 60, perSeconds: 60 },
};

const APP_LIMITS: Partial<Record<Network, { capacity: number; perSeconds: number }>> = {
  // 10,000 posts / 24 h per app.
  x: { capacity: 10_000, perSeconds: 86_400 },
  // About 30 messages a second per bot overall.
  telegram: { capacity: 30, perSeconds: 1 },
};

export function bucketsFor(network: Network, channelId: string, appKey: string = network): BucketSpec[] {
  const account = ACCOUNT_LIMITS[network];
  const buckets: BucketSpec[] = [{ key: `account:${channelId}`, capacity: account.capacity, refillPerSecond: account.capacity / account.perSeconds }];
  const app = APP_LIMITS[network];
  if (app) buckets.push({ key: `app:${appKey}`, capacity: app.capacity, refillPerSecond: app.capacity / app.perSeconds });
  return buckets;
}

/**
 * Takes one token from each bucket, or none: returns 0 when taken, else how many milliseconds to
 * wait before trying again (nothing is taken then).
 */
export async function takeTokens(db: Kysely<DB>, buckets: readonly BucketSpec[]): Promise<number> {
  const taken: BucketSpec[] = [];
  for (const bucket of buckets) {
    const wait = await takeOne(db, bucket);
    if (wait > 0) {
      for (const done of taken) await refund(db, done);
      return wait;
    }
    taken.push(bucket);
  }
  return 0;
}

async function takeOne(db: Kysely<DB>, bucket: BucketSpec): Promise<number> {
  await sql`
    insert into rate_buckets (key, capacity, refill_per_second, tokens)
    values (${bucket.key}, ${bucket.capacity}, ${bucket.refillPerSecond}, ${bucket.capacity})
    on conflict (key) do update set capacity = excluded.capacity, refill_per_second = excluded.refill_per_second
      where rate_buckets.capacity <> excluded.capacity or rate_buckets.refill_per_second <> excluded.refill_per_second`.execute(db);
  // One statement: the row lock of the CTE makes "refill, check, take" atomic across workers.
  const result = await sql<{ taken: boolean; tokens: number; blocked_ms: number }>`
    with current as (
      select key, least(capacity, tokens + extract(epoch from now() - updated_at) * refill_per_second) as available,
             greatest(0, extract(epoch from coalesce(blocked_until, now()) - now()) * 1000)::float8 as blocked_ms
      from rate_buckets where key = ${bucket.key} for update
    )
    update rate_buckets b set
      tokens = case when c.blocked_ms = 0 and c.available >= 1 then c.available - 1 else c.available end,
      updated_at = now()
    from current c
    where b.key = c.key
    returning (c.blocked_ms = 0 and c.available >= 1) as taken, c.available as tokens, c.blocked_ms`.execute(db);
  const row = result.rows[0];
  if (!row) return 1000;
  if (row.taken) return 0;
  if (row.blocked_ms > 0) return Math.ceil(row.blocked_ms);
  return Math.max(1, Math.ceil(((1 - row.tokens) / bucket.refillPerSecond) * 1000));
}

async function refund(db: Kysely<DB>, bucket: BucketSpec): Promise<void> {
  await sql`update rate_buckets set tokens = least(capacity, tokens + 1) where key = ${bucket.key}`.execute(db);
}

/** A network said "not before": nothing goes to this account until then. */
export async function blockBucket(db: Kysely<DB>, key: string, untilMs: number): Promise<void> {
  // Only the wait: the tokens the account has left stay. Emptying the bucket would turn a network's
  // "come back in a second" into hours on accounts whose bucket refills slowly (Instagram 50 a day).
  await sql`update rate_buckets set blocked_until = greatest(coalesce(blocked_until, now()), now() + ${untilMs} * interval '1 millisecond') where key = ${key}`.execute(db);
}
