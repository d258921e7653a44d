/**
 * The fault-injection suite: real connectors (masto, @atproto/api, grammY) against the network
 * sandbox, driven by the engine. For each fault kind on each network: the final state is right,
 * nothing is published twice (counted on the sandbox), nothing is lost.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { startSandbox, type Fault, type Sandbox, type SandboxAccount, type SandboxNetwork } from '../sandbox/index.ts';
import { connectorFor } from './connectors/index.ts';
import { publishTarget, type EngineDeps, type RunResult } from './publish-target.ts';


const networks: SandboxNetwork[] = ['mastodon', 'bluesky', 'telegram'];

interface Case {
  fault: Fault;
  /** What the target ends as, per network (Telegram cannot verify a lost answer). */
  expect: Partial<Record<SandboxNetwork, 'published' | 'failed' | 'waiting'>>;
  /** Posts on the sandbox at the end. */
  created: Partial<Record<SandboxNetwork, number>>;
}

const cases: Record<string, Case> = {
  'rate limit (429, Retry-After 1 s)': { fault: { kind: 'rate_limit', retryAfterSeconds: 1, times: 1 }, expect: { mastodon: 'published', bluesky: 'published', telegram: 'published' }, created: { mastodon: 1, bluesky: 1, telegram: 1 } },
  'server error (500)': { fault: { kind: 'server_error', times: 2 }, expect: { mastodon: 'published', bluesky: 'published', telegram: 'published' }, created: { mastodon: 1, bluesky: 1, telegram: 1 } },
  'timeout (nothing created)': { fault: { kind: 'timeout', ms: 1500, times: 1 }, expect: { mastodon: 'published', bluesky: 'published', telegram: 'failed' }, created: { mastodon: 1, bluesky: 1, telegram: 0 } },
  'answer lost after the post was created': { fault: { kind: 'lost_response', times: 1 }, expect: { mastodon: 'published', bluesky: 'published', telegram: 'failed' }, created: { mastodon: 1, bluesky: 1, telegram: 1 } },
  'token refused': { fault: { kind: 'expired_token', times: 5 }, expect: { mastodon: 'failed', bluesky: 'failed', telegram: 'failed' }, created: { mastodon: 0, bluesky: 0, telegram: 0 } },
  // A 429 whose wait is hours long is a cap: failed with the reason, for a person to decide.
  'daily cap': { fault: { kind: 'daily_cap', times: 1 }, expect: { mastodon: 'failed', bluesky: 'failed', telegram: 'failed' }, created: { mastodon: 0, bluesky: 0, telegram: 0 } },
};

