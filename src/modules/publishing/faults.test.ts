/**
 * The fault-injection suite: real connectors (masto, @atproto/api, grammY, twitter-api-v2, and
 * plain HTTP for Facebook, Threads and LinkedIn) against the network
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


/**
 * Every network whose posts can be text only; Instagram, YouTube and TikTok need media and are put
 * through the same faults in their connectors' own tests against the sandbox.
 */
const networks: SandboxNetwork[] = ['mastodon', 'bluesky', 'telegram', 'x', 'facebook', 'threads', 'linkedin'];

type Outcome = 'published' | 'failed' | 'waiting';

interface Case {
  fault: Fault;
  /** What the target ends as: the same on every network unless named (Telegram cannot verify a lost answer). */
  expect: Outcome;
  created: number;
  except?: Partial<Record<SandboxNetwork, { expect: Outcome; created: number }>>;
}

const cases: Record<string, Case> = {
  // Meta's rate limits say "about a minute" at least: the target waits for it, nothing sent meanwhile.
  'rate limit (429, Retry-After 1 s)': {
    fault: { kind: 'rate_limit', retryAfterSeconds: 1, times: 1 }, expect: 'published', created: 1,
    except: { facebook: { expect: 'waiting', created: 0 }, threads: { expect: 'waiting', created: 0 } },
  },
  'server error (500)': { fault: { kind: 'server_error', times: 2 }, expect: 'published', created: 1 },
  'timeout (nothing created)': { fault: { kind: 'timeout', ms: 1500, times: 1 }, expect: 'published', created: 1, except: { telegram: { expect: 'failed', created: 0 } } },
  'answer lost after the post was created': { fault: { kind: 'lost_response', times: 1 }, expect: 'published', created: 1, except: { telegram: { expect: 'failed', created: 1 } } },
  'token refused': { fault: { kind: 'expired_token', times: 5 }, expect: 'failed', created: 0 },
  // A 429 whose wait is hours long is a cap: failed with the reason, for a person to decide.
  'daily cap': { fault: { kind: 'daily_cap', times: 1 }, expect: 'failed', created: 0 },
};

const expected = (spec: Case, network: SandboxNetwork) => spec.except?.[network] ?? { expect: spec.expect, created: spec.created };

describe('publishing under injected faults (sandbox, real client libraries)', () => {
  let server: TestServer;
  let sandbox: Sandbox;
  /** The same sandbox, its clock just after midnight UTC: a daily cap's wait is hours long whenever the test runs. */
  let morning: Sandbox;
  let unit: string;
  let editor: Person;
  let admin: Person;
  let deps: EngineDeps;
  const wakeups = new Map<string, Date>();
  let counter = 0;

  before(async () => {
    server = await startTestServer({ demo: false });
    // Other faults run on the true clock: a lookup after a lost answer reads posts made since the first attempt.
    const shift = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:01:00Z`) - Date.now();
    sandbox = await startSandbox();
    morning = await startSandbox({ now: () => Date.now() + shift });
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
    await morning.close();
    await server.close();
  });

  /** A channel connected through the API (the connector verifies the credentials on the sandbox). */
  async function connected(network: SandboxNetwork, sandbox: Sandbox): Promise<{ channelId: string; account: SandboxAccount }> {
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
      // The network named a time further off than a test should sleep: the target waits for it (the job queue would wake it).
      if (at.getTime() > Date.now() + 30_000) return { outcome: 'waiting', until: at };
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, Math.max(0, at.getTime() - Date.now()))));
    }
    throw new Error('target never ended');
  }

  for (const network of networks) {
    for (const [name, spec] of Object.entries(cases)) {
      test(`${network}: ${name}`, { timeout: 60_000 }, async (t) => {
        const net = spec.fault.kind === 'daily_cap' ? morning : sandbox;
        const { channelId, account } = await connected(network, net);
        const post = await editor.client.post('/api/v1/posts', {
          unitId: unit, title: `Jadwal posyandu ${counter}`, bodyHtml: `<p>Posyandu Kelurahan Sempaja buka Sabtu pukul 08.00 WITA (${name}).</p>`, targets: [channelId],
        });
        assert.equal(post.statusCode, 201, post.body);
        const db = server.siar.services.db;
        await db.updateTable('posts').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', post.json().id).execute();
        const target = await db.selectFrom('post_targets').select('id').where('post_id', '=', post.json().id).executeTakeFirstOrThrow();
        net.injectFault(account.id, spec.fault);
        const result = await drive(target.id);
        const attempts = await db.selectFrom('publish_attempts').select(['attempt', 'outcome', 'code']).where('target_id', '=', target.id).orderBy('started_at').execute();
        t.diagnostic(`${network} ${name}: ${attempts.map((a) => `${a.attempt}:${a.outcome}/${a.code ?? ''}`).join(' → ')}`);
        const want = expected(spec, network);
        assert.equal(result.outcome, want.expect);
        const row = await db.selectFrom('post_targets').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
        assert.equal(row.status, want.expect === 'waiting' ? 'pending' : want.expect);
        if (want.expect === 'waiting') assert.ok(row.next_attempt_at!.getTime() > Date.now() + 30_000, 'not retried before the network allows');
        if (row.status === 'failed') assert.ok((row.error_reason as { id: string } | null)?.id, 'a failure carries a reason in Indonesian');
        const live = net.posts(account.id).filter((p) => !p.deleted);
        assert.equal(live.length, want.created, `posts on the ${network} sandbox: ${JSON.stringify(live.map((p) => p.text))}`);
        assert.equal(net.stats(account.id).created, want.created);
        if (row.status === 'published') assert.match(live[0]!.text, /Posyandu Kelurahan Sempaja/);
      });
    }
  }
});
