// The Bluesky connector against a real PDS (@atproto/pds) with an in-memory PLC directory (@did-plc/server),
// both started inside the test on 127.0.0.1 and offline. Proves what the sandbox cannot: that a real PDS
// accepts our deterministic TID record keys in putRecord, our facets and image embeds, our link cards
// (app.bsky.embed.external with a thumbnail blob), and that a repeat lands on the same record. Skips (with the reason) when those dev-only packages are not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AtpAgent } from '@atproto/api';
import sharp from 'sharp';
import { createBlueskyConnector } from './connector.ts';
import { image, requestFor } from '../test-support.ts';

interface Closable { start(): Promise<unknown>; destroy(): Promise<void> }
/** The few members used here of packages that may be absent (their own types are then absent too). */
interface PdsLib { PDS: { create(cfg: unknown, secrets: unknown): Promise<Closable> }; envToCfg(env: object): unknown; envToSecrets(env: object): unknown }
interface PlcLib { PlcServer: { create(options: { db: unknown; port: number }): Closable }; Database: { mock(): unknown } }
interface Keypair { did(): string; export(): Promise<Uint8Array> }
interface CryptoLib { Secp256k1Keypair: { create(options?: { exportable: boolean }): Promise<Keypair> } }

/** Loaded by name at run time: these are test-only packages and may be absent. */
async function optional<T>(name: string): Promise<T | null> {
  try {
    return (await import(name)) as T;
  } catch {
    return null;
  }
}

const [pdsLib, plcLib, cryptoLib] = await Promise.all([optional<PdsLib>('@atproto/pds'), optional<PlcLib>('@did-plc/server'), optional<CryptoLib>('@atproto/crypto')]);
const missing = [['@atproto/pds', pdsLib], ['@did-plc/server', plcLib], ['@atproto/crypto', cryptoLib]].filter(([, lib]) => !lib).map(([name]) => name);
const skip = missing.length > 0 ? `needs dev packages not installed: ${missing.join(', ')}` : false;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let pds: Closable | undefined;
let plc: Closable | undefined;
let dataDirectory = '';
let url = '';
let account = { handle: 'humas.test', baseUrl: '', credentials: {} as Record<string, string>, externalAccountId: '' };

before(async () => {
  if (skip) return;
  const { Secp256k1Keypair } = cryptoLib!;
  const hex = async (): Promise<string> => Buffer.from(await (await Secp256k1Keypair.create({ exportable: true })).export()).toString('hex');

  const plcPort = await freePort();
  plc = plcLib!.PlcServer.create({ db: plcLib!.Database.mock(), port: plcPort });
  await plc.start();

  const port = await freePort();
  dataDirectory = await mkdtemp(path.join(tmpdir(), 'siar-pds-'));
  const env = {
    devMode: true,
    port,
    hostname: 'localhost',
    dataDirectory,
    blobstoreDiskLocation: path.join(dataDirectory, 'blobs'),
    didPlcUrl: `http://127.0.0.1:${plcPort}`,
    recoveryDidKey: (await Secp256k1Keypair.create()).did(),
    plcRotationKeyK256PrivateKeyHex: await hex(),
    jwtSecret: 'siar-test-jwt-secret',
    adminPassword: 'siar-test-admin',
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    disableSsrfProtection: true,
    bskyAppViewUrl: 'https://appview.invalid',
    bskyAppViewDid: 'did:example:invalid',
    modServiceUrl: 'https://moderator.invalid',
    modServiceDid: 'did:example:invalid',
  };
  const server = await pdsLib!.PDS.create(pdsLib!.envToCfg(env), pdsLib!.envToSecrets(env));
  await server.start();
  pds = server;
  url = `http://127.0.0.1:${port}`;

  const agent = new AtpAgent({ service: url });
  await agent.createAccount({ email: 'humas@example.test', handle: 'humas.test', password: 'kata-sandi-akun-uji' });
  const appPassword = await agent.com.atproto.server.createAppPassword({ name: 'siar' });
  account = { handle: 'humas.test', baseUrl: url, credentials: { identifier: 'humas.test', appPassword: appPassword.data.password }, externalAccountId: agent.session!.did };
});

