/**
 * The publishing benchmark's scenario, written into a Siar database the way the product would have
 * it, and what Siar recorded afterwards.
 *
 * Seeding: 500 channels connected to the sandbox's accounts (credentials encrypted with the shared
 * keyring, as sandbox-channels.ts connects the demo's), 1,000 scheduled posts with a Mastodon and a
 * Bluesky variant each, and 10 targets per post (5 Mastodon and 5 Bluesky channels) spread so that
 * every account gets exactly 20 targets: rows in bulk SQL, since writing them is not what is
 * measured. The due time is fixed only once the rows are in; then the product's own `enqueuePost`
 * decides every job (one `publish.target` per target: payload, due time, singleton key, priority),
 * and pg-boss writes them in batches into the queue startJobs declared (the rows are the ones
 * `send` writes; one `send` each would take longer than the lead on the embedded database).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { JobInsert, PgBoss } from 'pg-boss';
import { startSiar } from '../src/app.ts';
import type { Config } from '../src/config/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { startJobs } from '../src/jobs/queue.ts';
import type { JobDefinition } from '../src/jobs/define-job.ts';
import { jobs } from '../src/jobs/registry.ts';
import { encryptCredentials } from '../src/modules/publishing/credentials.ts';
import { enqueuePost, PUBLISH_TARGET, publishTargetJob } from '../src/modules/publishing/jobs.ts';
import type { JobSender, Services } from '../src/services.ts';

export interface BenchAccount {
  id: string;
  network: 'mastodon' | 'bluesky';
  handle: string;
  baseUrl: string;
  credentials: Record<string, string>;
  externalAccountId: string;
}

export const POSTS = 1000;
/** Each post goes to this many channels of each network. */
export const CHANNELS_PER_NETWORK = 5;

/** The marker that makes a post's text unique and findable on the sandbox: `#B0042`. */
export const marker = (index: number) => `#B${String(index).padStart(4, '0')}`;
export const markerPattern = /#B(\d{4})\b/;

/** Writes jobs 1,000 a statement; the rows are the ones `send` would write (same queue defaults). */
async function insertJobs(boss: PgBoss, name: string, planned: JobInsert[]): Promise<number> {
  for (let i = 0; i < planned.length; i += 1000) await boss.insert(name, planned.slice(i, i + 1000));
  const { rows } = await boss.getDb().executeSql('select count(*)::int as n from pgboss.job where name = $1', [name]);
  return Number((rows[0] as { n: number } | undefined)?.n ?? 0);
}

