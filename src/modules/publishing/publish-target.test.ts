/**
 * The engine's decisions, with a scripted connector: every outcome a network can give, crashes
 * between "attempt started" and "outcome written", stale and concurrent runs. Network fidelity is
 * tested against the sandbox elsewhere; here the point is what Siar records and never does twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import type { Network } from '../networks/limits.ts';
import { mediaStorageFor } from '../media/storage.ts';
import { ConnectorError, type Connector, type PublishRequest, type PublishResult } from './connector.ts';
import { encryptCredentials } from './credentials.ts';
import { publishTarget, STALE_ATTEMPT_MS, type EngineDeps } from './publish-target.ts';

type Script = (request: PublishRequest, call: number) => Promise<PublishResult>;

class ScriptedConnector implements Connector {
  readonly network: Network;
  readonly idempotent: boolean;
  readonly verifiable: boolean;
  published: PublishRequest[] = [];
  lookups = 0;
  calls = 0;
  refreshes = 0;
  script: Script = async (request) => ({ externalId: `ext-${request.targetId}`, url: `https://net.example/${request.targetId}`, parts: [] });
  onLookup: () => PublishResult | null = () => null;
  refreshWith: (() => Promise<Record<string, string>>) | null = null;

  constructor(network: Network, options: { idempotent?: boolean; verifiable?: boolean } = {}) {
    this.network = network;
    this.idempotent = options.idempotent ?? false;
    this.verifiable = options.verifiable ?? true;
  }

  async publish(request: PublishRequest): Promise<PublishResult> {
    this.calls += 1;
    const result = await this.script(request, this.calls);
    this.published.push(request);
    return result;
  }
  async findPublished(): Promise<PublishResult | null> {
    this.lookups += 1;
    return this.onLookup();
  }
  async remove(): Promise<void> {}
  async verify() {
    return { externalAccountId: '1', handle: 'x', name: 'x', avatarUrl: null };
  }
  get refresh() {
    const refreshWith = this.refreshWith;
    if (!refreshWith) return undefined;
    return async () => {
      this.refreshes += 1;
      return refreshWith();
    };
  }
}

for (const backend of backendNames) {
  describe(`publishing one target (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unit: string;
    let editor: Person;
    let admin: Person;
    const connectors = new Map<Network, ScriptedConnector>();
    const requeued: { targetId: string; at: Date }[] = [];
    let deps: EngineDeps;
    let counter = 0;

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Terbit');
      editor = await makePerson(server, unit, 'editor', 'Penulis Terbit');
      admin = await makePerson(server, unit, 'admin', 'Admin Terbit');
      await admin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [] });
      const services = server.siar.services;
      deps = {
        db: services.db,
        keyring: services.keyring,
        storage: mediaStorageFor(services.config),
        filesBase: '/media/files/',
        connectorFor: (network) => connectors.get(network),
        requeue: async (targetId, at) => {
          requeued.push({ targetId, at });
        },
        callTimeoutMs: 300,
      };
    });
    after(() => server.close());

    /** A scheduled post (due now) going to one channel per network given; returns its target ids by network. */
    async function duePost(networks: Network[], options: { urgent?: boolean } = {}) {
      counter += 1;
      const db = server.siar.services.db;
      const channels: string[] = [];
      for (const network of networks) {
        const channel = await db.insertInto('channels').values({ unit_id: unit, network, name: `Akun ${network}`, handle: `@uji${counter}${network}`, limit_overrides: '{}', connection: 'connected', base_url: 'https://net.example' })
          .returningAll().executeTakeFirstOrThrow();
        await db.updateTable('channels').set({ credentials_enc: encryptCredentials(server.siar.services.keyring, channel.id, { accessToken: 'lama' }) }).where('id', '=', channel.id).execute();
        channels.push(channel.id);
      }
      const created = await editor.client.post('/api/v1/posts', { unitId: unit, title: `Pengumuman ${counter}`, bodyHtml: '<p>Pelayanan KTP buka hari Sabtu.</p>', targets: channels, urgent: options.urgent ?? false });
      assert.equal(created.statusCode, 201, created.body);
      const post = created.json();
      await db.updateTable('posts').set({ status: 'scheduled', scheduled_at: new Date(Date.now() - 1000) }).where('id', '=', post.id).execute();
      const targets = await db.selectFrom('post_targets').select(['id', 'network']).where('post_id', '=', post.id).execute();
      return { postId: post.id as string, targets: Object.fromEntries(targets.map((t) => [t.network, t.id])) as Record<Network, string> };
    }

    const target = (id: string) => server.siar.services.db.selectFrom('post_targets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const postStatus = async (id: string) => (await server.siar.services.db.selectFrom('posts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    test('published: links kept, post published, the audit log records exactly what was said where', async () => {
      connectors.set('mastodon', new ScriptedConnector('mastodon', { idempotent: true }));
      const { postId, targets } = await duePost(['mastodon']);
      assert.deepEqual(await publishTarget(deps, targets.mastodon), { outcome: 'published' });
      const row = await target(targets.mastodon);
      assert.equal(row.status, 'published');
      assert.equal(row.external_url, `https://net.example/${targets.mastodon}`);
      assert.equal(row.attempts, 1);
      assert.equal(await postStatus(postId), 'published');
      const audit = await server.siar.services.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', postId).where('action', '=', 'post.target_published').executeTakeFirstOrThrow();
      assert.match(JSON.stringify(audit.after), /Pelayanan KTP buka hari Sabtu/);
      // Running the job again does nothing.
      assert.deepEqual(await publishTarget(deps, targets.mastodon), { outcome: 'skipped', reason: 'target published' });
      assert.equal(connectors.get('mastodon')!.calls, 1);
    });

    test('a network’s note on how the post went out is kept and shown with the target', async () => {
      const youtube = new ScriptedConnector('youtube');
      youtube.script = async (request) => ({
        externalId: `v-${request.targetId}`, url: `https://video.example/${request.targetId}`, parts: [],
        notice: { id: 'Video tayang, tetapi sampul khusus ditolak.', en: 'The video is live, but the custom thumbnail was refused.' },
      });
      connectors.set('youtube', youtube);
      const { postId, targets } = await duePost(['youtube']);
      assert.deepEqual(await publishTarget(deps, targets.youtube), { outcome: 'published' });
      const shown = (await editor.client.get(`/api/v1/posts/${postId}`)).json().targets.find((t: { id: string }) => t.id === targets.youtube);
      assert.deepEqual(shown.notice, { id: 'Video tayang, tetapi sampul khusus ditolak.', en: 'The video is live, but the custom thumbnail was refused.' });
      connectors.set('youtube', new ScriptedConnector('youtube'));
      const plain = await duePost(['youtube']);
      await publishTarget(deps, plain.targets.youtube);
      assert.equal((await target(plain.targets.youtube)).notice, null);
    });

    test('a network saying the account’s window is spent: its next post waits for the window, never meeting a 429', async () => {
      const x = new ScriptedConnector('x');
      const resetAt = new Date(Date.now() + 120_000);
      x.script = async (request) => ({ externalId: `w-${request.targetId}`, url: null, parts: [], rateWindow: { remaining: 0, resetAt } });
      connectors.set('x', x);
      const first = await duePost(['x']);
      assert.deepEqual(await publishTarget(deps, first.targets.x), { outcome: 'published' });
      const second = await duePost(['x']);
      const channelId = (await target(first.targets.x)).channel_id;
      await server.siar.services.db.updateTable('post_targets').set({ channel_id: channelId }).where('id', '=', second.targets.x).execute();
      const result = await publishTarget(deps, second.targets.x);
      assert.equal(result.outcome, 'deferred');
      assert.equal((result as { reason: string }).reason, 'rate limit');
      assert.ok(Math.abs((result as { until: Date }).until.getTime() - resetAt.getTime()) < 2_000, 'deferred until the network’s window renews');
      assert.equal(x.calls, 1, 'nothing was sent into a spent window');
    });

    test('429 with Retry-After: retried later, not before the network allows; nothing sent twice', async () => {
      const mastodon = new ScriptedConnector('mastodon', { idempotent: true });
      mastodon.script = async () => {
        throw new ConnectorError('transient', 'rate_limited', { id: 'Terlalu banyak permintaan.', en: 'Too many requests.' }, { retryAfterMs: 120_000, status: 429 });
      };
      connectors.set('mastodon', mastodon);
      const { postId, targets } = await duePost(['mastodon']);
      const before = Date.now();
      assert.deepEqual(await publishTarget(deps, targets.mastodon), { outcome: 'retry' });
      const row = await target(targets.mastodon);
      assert.equal(row.status, 'pending');
      assert.equal(row.error_code, 'rate_limited');
      assert.ok(row.next_attempt_at!.getTime() >= before + 120_000);
      assert.ok(requeued.some((r) => r.targetId === targets.mastodon && r.at.getTime() >= before + 120_000));
      assert.equal(await postStatus(postId), 'publishing');
      // A run before that time is deferred by the blocked bucket, without calling the network.
      const again = await publishTarget(deps, targets.mastodon);
      assert.equal(again.outcome, 'deferred');
      assert.equal(mastodon.calls, 1);
    });

    test('uncertain on a network without idempotency: looked up, and found → published without a second send', async () => {
      const x = new ScriptedConnector('x');
      x.script = async () => {
        throw new ConnectorError('uncertain', 'connection_lost', { id: 'Koneksi terputus.', en: 'Connection lost.' });
      };
      connectors.set('x', x);
      const { postId, targets } = await duePost(['x']);
      assert.deepEqual(await publishTarget(deps, targets.x), { outcome: 'uncertain' });
      assert.equal((await target(targets.x)).status, 'publishing');
      assert.equal((await target(targets.x)).uncertain, true);
      x.onLookup = () => ({ externalId: 'found-1', url: 'https://x.example/found-1', parts: [] });
      assert.deepEqual(await publishTarget(deps, targets.x), { outcome: 'published' });
      assert.equal(x.calls, 1, 'never sent again');
      assert.equal(x.lookups, 1);
      assert.equal((await target(targets.x)).external_id, 'found-1');
      assert.equal(await postStatus(postId), 'published');
      const attempts = await server.siar.services.db.selectFrom('publish_attempts').select(['outcome']).where('target_id', '=', targets.x).orderBy('started_at').execute();
      assert.deepEqual(attempts.map((a) => a.outcome), ['uncertain', 'found']);
    });

    test('uncertain and not found: safe to send again; unverifiable networks fail with advice instead', async () => {
      const x = new ScriptedConnector('x');
      x.script = async (_r, call) => {
        if (call === 1) throw new ConnectorError('uncertain', 'timeout', { id: 'Habis waktu.', en: 'Timed out.' });
        return { externalId: 'second', url: null, parts: [] };
      };
      connectors.set('x', x);
      const first = await duePost(['x']);
      await publishTarget(deps, first.targets.x);
      assert.deepEqual(await publishTarget(deps, first.targets.x), { outcome: 'published' });
      assert.equal(x.lookups, 1);

      const telegram = new ScriptedConnector('telegram', { verifiable: false });
      telegram.script = async () => {
        throw new ConnectorError('uncertain', 'connection_lost', { id: 'Koneksi terputus.', en: 'Connection lost.' });
      };
      connectors.set('telegram', telegram);
      const second = await duePost(['telegram']);
      await publishTarget(deps, second.targets.telegram);
      assert.deepEqual(await publishTarget(deps, second.targets.telegram), { outcome: 'failed' });
      const row = await target(second.targets.telegram);
      assert.equal(row.error_code, 'uncertain_unverifiable');
      assert.match((row.error_reason as { id: string }).id, /Periksa kanal/);
      assert.equal(telegram.calls, 1);
    });

    test('a worker that died mid-call: the target is looked up after the stale time, not while another worker may be on it', async () => {
      const x = new ScriptedConnector('x');
      connectors.set('x', x);
      const { targets } = await duePost(['x']);
      const db = server.siar.services.db;
      // "Attempt started" was written, then the process vanished.
      await db.updateTable('post_targets').set({ status: 'publishing', attempts: 1, attempt_started_at: new Date(), first_attempt_at: new Date() }).where('id', '=', targets.x).execute();
      assert.equal((await publishTarget(deps, targets.x)).outcome, 'deferred');
      assert.equal(x.calls + x.lookups, 0);
      await db.updateTable('post_targets').set({ attempt_started_at: new Date(Date.now() - STALE_ATTEMPT_MS - 1000) }).where('id', '=', targets.x).execute();
      x.onLookup = () => ({ externalId: 'made-before-crash', url: null, parts: [] });
      assert.deepEqual(await publishTarget(deps, targets.x), { outcome: 'published' });
      assert.equal(x.calls, 0, 'found, so never sent again');
    });

    test('expired token: refreshed once and stored encrypted; a refused refresh marks the channel for reconnecting and tells its admins, other channels carry on', async () => {
      const mastodon = new ScriptedConnector('mastodon', { idempotent: true });
      mastodon.script = async (request) => {
        if (request.credentials.accessToken === 'lama') throw new ConnectorError('auth', 'token_expired', { id: 'Token kedaluwarsa.', en: 'Token expired.' }, { status: 401 });
        return { externalId: 'ok', url: null, parts: [] };
      };
      mastodon.refreshWith = async () => ({ accessToken: 'baru' });
      connectors.set('mastodon', mastodon);
      const fresh = await duePost(['mastodon']);
      assert.deepEqual(await publishTarget(deps, fresh.targets.mastodon), { outcome: 'published' });
      assert.equal(mastodon.refreshes, 1);
      const channelRow = await server.siar.services.db.selectFrom('channels').innerJoin('post_targets', 'post_targets.channel_id', 'channels.id').selectAll('channels').where('post_targets.id', '=', fresh.targets.mastodon).executeTakeFirstOrThrow();
      assert.doesNotMatch(channelRow.credentials_enc!, /baru/);

      const bluesky = new ScriptedConnector('bluesky', { idempotent: true });
      bluesky.script = async () => {
        throw new ConnectorError('auth', 'token_revoked', { id: 'Sandi aplikasi dicabut.', en: 'App password revoked.' }, { status: 401 });
      };
      bluesky.refreshWith = async () => {
        throw new ConnectorError('auth', 'refresh_refused', { id: 'Sesi ditolak.', en: 'Session refused.' });
      };
      connectors.set('bluesky', bluesky);
      connectors.set('mastodon', new ScriptedConnector('mastodon', { idempotent: true }));
      const mixed = await duePost(['bluesky', 'mastodon']);
      assert.equal((await publishTarget(deps, mixed.targets.bluesky)).outcome, 'failed');
      assert.equal((await publishTarget(deps, mixed.targets.mastodon)).outcome, 'published');
      assert.equal(await postStatus(mixed.postId), 'partly_published');
      const broken = await server.siar.services.db.selectFrom('channels').innerJoin('post_targets', 'post_targets.channel_id', 'channels.id').select(['channels.connection']).where('post_targets.id', '=', mixed.targets.bluesky).executeTakeFirstOrThrow();
      assert.equal(broken.connection, 'needs_reconnect');
      assert.equal((await target(mixed.targets.bluesky)).error_code, 'needs_reconnect');
      const notes = (await admin.client.get('/api/v1/notifications')).json().items;
      assert.ok(notes.some((n: { kind: string }) => n.kind === 'channel_needs_reconnect'));
      // The author sees the post page say which network failed and why, in Indonesian.
      const page = (await editor.client.get(`/api/v1/posts/${mixed.postId}`)).json();
      assert.equal(page.status, 'partly_published');
    });

    test('a token about to expire is renewed before the call; renewals racing in two workers make one refresh call', async () => {
      const x = new ScriptedConnector('x');
      x.script = async (request) => {
        if (request.credentials.accessToken !== 'segar-1') throw new ConnectorError('auth', 'token_expired', { id: 'Token kedaluwarsa.', en: 'Token expired.' }, { status: 401 });
        return { externalId: 'ok', url: null, parts: [] };
      };
      let rotation = 0;
      x.refreshWith = async () => {
        rotation += 1;
        // The network takes its time; a second refresh with the old (now revoked) token would fail.
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (rotation > 1) throw new ConnectorError('auth', 'invalid_grant', { id: 'Token pembaruan sudah dipakai.', en: 'Refresh token already used.' });
        return { accessToken: `segar-${rotation}`, refreshToken: `rt-${rotation}`, expiresAt: new Date(Date.now() + 7_200_000).toISOString() };
      };
      connectors.set('x', x);
      const first = await duePost(['x']);
      const second = await duePost(['x']);
      const db = server.siar.services.db;
      // Two posts of one account, published by two workers at the same moment.
      const channelId = (await target(first.targets.x)).channel_id;
      await db.updateTable('post_targets').set({ channel_id: channelId }).where('id', '=', second.targets.x).execute();
      await db.updateTable('channels').set({
        credentials_enc: encryptCredentials(server.siar.services.keyring, channelId, { accessToken: 'hampir-habis', refreshToken: 'rt-0', expiresAt: new Date(Date.now() + 60_000).toISOString() }),
      }).where('id', '=', channelId).execute();
      const outcomes = await Promise.all([publishTarget({ ...deps, callTimeoutMs: 5_000 }, first.targets.x), publishTarget({ ...deps, callTimeoutMs: 5_000 }, second.targets.x)]);
      assert.deepEqual(outcomes, [{ outcome: 'published' }, { outcome: 'published' }]);
      assert.equal(x.refreshes, 1, 'one refresh for the channel, the other worker waited for its token');
      const channel = await db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirstOrThrow();
      assert.equal(channel.connection, 'connected');
      assert.ok(channel.token_expires_at && channel.token_expires_at.getTime() > Date.now() + 3_600_000, 'the new expiry is stored for the refresh job');
      assert.equal(channel.refresh_lease_until, null, 'the lease is given back');
    });

    test('permanent refusal: failed at once with the network’s reason, no retry', async () => {
      const x = new ScriptedConnector('x');
      x.script = async () => {
        throw new ConnectorError('permanent', 'duplicate_content', { id: 'X menolak teks yang sama persis dengan postingan sebelumnya.', en: 'X refuses text identical to an earlier post.' }, { status: 403 });
      };
      connectors.set('x', x);
      const { postId, targets } = await duePost(['x']);
      const requeuedBefore = requeued.length;
      assert.deepEqual(await publishTarget(deps, targets.x), { outcome: 'failed' });
      assert.equal(requeued.length, requeuedBefore);
      assert.equal(await postStatus(postId), 'failed');
    });

    test('a post moved later or withdrawn: its old job finds nothing to do', async () => {
      const mastodon = new ScriptedConnector('mastodon', { idempotent: true });
      connectors.set('mastodon', mastodon);
      const moved = await duePost(['mastodon']);
      const later = new Date(Date.now() + 3_600_000);
      await server.siar.services.db.updateTable('posts').set({ scheduled_at: later }).where('id', '=', moved.postId).execute();
      const result = await publishTarget(deps, moved.targets.mastodon);
      assert.equal(result.outcome, 'deferred');
      assert.equal((result as { until: Date }).until.getTime(), later.getTime());
      const withdrawn = await duePost(['mastodon']);
      await server.siar.services.db.updateTable('posts').set({ status: 'draft' }).where('id', '=', withdrawn.postId).execute();
      assert.deepEqual(await publishTarget(deps, withdrawn.targets.mastodon), { outcome: 'skipped', reason: 'post draft' });
      assert.equal(mastodon.calls, 0);
    });

    test('two runs of the same target at once publish it once', async () => {
      const x = new ScriptedConnector('x');
      x.script = async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { externalId: `once-${request.targetId}`, url: null, parts: [] };
      };
      connectors.set('x', x);
      const { targets } = await duePost(['x']);
      const results = await Promise.all([publishTarget(deps, targets.x), publishTarget(deps, targets.x)]);
      assert.deepEqual(results.map((r) => r.outcome).sort(), ['deferred', 'published']);
      assert.equal(x.calls, 1);
    });
  });
}
