/**
 * The webhook connector against a receiver that follows the contract (signature checked,
 * deliveries deduplicated by id) and one that misbehaves in every way a network can.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ConnectorError, type PublishRequest } from '../../connector.ts';
import { webhookConnector } from './connector.ts';
import { verifyWebhook } from './signature.ts';

const SECRET = 'rahasia-penerima-ppid-kaltim';
type Behaviour = 'ok' | 'lose_answer' | '429' | '500' | '401' | '410' | '422';
let behaviour: Behaviour[] = [];
const stored = new Map<string, { event: string; data: Record<string, unknown> }>();
const answers = new Map<string, string>();
let received = 0;
let url = '';

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    received += 1;
    const signed = verifyWebhook({ secret: SECRET, body, signature: request.headers['x-siar-signature'] as string, timestamp: request.headers['x-siar-timestamp'] as string });
    if (!signed) return void response.writeHead(401).end('bad signature');
    const now = behaviour.shift() ?? 'ok';
    if (now === '429') return void response.writeHead(429, { 'retry-after': '7' }).end();
    if (['500', '401', '410', '422'].includes(now)) return void response.writeHead(Number(now)).end(now === '422' ? 'judul wajib diisi' : '');
    const id = request.headers['idempotency-key'] as string;
    assert.equal(id, request.headers['x-siar-delivery']);
    // A repeat of a delivery gets its first answer; nothing is stored twice.
    let answer = answers.get(id);
    if (!answer) {
      const parsed = JSON.parse(body) as { event: string; data: Record<string, unknown> };
      const article = `artikel-${stored.size + 1}`;
      stored.set(id, parsed);
      answer = JSON.stringify({ id: article, url: `https://ppid.example/${article}` });
      answers.set(id, answer);
    }
    if (now === 'lose_answer') return void response.socket?.destroy();
    response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/siar-hook`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const channel = () => ({ id: 'kanal-webhook', network: 'webhook' as const, handle: 'ppid', externalAccountId: null, baseUrl: url });
const request = (targetId: string, secret = SECRET): PublishRequest => ({
  channel: channel(), credentials: { secret }, targetId, attempt: 1, parts: ['Pengumuman: layanan KTP buka Sabtu.'], title: 'Layanan KTP',
  media: [{ url: 'https://siar.example/media/files/a.jpg', read: async () => Buffer.alloc(0), mime: 'image/jpeg', alt: 'Loket KTP', width: 800, height: 600 }],
  firstComment: null, firstAttemptAt: new Date(), signal: AbortSignal.timeout(5_000),
});

async function kind(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ConnectorError, String(error));
    return `${error.kind}/${error.code}`;
  }
}

test('connecting pings the receiver with a signed request; a wrong secret is refused as credentials', async () => {
  const account = await webhookConnector.verify({ channel: channel(), credentials: { secret: SECRET }, signal: AbortSignal.timeout(5_000) });
  assert.equal(account.handle, new URL(url).host);
  assert.equal(await kind(webhookConnector.verify({ channel: channel(), credentials: { secret: 'salah' }, signal: AbortSignal.timeout(5_000) })), 'auth/auth_rejected');
});

test('publishes the post signed, with its media as links; the receiver’s id and link are kept', async () => {
  const before = stored.size;
  const result = await webhookConnector.publish(request('target-1'));
  assert.equal(result.externalId, `artikel-${before + 1}`);
  assert.equal(result.url, `https://ppid.example/artikel-${before + 1}`);
  const delivery = stored.get('siar:target-1')!;
  assert.equal(delivery.event, 'post.published');
  assert.equal(delivery.data.title, 'Layanan KTP');
  assert.deepEqual((delivery.data.media as { url: string; alt: string }[]).map((m) => [m.url, m.alt]), [['https://siar.example/media/files/a.jpg', 'Loket KTP']]);
});

test('an answer lost after the receiver took it is uncertain; sent again with the same id, stored once', async () => {
  const before = stored.size;
  behaviour = ['lose_answer'];
  assert.equal(await kind(webhookConnector.publish(request('target-2'))), 'uncertain/connection_lost');
  const again = await webhookConnector.publish(request('target-2'));
  assert.equal(stored.size, before + 1);
  assert.equal(again.externalId, `artikel-${before + 1}`);
});

test('429 waits as told, 5xx retries, 401 needs reconnecting, 410 and 4xx are refusals with the receiver’s words', async () => {
  behaviour = ['429'];
  try {
    await webhookConnector.publish(request('target-3'));
    assert.fail('a 429 is not success');
  } catch (error) {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'transient');
    assert.ok(error.retryAfterMs !== undefined && Math.abs(error.retryAfterMs - 7_000) < 1_000);
  }
  behaviour = ['500'];
  assert.equal(await kind(webhookConnector.publish(request('target-3'))), 'transient/server_error');
  behaviour = ['401'];
  assert.equal(await kind(webhookConnector.publish(request('target-3'))), 'auth/auth_rejected');
  behaviour = ['410'];
  assert.equal(await kind(webhookConnector.publish(request('target-3'))), 'permanent/webhook_gone');
  behaviour = ['422'];
  try {
    await webhookConnector.publish(request('target-3'));
  } catch (error) {
    assert.ok(error instanceof ConnectorError && error.kind === 'permanent');
    assert.match(error.reason.id, /judul wajib diisi/);
  }
  assert.equal([...stored.keys()].filter((k) => k === 'siar:target-3').length, 0, 'nothing stored by a refused delivery');
});

test('corrections and removals are events of their own; a repeated correction is one delivery', async () => {
  const published = await webhookConnector.publish(request('target-4'));
  const edit = { channel: channel(), credentials: { secret: SECRET }, parts: published.parts, texts: ['Koreksi: layanan KTP buka Minggu.'], title: null, signal: AbortSignal.timeout(5_000) };
  const count = stored.size;
  await webhookConnector.edit!(edit);
  await webhookConnector.edit!(edit);
  assert.equal(stored.size, count + 1);
  await webhookConnector.remove({ channel: channel(), credentials: { secret: SECRET }, parts: published.parts, signal: AbortSignal.timeout(5_000) });
  const events = [...stored.values()].slice(-2).map((d) => d.event);
  assert.deepEqual(events, ['post.edited', 'post.removed']);
  assert.ok(received > 0);
});