const noLog = (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => {
  if (level === 'error') process.stderr.write(`  ${message} ${JSON.stringify(fields ?? {})}\n`);
};

/** One Siar post index, its marker and the sandbox account each of its targets goes to. */
export interface Expected {
  /** accountId → the post indexes it should receive. */
  byAccount: Map<string, Set<number>>;
  targets: number;
}

/**
 * Post i goes to Mastodon accounts (5i + k) mod 250 and Bluesky accounts (5i + k) mod 250, k = 0…4:
 * over 1,000 posts each residue comes up exactly 20 times, and a post's five are distinct.
 */
export function plan(accounts: BenchAccount[]): { pairs: { post: number; account: BenchAccount }[]; expected: Expected } {
  const mastodon = accounts.filter((a) => a.network === 'mastodon');
  const bluesky = accounts.filter((a) => a.network === 'bluesky');
  const pairs: { post: number; account: BenchAccount }[] = [];
  for (let post = 0; post < POSTS; post += 1) {
    for (const group of [mastodon, bluesky]) {
      for (let k = 0; k < CHANNELS_PER_NETWORK; k += 1) pairs.push({ post, account: group[(post * CHANNELS_PER_NETWORK + k) % group.length]! });
    }
  }
  const byAccount = new Map<string, Set<number>>();
  for (const { post, account } of pairs) {
    const set = byAccount.get(account.id) ?? new Set<number>();
    set.add(post);
    byAccount.set(account.id, set);
  }
  return { pairs, expected: { byAccount, targets: pairs.length } };
}

export interface Seeded {
  dueAt: Date;
  seedMs: number;
  enqueueMs: number;
  jobsQueued: number;
}

/**
 * Writes the scenario into a fresh database and queues it. `leadMs` counts from the moment the rows
 * are in: it must cover queueing, this process letting go of the database, and the workers starting.
 */
export async function seedScenario(config: Config, accounts: BenchAccount[], leadMs: number): Promise<Seeded> {
  const started = performance.now();
  // role worker + no jobs: database, migrations and the first administrator, no HTTP, no sandbox.
  const siar = await startSiar({ ...config, role: 'worker' }, { jobs: false, listen: false });
  try {
    const { db, keyring } = siar.services;
    const admin = await db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id as userId', 'memberships.unit_id as unitId']).limit(1).executeTakeFirstOrThrow();
    const now = new Date();
    const channelIds = new Map<string, string>();
    const rows = accounts.map((account) => {
      const id = randomUUID();
      channelIds.set(account.id, id);
      const host = new URL(account.baseUrl).host;
      return {
        id,
        unit_id: admin.unitId,
        network: account.network,
        name: `Bench ${account.handle}`,
        handle: account.network === 'bluesky' ? account.handle : `@${account.handle}@${host}`,
        base_url: account.baseUrl,
        external_account_id: account.externalAccountId,
        credentials_enc: encryptCredentials(keyring, id, account.credentials),
        connection: 'connected' as const,
        connected_at: now,
        sandbox: true,
      };
    });
    await db.insertInto('channels').values(rows).execute();

    // Scheduled far ahead for now; the real due time is set once everything is written.
    const placeholder = new Date(Date.now() + 30 * 86_400_000);
    const posts = await sql<{ id: string; n: number }>`
      insert into posts (unit_id, author_id, title, body_text, status, scheduled_at, approved_at, networks)
      select ${admin.unitId}, ${admin.userId}, 'Bench B' || lpad(g::text, 4, '0'), 'Uji terbit serentak ' || g, 'scheduled', ${placeholder}, now(), '{mastodon,bluesky}'
      from generate_series(0, ${POSTS - 1}) g
      returning id, substr(title, 8)::int as n`.execute(db);
    const postIds: string[] = [];
    for (const row of posts.rows) postIds[row.n] = row.id;
    for (const network of ['mastodon', 'bluesky']) {
      await sql`
        insert into post_variants (post_id, network, text)
        select id, ${network}, 'Kabar layanan publik: uji terbit serentak Siar ke ' || ${network} || ' #B' || substr(title, 8) from posts`.execute(db);
    }
    const { pairs } = plan(accounts);
    await sql`
      insert into post_targets (post_id, channel_id, network)
      select * from unnest(${pairs.map((p) => postIds[p.post]!)}::uuid[], ${pairs.map((p) => channelIds.get(p.account.id)!)}::uuid[], ${pairs.map((p) => p.account.network)}::text[])`.execute(db);

    const dueAt = new Date(Date.now() + leadMs);
    await db.updateTable('posts').set({ scheduled_at: dueAt }).execute();
    const seedMs = performance.now() - started;

    // The jobs are the product's own: enqueuePost decides each one (name, payload, due time,
    // singleton key, priority), post by post, as scheduling each post would. Only the writing is
    // batched (pg-boss `insert`, 1,000 rows a statement, into the queue startJobs declared): one
    // `send` per target takes about a minute on the embedded database, longer than the lead.
    const queueStart = performance.now();
    const queue = await startJobs({ database: siar.services.database, services: siar.services, definitions: jobs, work: false, log: noLog });
    try {
      const planned: JobInsert[] = [];
      const collector: JobSender = {
        async send(name, payload, options = {}) {
          if (name !== PUBLISH_TARGET) throw new Error(`unexpected job ${name}`);
          planned.push({ data: publishTargetJob.payload.parse(payload), ...options });
          return null;
        },
      };
      const services: Services = { ...siar.services, jobs: collector };
      for (const id of postIds) await enqueuePost(services, id);
      const jobsQueued = await insertJobs(queue.boss, PUBLISH_TARGET, planned);
      return { dueAt, seedMs, enqueueMs: performance.now() - queueStart, jobsQueued };
    } finally {
      await queue.stop();
    }
  } finally {
    await siar.stop();
  }
}

/** Queues `count` no-op jobs due at once, in a queue declared by startJobs, keyed like publish targets. */
export async function seedNoop(config: Config, definition: JobDefinition, count: number, leadMs: number): Promise<Seeded> {
  const started = performance.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, sharedBuffers: config.embeddedSharedBuffers });
  try {
    const services = { config, database, db: database.db, jobs: null } as unknown as Services;
    const queue = await startJobs({ database, services, definitions: [definition], work: false, log: noLog });
    try {
      const dueAt = new Date(Date.now() + leadMs);
      const seedMs = performance.now() - started;
      const queueStart = performance.now();
      const planned = Array.from({ length: count }, (): JobInsert => {
        const targetId = randomUUID();
        return { data: { targetId }, startAfter: dueAt, singletonKey: `${targetId}@${dueAt.getTime()}`, priority: 0 };
      });
      const jobsQueued = await insertJobs(queue.boss, definition.name, planned);
      return { dueAt, seedMs, enqueueMs: performance.now() - queueStart, jobsQueued };
    } finally {
      await queue.stop();
    }
  } finally {
    await database.close();
  }
}

