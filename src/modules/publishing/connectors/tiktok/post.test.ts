// Chunking, the last chunk's recovery and status following, against a scripted TikTok (no sandbox needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../connector.ts';
import { chunkPlan, chunkRanges, sendVideo, settle } from './post.ts';
import type { PostSettings } from './post.ts';

const MiB = 1024 * 1024;

test('chunks follow TikTok\'s rules: whole under the chunk size, else floor(size/chunk) chunks with the rest in the last', () => {
  assert.deepEqual(chunkPlan(3 * MiB), { chunkSize: 3 * MiB, count: 1 });
  const plan = chunkPlan(25 * MiB + 7, 10 * MiB);
  assert.deepEqual(plan, { chunkSize: 10 * MiB, count: 2 });
  const ranges = chunkRanges(25 * MiB + 7, plan);
  assert.deepEqual(ranges, [{ first: 0, last: 10 * MiB - 1 }, { first: 10 * MiB, last: 25 * MiB + 6 }]);
  // Never below 5 MB a chunk, never more than 1,000 chunks.
  assert.equal(chunkPlan(50 * MiB, 1).chunkSize, 5 * MiB);
  assert.ok(chunkPlan(8000 * MiB, 5 * MiB).count <= 1000);
});

interface Seen { method: string; url: string; headers: Record<string, string>; body: string | number }

function scripted(steps: ((seen: Seen) => Response | Error)[]) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const body = init?.body;
    const entry = { method: init?.method ?? 'GET', url: String(input), headers, body: body instanceof Uint8Array ? body.byteLength : String(body ?? '') };
    seen.push(entry);
    const step = steps.shift();
    if (!step) throw new Error(`unexpected request ${entry.method} ${entry.url}`);
    const answer = step(entry);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const ok = (data: unknown) => () => new Response(JSON.stringify({ data, error: { code: 'ok', message: '', log_id: 'l' } }), { status: 200 });
const lost = () => new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
const settings: PostSettings = { caption: 'Keterangan', title: null, privacy: 'PUBLIC_TO_EVERYONE', disableComment: false, disableDuet: false, disableStitch: false };
const video = (size: number) => ({ url: 'https://portal.example/v.mp4', read: async () => Buffer.alloc(size, 1), mime: 'video/mp4', alt: '', width: null, height: null });

function client(fetch: typeof globalThis.fetch) {
  return { http: { fetch, timeoutMs: 5_000 }, baseUrl: 'https://open.tiktokapis.com', accessToken: 'act.1' };
}

test('a video is initialised with its size and chunking, then sent with Content-Range', async () => {
  const { fetch, seen } = scripted([ok({ publish_id: 'v_pub_file~1', upload_url: 'https://upload.example/u/1' }), () => new Response(null, { status: 201 })]);
  const c = client(fetch);
  const id = await sendVideo(c, video(1000), settings, { chunkSize: 10 * MiB, uploadHttp: c.http, signal: new AbortController().signal });
  assert.equal(id, 'v_pub_file~1');
  const init = JSON.parse(String(seen[0]!.body)) as { post_info: Record<string, unknown>; source_info: Record<string, unknown> };
  assert.equal(init.post_info.title, 'Keterangan');
  assert.equal(init.post_info.privacy_level, 'PUBLIC_TO_EVERYONE');
  assert.deepEqual(init.source_info, { source: 'FILE_UPLOAD', video_size: 1000, chunk_size: 1000, total_chunk_count: 1 });
  assert.equal(seen[1]!.headers['content-range'], 'bytes 0-999/1000');
  assert.equal(seen[1]!.headers.authorization, undefined, 'the upload URL is pre-signed');
});

test('a lost answer to the last chunk is settled by the post\'s status: all bytes there, nothing is sent again', async () => {
  const { fetch, seen } = scripted([
    ok({ publish_id: 'v_pub_file~2', upload_url: 'https://upload.example/u/2' }),
    lost,
    ok({ status: 'PROCESSING_UPLOAD', uploaded_bytes: 1000 }),
  ]);
  const c = client(fetch);
  const id = await sendVideo(c, video(1000), settings, { chunkSize: 10 * MiB, uploadHttp: c.http, signal: new AbortController().signal });
  assert.equal(id, 'v_pub_file~2');
  assert.equal(seen.length, 3);
  assert.match(seen[2]!.url, /\/v2\/post\/publish\/status\/fetch\/$/);
});

test('a lost last chunk TikTok did not get is sent again; if the status cannot be read, the post is uncertain', async () => {
  const again = scripted([
    ok({ publish_id: 'v_pub_file~3', upload_url: 'https://upload.example/u/3' }),
    lost,
    ok({ status: 'PROCESSING_UPLOAD', uploaded_bytes: 0 }),
    () => new Response(null, { status: 201 }),
  ]);
  const c = client(again.fetch);
  await sendVideo(c, video(1000), settings, { chunkSize: 10 * MiB, uploadHttp: c.http, signal: new AbortController().signal });
  assert.equal(again.seen.filter((s) => s.method === 'PUT').length, 2);

  const unknown = scripted([ok({ publish_id: 'v_pub_file~4', upload_url: 'https://upload.example/u/4' }), lost, lost]);
  const u = client(unknown.fetch);
  const failure = await sendVideo(u, video(1000), settings, { chunkSize: 10 * MiB, uploadHttp: u.http, signal: new AbortController().signal })
    .then(() => assert.fail('expected a failure'), (error: unknown) => error);
  assert.ok(failure instanceof ConnectorError);
  assert.equal(failure.kind, 'uncertain');
});

test('status: followed until published with its post id; a FAILED post throws its reason', async () => {
  // TikTok sends the id as a 64-bit number, beyond what a double holds: its digits must survive.
  const complete = () => new Response('{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[7350000000000000001]},"error":{"code":"ok"}}', { status: 200 });
  const { fetch } = scripted([ok({ status: 'PROCESSING_DOWNLOAD' }), complete]);
  let clock = 0;
  const settled = await settle(client(fetch), 'p_pub_url~1', { waitMs: 10_000, pollMs: 1, now: () => clock++, signal: new AbortController().signal, public: true });
  assert.deepEqual(settled, { postId: '7350000000000000001', status: 'PUBLISH_COMPLETE' });

  const capped = scripted([ok({ status: 'FAILED', fail_reason: 'spam_risk_too_many_posts' })]);
  const failure = await settle(client(capped.fetch), 'p_pub_url~2', { waitMs: 10_000, pollMs: 1, now: () => 0, signal: new AbortController().signal, public: true })
    .then(() => assert.fail('expected a failure'), (error: unknown) => error);
  assert.ok(failure instanceof ConnectorError);
  assert.equal(failure.code, 'daily_cap');
});

test('status: a private post completes without a post id, and a status that cannot be read leaves the post as taken', async () => {
  const privately = scripted([ok({ status: 'PUBLISH_COMPLETE', publicaly_available_post_id: [] })]);
  assert.deepEqual(await settle(client(privately.fetch), 'v_pub_file~5', { waitMs: 10_000, pollMs: 1, now: () => 0, signal: new AbortController().signal, public: false }), { postId: null, status: 'PUBLISH_COMPLETE' });
  const broken = scripted([() => new Response('oops', { status: 500 })]);
  assert.equal((await settle(client(broken.fetch), 'v_pub_file~6', { waitMs: 10_000, pollMs: 1, now: () => 0, signal: new AbortController().signal, public: true })).postId, null);
});
