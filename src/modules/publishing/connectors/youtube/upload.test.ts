// The resumable upload's recovery after a lost answer, against a scripted Google (no sandbox needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../connector.ts';
import { assertAccepted, uploadVideo } from './upload.ts';

interface Seen { method: string; url: string; headers: Record<string, string>; bytes: number }

/** A fake fetch answering each request with the next scripted step. */
function scripted(steps: ((seen: Seen) => Response | Error)[]) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = init?.body;
    const entry = { method: init?.method ?? 'GET', url: String(input), headers, bytes: body instanceof Uint8Array ? body.byteLength : typeof body === 'string' ? body.length : 0 };
    seen.push(entry);
    const step = steps.shift();
    if (!step) throw new Error(`unexpected request ${entry.method} ${entry.url}`);
    const answer = step(entry);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const lost = () => new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
const session = () => new Response(null, { status: 200, headers: { location: 'https://upload.example/session/1' } });
const video = (id: string) => new Response(JSON.stringify({ id, status: { uploadStatus: 'uploaded' } }), { status: 201, headers: { 'content-type': 'application/json' } });
const bytes = new Uint8Array(1000).fill(3);

function upload(fetch: typeof globalThis.fetch) {
  return uploadVideo({
    client: { http: { fetch, timeoutMs: 5_000 }, baseUrl: 'https://www.googleapis.com', accessToken: 'ya29.token' },
    bytes,
    mime: 'video/mp4',
    metadata: { title: 'Judul', description: 'Deskripsi' },
    privacyStatus: 'public',
    categoryId: '25',
    language: 'id',
    signal: new AbortController().signal,
  });
}

test('opens a session with the metadata and the file\'s size and type, then sends the bytes', async () => {
  const { fetch, seen } = scripted([session, () => video('abcdefghijk')]);
  const result = await upload(fetch);
  assert.equal(result.id, 'abcdefghijk');
  assert.match(seen[0]!.url, /\/upload\/youtube\/v3\/videos\?uploadType=resumable&part=snippet%2Cstatus$/);
  assert.equal(seen[0]!.headers['x-upload-content-length'], '1000');
  assert.equal(seen[0]!.headers['x-upload-content-type'], 'video/mp4');
  assert.equal(seen[1]!.method, 'PUT');
  assert.equal(seen[1]!.url, 'https://upload.example/session/1');
  assert.equal(seen[1]!.bytes, 1000);
});

test('a lost answer to the PUT is settled by asking the session: a finished upload gives its video, nothing is sent twice', async () => {
  const { fetch, seen } = scripted([session, lost, () => video('abcdefghijk')]);
  const result = await upload(fetch);
  assert.equal(result.id, 'abcdefghijk');
  assert.equal(seen.length, 3);
  assert.equal(seen[2]!.headers['content-range'], 'bytes */1000');
  assert.equal(seen[2]!.bytes, 0);
});

test('a session that holds part of the file gets only the rest', async () => {
  const { fetch, seen } = scripted([
    session,
    lost,
    () => new Response(null, { status: 308, headers: { range: 'bytes=0-399' } }),
    () => video('abcdefghijk'),
  ]);
  await upload(fetch);
  assert.equal(seen[3]!.headers['content-range'], 'bytes 400-999/1000');
  assert.equal(seen[3]!.bytes, 600);
});

test('when the session cannot be asked either, the upload is uncertain (findPublished looks next)', async () => {
  const { fetch } = scripted([session, lost, lost]);
  const failure = await upload(fetch).then(() => assert.fail('expected a failure'), (error: unknown) => error);
  assert.ok(failure instanceof ConnectorError);
  assert.equal(failure.kind, 'uncertain');
});

test('a refusal before the bytes (quota) is permanent and nothing is uploaded', async () => {
  const quota = () => new Response(JSON.stringify({ error: { code: 403, message: 'quota', errors: [{ reason: 'quotaExceeded' }] } }), { status: 403 });
  const { fetch, seen } = scripted([quota]);
  const failure = await upload(fetch).then(() => assert.fail('expected a failure'), (error: unknown) => error);
  assert.ok(failure instanceof ConnectorError);
  assert.equal(failure.code, 'daily_cap');
  assert.equal(seen.length, 1);
});

test('a video YouTube rejected after processing is a permanent failure with the reason', () => {
  assert.throws(() => assertAccepted({ id: 'x', status: { uploadStatus: 'rejected', rejectionReason: 'duplicate' } }), (error: unknown) =>
    error instanceof ConnectorError && error.code === 'duplicate_content' && /sudah pernah diunggah/.test(error.reason.id));
  assert.doesNotThrow(() => assertAccepted({ id: 'x', status: { uploadStatus: 'processed' } }));
});