const count = (rows: { key: string | null; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key ?? 'null', Number(r.n)]));

/** What Siar itself recorded, read once its workers have stopped. */
export async function siarFigures(config: Config, dueAt: Date) {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sharedBuffers: config.embeddedSharedBuffers });
  try {
    const db = database.db;
    const targets = await sql<{ key: string; n: number }>`select status as key, count(*) as n from post_targets group by status`.execute(db);
    const posts = await sql<{ key: string; n: number }>`select status as key, count(*) as n from posts group by status`.execute(db);
    const attempts = await sql<{ key: string; n: number }>`select coalesce(outcome, 'unfinished') || coalesce(':' || code, '') as key, count(*) as n from publish_attempts group by 1`.execute(db);
    const jobsByState = await sql<{ key: string; n: number }>`select state::text as key, count(*) as n from pgboss.job where name = ${PUBLISH_TARGET} group by state`.execute(db);
    // The minute's sweep re-sends every due pending target (pg-boss drops the copies): its cost under a backlog.
    const sweeps = await sql<{ ms: number; output: unknown }>`select extract(epoch from completed_on - started_on) * 1000 as ms, output from pgboss.job where name = 'publish.sweep' and state = 'completed' order by started_on`.execute(db);
    const audit = await sql<{ n: number }>`select count(*) as n from audit_log where action = 'post.target_published'`.execute(db);
    // Where the time went: waiting to be picked up (first attempt − due) and the attempt itself.
    const waits = await sql<{ ms: number }>`select extract(epoch from first_attempt_at - ${dueAt}::timestamptz) * 1000 as ms from post_targets where first_attempt_at is not null`.execute(db);
    const durations = await sql<{ ms: number }>`select extract(epoch from finished_at - started_at) * 1000 as ms from publish_attempts where finished_at is not null`.execute(db);
    return {
      targets: count(targets.rows),
      posts: count(posts.rows),
      attempts: count(attempts.rows),
      publishJobs: count(jobsByState.rows),
      auditPublishedEntries: Number(audit.rows[0]?.n ?? 0),
      sweeps: sweeps.rows.map((r) => ({ ms: Math.round(Number(r.ms)), output: r.output })),
      firstAttemptWaitMs: waits.rows.map((r) => Number(r.ms)),
      attemptMs: durations.rows.map((r) => Number(r.ms)),
    };
  } finally {
    await database.close();
  }
}

/** When each no-op job was completed (pg-boss's completed_on), read once its workers have stopped. */
export async function noopCompletions(config: Config, name: string): Promise<{ completedMs: number[]; states: Record<string, number> }> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sharedBuffers: config.embeddedSharedBuffers });
  try {
    const done = await sql<{ at: number }>`select extract(epoch from completed_on) * 1000 as at from pgboss.job where name = ${name} and state = 'completed'`.execute(database.db);
    const states = await sql<{ key: string; n: number }>`select state::text as key, count(*) as n from pgboss.job where name = ${name} group by state`.execute(database.db);
    return { completedMs: done.rows.map((r) => Number(r.at)), states: count(states.rows) };
  } finally {
    await database.close();
  }
}
