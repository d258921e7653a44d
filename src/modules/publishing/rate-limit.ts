/**
 * Rate limits shared by every worker process: token buckets in PostgreSQL, one per account and one
 * per network (the app's own limit), taken for a whole batch of targets in one UPDATE. Defaults come from the networks'
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
  const [wait] = await takeTokensMany(db, [buckets]);
  return wait ?? 0;
}

/** Bucket rows this process has written with their current spec (a burst need not upsert them again). */
const ensured = new WeakMap<Kysely<DB>, Map<string, string>>();

async function ensureBuckets(db: Kysely<DB>, specs: readonly BucketSpec[]): Promise<void> {
  let known = ensured.get(db);
  if (!known) ensured.set(db, (known = new Map()));
  const signature = (b: BucketSpec) => `${b.capacity}/${b.refillPerSecond}`;
  const missing = specs.filter((b) => known.get(b.key) !== signature(b));
  if (missing.length === 0) return;
  await sql`
    insert into rate_buckets (key, capacity, refill_per_second, tokens)
    select key, capacity, refill, capacity
    from unnest(${missing.map((b) => b.key)}::text[], ${missing.map((b) => b.capacity)}::float8[], ${missing.map((b) => b.refillPerSecond)}::float8[]) as w(key, capacity, refill)
    on conflict (key) do update set capacity = excluded.capacity, refill_per_second = excluded.refill_per_second
      where rate_buckets.capacity <> excluded.capacity or rate_buckets.refill_per_second <> excluded.refill_per_second`.execute(db);
  for (const b of missing) known.set(b.key, signature(b));
}

/**
 * takeTokens for many requests at once (a batch of targets): one statement refills and takes from
 * every bucket involved, locking the bucket rows in key order (so two processes never deadlock).
 * Each request gets a token from each of its buckets or none, in the order given; the answer per
 * request is 0 (taken) or the milliseconds to wait, later for the requests further back in a
 * bucket's line so that they do not all come back at the same instant.
 */
export async function takeTokensMany(db: Kysely<DB>, requests: readonly (readonly BucketSpec[])[]): Promise<number[]> {
  const specs = new Map<string, BucketSpec>();
  const wanted = new Map<string, number>();
  for (const buckets of requests) {
    for (const bucket of buckets) {
      specs.set(bucket.key, bucket);
      wanted.set(bucket.key, (wanted.get(bucket.key) ?? 0) + 1);
    }
  }
  if (specs.size === 0) return requests.map(() => 0);
  await ensureBuckets(db, [...specs.values()]);
  const keys = [...wanted.keys()].sort();
  // The row locks of the CTE make "refill, check, take" atomic across workers.
  const result = await sql<{ key: string; granted: number; available: number; blocked_ms: number }>`
    with wanted as (
      select * from unnest(${keys}::text[], ${keys.map((k) => wanted.get(k)!)}::int[]) as w(key, n)
    ), current as (
      select b.key, w.n,
             least(b.capacity, b.tokens + extract(epoch from now() - b.updated_at) * b.refill_per_second)::float8 as available,
             greatest(0, extract(epoch from coalesce(b.blocked_until, now()) - now()) * 1000)::float8 as blocked_ms
      from rate_buckets b join wanted w on w.key = b.key
      order by b.key
      for update of b
    ), decided as (
      select key, available, blocked_ms, case when blocked_ms = 0 then least(n, floor(available))::int else 0 end as granted
      from current
    )
    update rate_buckets b set tokens = d.available - d.granted, updated_at = now()
    from decided d
    where b.key = d.key
    returning d.key, d.granted, d.available, d.blocked_ms`.execute(db);
  const state = new Map(result.rows.map((row) => [row.key, { left: Number(row.granted), after: Number(row.available) - Number(row.granted), blockedMs: Number(row.blocked_ms), denied: 0 }]));
  const answers = requests.map((buckets) => {
    const rows = buckets.map((b) => state.get(b.key));
    if (rows.every((row) => row !== undefined && row.left > 0)) {
      for (const row of rows) row!.left -= 1;
      return 0;
    }
    let wait = 1;
    buckets.forEach((bucket, i) => {
      const row = rows[i];
      if (!row) {
        wait = Math.max(wait, 1000);
        return;
      }
      if (row.left > 0) return;
      row.denied += 1;
      // The n-th request refused by a bucket comes back when n tokens have refilled (after a block ends).
      const spacing = Math.max(0, Math.ceil(((row.denied - row.after) / bucket.refillPerSecond) * 1000));
      wait = Math.max(wait, Math.ceil(row.blockedMs) + spacing);
    });
    return wait;
  });
  // Tokens a bucket gave to a request that another bucket refused go back.
  const unused = [...state.entries()].filter(([, row]) => row.left > 0);
  if (unused.length > 0) {
    await sql`
      update rate_buckets b set tokens = least(b.capacity, b.tokens + u.n)
      from unnest(${unused.map(([key]) => key)}::text[], ${unused.map(([, row]) => row.left)}::int[]) as u(key, n)
      where b.key = u.key`.execute(db);
  }
  return answers;
}

/**
 * What the network says is left corrects the account's bucket: never more tokens than the network
 * has left, and when it has none, nothing until its window renews (then the window is whole again,
 * so the bucket's own tokens stay). Another app on the same account, or limits lower than the
 * published ones, spend what Siar's own count cannot see.
 */
export async function correctBucket(db: Kysely<DB>, key: string, window: { remaining: number; resetAt: Date }): Promise<void> {
  await sql`
    update rate_buckets set
      tokens = case when ${window.remaining} < 1 then tokens else least(tokens, ${window.remaining}) end,
      blocked_until = case when ${window.remaining} < 1 then greatest(coalesce(blocked_until, now()), ${window.resetAt.toISOString()}::timestamptz) else blocked_until end
    where key = ${key}`.execute(db);
}

/** A network said "not before": nothing goes to this account until then. */
export async function blockBucket(db: Kysely<DB>, key: string, untilMs: number): Promise<void> {
  // Only the wait: the tokens the account has left stay. Emptying the bucket would turn a network's
  // "come back in a second" into hours on accounts whose bucket refills slowly (Instagram 50 a day).
  await sql`update rate_buckets set blocked_until = greatest(coalesce(blocked_until, now()), now() + ${untilMs} * interval '1 millisecond') where key = ${key}`.execute(db);
}