after(async () => {
  await pds?.destroy();
  await plc?.destroy();
  if (dataDirectory) await rm(dataDirectory, { recursive: true, force: true });
});

test('a real PDS takes our record keys, facets and image; a repeat is the same record', { skip }, async () => {
  const connector = createBlueskyConnector();
  const request = requestFor('bluesky', account, {
    parts: ['Peresmian jembatan https://kaltimprov.go.id/berita #Kaltim', 'Bagian dua'],
    media: [image('Jembatan dari udara', Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'))],
  });
  request.media[0]!.mime = 'image/png';
  const first = await connector.publish(request);
  const again = await connector.publish({ ...request, attempt: 2, credentials: first.refreshedCredentials ?? request.credentials });
  assert.deepEqual(again.parts, first.parts);

  const agent = new AtpAgent({ service: url });
  const listed = await agent.com.atproto.repo.listRecords({ repo: account.externalAccountId, collection: 'app.bsky.feed.post' });
  assert.equal(listed.data.records.length, 2);
  const root = listed.data.records.find((r) => r.uri === first.externalId)!.value as { createdAt: string; facets?: unknown[]; embed?: { images?: { alt: string }[] } };
  assert.equal(root.createdAt, request.firstAttemptAt.toISOString());
  assert.equal(root.facets?.length, 2);
  assert.equal(root.embed?.images?.[0]?.alt, 'Jembatan dari udara');

  assert.equal((await connector.findPublished(request))?.externalId, first.externalId);
  await connector.remove({ channel: request.channel, credentials: first.refreshedCredentials ?? request.credentials, parts: first.parts, signal: request.signal });
  const after = await agent.com.atproto.repo.listRecords({ repo: account.externalAccountId, collection: 'app.bsky.feed.post' });
  assert.equal(after.data.records.length, 0);
});

test('a real PDS takes the link card we build, and getRecord reads it back with its thumbnail blob', { skip }, async () => {
  const picture = await sharp({ create: { width: 1200, height: 630, channels: 3, background: '#0a7f5a' } }).png().toBuffer();
  const site = createHttpServer((request, response) => {
    if (request.url === '/gambar.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(picture);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<html><head><meta property="og:title" content="Jembatan Mahakam IV diresmikan"><meta property="og:description" content="Dibuka untuk umum."><meta property="og:image" content="/gambar.png"></head></html>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  try {
    const link = `http://127.0.0.1:${(site.address() as AddressInfo).port}/berita/jembatan`;
    const connector = createBlueskyConnector();
    const request = requestFor('bluesky', account, { parts: [`Peresmian jembatan ${link}`] });
    const published = await connector.publish(request);
    const agent = new AtpAgent({ service: url });
    const { data } = await agent.com.atproto.repo.getRecord({ repo: account.externalAccountId, collection: 'app.bsky.feed.post', rkey: published.externalId.split('/').pop()! });
    const embed = (data.value as { embed?: { $type: string; external: { uri: string; title: string; description: string; thumb?: { mimeType: string; size: number; ref: { toString(): string } } } } }).embed;
    assert.equal(embed?.$type, 'app.bsky.embed.external');
    assert.equal(embed.external.uri, link);
    assert.equal(embed.external.title, 'Jembatan Mahakam IV diresmikan');
    assert.equal(embed.external.description, 'Dibuka untuk umum.');
    assert.equal(embed.external.thumb?.mimeType, 'image/png');
    assert.equal(embed.external.thumb.size, picture.length);
    const blob = await agent.com.atproto.sync.getBlob({ did: account.externalAccountId, cid: embed.external.thumb.ref.toString() });
    assert.ok(Buffer.from(blob.data).equals(picture));
    await connector.remove({ channel: request.channel, credentials: published.refreshedCredentials ?? request.credentials, parts: published.parts, signal: request.signal });
  } finally {
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
  }
});