describe('publishing under injected faults (sandbox, real client libraries)', () => {
  let server: TestServer;
  let sandbox: Sandbox;
  let unit: string;
  let editor: Person;
  let admin: Person;
  let deps: EngineDeps;
  const wakeups = new Map<string, Date>();
  let counter = 0;

  before(async () => {
    server = await startTestServer({ demo: false });
    // The sandbox's day starts just after midnight UTC, so a cap's wait is hours long whenever the test runs.
    const shift = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:01:00Z`) - Date.now();
    sandbox = await startSandbox({ now: () => Date.now() + shift });
    unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Uji Gangguan');
    editor = await makePerson(server, unit, 'editor');
    admin = await makePerson(server, unit, 'admin');
    await admin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [] });
    const services = server.siar.services;
    deps = {
      db: services.db,
      keyring: services.keyring,
      storage: mediaStorageFor(services.config),
      filesBase: '/media/files/',
      connectorFor,
      requeue: async (targetId, at) => {
        wakeups.set(targetId, at);
      },
      callTimeoutMs: 1000,
      retryBaseMs: 200,
      lookupDelayMs: 100,
    };
  });
  after(async () => {
    await sandbox.close();
    await server.close();
  });

  /** A channel connected through the API (the connector verifies the credentials on the sandbox). */
  async function connected(network: SandboxNetwork): Promise<{ channelId: string; account: SandboxAccount }> {
    counter += 1;
    const account = sandbox.createAccount(network, { handle: `uji${counter}${network}`, displayName: `Akun Uji ${counter}` });
    const created = await admin.client.post('/api/v1/channels', { unitId: unit, network, name: account.displayName, handle: network === 'telegram' ? `@${account.handle}` : account.handle });
    assert.equal(created.statusCode, 201, created.body);
    const connect = await admin.client.post(`/api/v1/channels/${created.json().id}/connect`, { baseUrl: account.baseUrl, credentials: account.credentials });
    assert.equal(connect.statusCode, 200, connect.body);
    assert.equal(connect.json().connection, 'connected');
    for (const key of ['accessToken', 'appPassword', 'botToken', 'clientSecret']) {
      const secret = account.credentials[key];
      if (secret) assert.ok(!connect.body.includes(secret), `the ${key} never comes back`);
    }
    return { channelId: created.json().id, account };
  }

  /** Runs the target like the job queue would, waking at each requested time, until it ends. */
  async function drive(targetId: string): Promise<RunResult | { outcome: 'waiting'; until: Date }> {
    for (let step = 0; step < 30; step += 1) {
      wakeups.delete(targetId);
      const result = await publishTarget(deps, targetId);
      if (result.outcome === 'published' || result.outcome === 'failed' || result.outcome === 'skipped') return result;
      const at = wakeups.get(targetId);
      assert.ok(at, `a ${result.outcome} run must ask to be woken`);
      // The network named a time far off: the target waits for it (the job queue would wake it).
      if (at.getTime() > Date.now() + 10 * 60_000) return { outcome: 'waiting', until: at };
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(0, at.getTime() - Date.now()))));
    }
    throw new Error('target never ended');
  }

  for (const network of networks) {
    for (const [name, spec] of Object.entries(cases)) {
      test(`${network}: ${name}`, { timeout: 60_000 }, async (t) => {
        const { channelId, account } = await connected(network);
        const post = await editor.client.post('/api/v1/posts', {
          unitId: unit, title: `Jadwal posyandu ${counter}`, bodyHtml: `<p>Posyandu Kelurahan Sempaja buka Sabtu pukul 08.00 WITA (${name}).</p>`, targets: [channelId],
        });
        assert.equal(post.statusCode, 201, post.body);
        const db = server.siar.services.db;
        await db.updateTable('posts').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', post.json().id).execute();
        const target = await db.selectFrom('post_targets').select('id').where('post_id', '=', post.json().id).executeTakeFirstOrThrow();
        sandbox.injectFault(account.id, spec.fault);
        const result = await drive(target.id);
        const attempts = await db.selectFrom('publish_attempts').select(['attempt', 'outcome', 'code']).where('target_id', '=', target.id).orderBy('started_at').execute();
        t.diagnostic(`${network} ${name}: ${attempts.map((a) => `${a.attempt}:${a.outcome}/${a.code ?? ''}`).join(' → ')}`);
        assert.equal(result.outcome, spec.expect[network]);
        const row = await db.selectFrom('post_targets').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
        assert.equal(row.status, spec.expect[network] === 'waiting' ? 'pending' : spec.expect[network]);
        if (spec.expect[network] === 'waiting') assert.ok(row.next_attempt_at!.getTime() > Date.now() + 10 * 60_000);
        if (row.status === 'failed') assert.ok((row.error_reason as { id: string } | null)?.id, 'a failure carries a reason in Indonesian');
        const live = sandbox.posts(account.id).filter((p) => !p.deleted);
        assert.equal(live.length, spec.created[network], `posts on the ${network} sandbox: ${JSON.stringify(live.map((p) => p.text))}`);
        assert.equal(sandbox.stats(account.id).created, spec.created[network]);
        if (row.status === 'published') assert.match(live[0]!.text, /Posyandu Kelurahan Sempaja/);
      });
    }
  }
});
