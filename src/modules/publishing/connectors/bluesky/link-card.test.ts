// Bluesky link cards: the page reader and thumbnail against pages served from a local node:http server on
// 127.0.0.1 (no outside network), and the connector against the sandbox: a card when the post has a link and no
// images, the post without a card (but published) whenever the card cannot be built, and nothing rebuilt on a retry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AtpAgent } from '@atproto/api';
import sharp from 'sharp';
import { isAutomatedAgent } from '../../../portal/links/short-links.ts';
import { startSandbox } from '../../../sandbox/index.ts';
import type { Sandbox, SandboxAccount } from '../../../sandbox/index.ts';
import { createBlueskyConnector } from './connector.ts';
import { LinkCardError, fitThumb, forbiddenAddress, readLinkPreview, readPageMeta, readThumb, THUMB_MAX_BYTES } from './link-card.ts';
import { failureOf, image, requestFor } from '../test-support.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let site = '';
let sandbox: Sandbox;
const hits: { path: string; userAgent: string }[] = [];
const pages = new Map<string, Handler>();
let picture: Buffer;
let noisy: Buffer;

const html = (body: string, type = 'text/html; charset=utf-8'): Handler => (_request, response) => {
  response.writeHead(200, { 'content-type': type });
  response.end(body);
};

before(async () => {
  picture = await sharp({ create: { width: 1200, height: 630, channels: 3, background: '#0a7f5a' } }).png().toBuffer();
  // Random noise does not compress: well over Bluesky's 1,000,000-byte thumbnail limit as a PNG.
  noisy = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
  pages.set('/berita/jembatan', html(`<!doctype html><html lang="id"><head>
<meta charset="utf-8"><title>Judul tab yang tidak dipakai</title>
<!-- <meta property="og:title" content="Komentar, bukan judul"> -->
<script>document.write('<meta property="og:title" content="Skrip, bukan judul">')</script>
<meta content="Jembatan Mahakam IV diresmikan" property="og:title">
<meta property='og:description' content='Gubernur meresmikan jembatan &amp; jalan akses &#8212; dibuka untuk umum hari ini.'>
<meta property="og:image" content="/gambar/jembatan.png">
</head><body><meta property="og:title" content="Di badan, bukan judul"><h1>Isi</h1></body></html>`));
  pages.set('/gambar/jembatan.png', (_request, response) => {
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': picture.length });
    response.end(picture);
  });
  pages.set('/r/Ab12Cd34', (_request, response) => {
    response.writeHead(302, { location: '/berita/jembatan?utm_source=bluesky' });
    response.end();
  });
  pages.set('/tanpa-og', html('<html><head><TITLE>Jadwal  Posyandu\n Samarinda</TITLE><meta name=description content="Posyandu buka pukul 08.00 WITA."></head><body></body></html>'));
  // An older site: the charset only in a <meta>, the bytes in windows-1252 (0xE9 is "é").
  pages.set('/lama', (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(Buffer.concat([Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>Caf'), Buffer.from([0xe9]), Buffer.from(' Samarinda</title></head></html>')]));
  });
  pages.set('/tanpa-judul', html('<html><head><meta name="description" content="Tanpa judul"></head><body>Halo</body></html>'));
  pages.set('/dokumen.pdf', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/pdf' });
    response.end('%PDF-1.7');
  });
  pages.set('/gambar-besar', html('<head><meta property="og:title" content="Foto besar"><meta property="og:image" content="/besar.jpg"></head>'));
  pages.set('/besar.jpg', (_request, response) => {
    const big = Buffer.alloc(6_000_000, 0xab);
    response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': big.length });
    response.end(big);
  });
  pages.set('/besar-tanpa-panjang.jpg', (_request, response) => {
    // No content-length (chunked): the cap is found while reading.
    response.writeHead(200, { 'content-type': 'image/jpeg' });
    const chunk = Buffer.alloc(1_000_000, 0xab);
    for (let i = 0; i < 6; i++) response.write(chunk);
    response.end();
  });
  pages.set('/gambar-bising', html('<head><meta property="og:title" content="Foto bising"><meta property="og:image" content="/bising.png"></head>'));
  pages.set('/bising.png', (_request, response) => {
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(noisy);
  });
  pages.set('/tanpa-gambar', html('<head><meta property="og:title" content="Pengumuman"><meta property="og:description" content="Tanpa gambar."></head>'));
  pages.set('/lambat', () => { /* never answers */ });
  pages.set('/putar', (_request, response) => {
    response.writeHead(301, { location: '/putar' });
    response.end();
  });
  pages.set('/ke-ftp', (_request, response) => {
    response.writeHead(302, { location: 'ftp://127.0.0.1/berkas' });
    response.end();
  });
  server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    hits.push({ path, userAgent: request.headers['user-agent'] ?? '' });
    const handler = pages.get(path);
    if (handler) return handler(request, response);
    response.writeHead(404, { 'content-type': 'text/html' });
    response.end('<title>Tidak ditemukan</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = await startSandbox();
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await sandbox.close();
});

const reasonOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LinkCardError, String(error));
    return error.reason;
  }
  assert.fail('expected the card to fail');
};

const signal = () => new AbortController().signal;

test('Open Graph tags win over <title>; comments, scripts and the body are not read; entities decoded', async () => {
  const preview = await readLinkPreview(`${site}/berita/jembatan`, signal());
  assert.deepEqual(preview, {
    uri: `${site}/berita/jembatan`,
    title: 'Jembatan Mahakam IV diresmikan',
    description: 'Gubernur meresmikan jembatan & jalan akses — dibuka untuk umum hari ini.',
    image: `${site}/gambar/jembatan.png`,
  });
});

test('a page without Open Graph falls back to <title> and meta description', async () => {
  const preview = await readLinkPreview(`${site}/tanpa-og`, signal());
  assert.equal(preview.title, 'Jadwal Posyandu Samarinda');
  assert.equal(preview.description, 'Posyandu buka pukul 08.00 WITA.');
  assert.equal(preview.image, null);
});

test('the reader: unquoted attributes, name= for og, a page in windows-1252, no title at all', async () => {
  assert.equal((await readLinkPreview(`${site}/lama`, signal())).title, 'Café Samarinda');
  assert.deepEqual(readPageMeta('<meta name=og:title content=Halo><meta name="twitter:image" content="//cdn.example/a.png">', 'https://portal.example/x'), { title: 'Halo', description: '', image: 'https://cdn.example/a.png' });
  assert.equal(readPageMeta('<head><meta property="og:image" content="javascript:alert(1)"><title>T</title></head>', 'https://portal.example/')?.image, null);
  assert.equal(readPageMeta('<p>tanpa kepala</p>', 'https://portal.example/'), null);
  assert.equal(readPageMeta(`<title>${'panjang '.repeat(100)}</title>`, 'https://portal.example/')!.title.length, 300);
});

test('a short link is followed through its redirect; the card keeps the short link; the fetcher is not counted as a click', async () => {
  const preview = await readLinkPreview(`${site}/r/Ab12Cd34`, signal());
  assert.equal(preview.uri, `${site}/r/Ab12Cd34`);
  assert.equal(preview.title, 'Jembatan Mahakam IV diresmikan');
  // og:image is resolved against the page reached, not the short link.
  assert.equal(preview.image, `${site}/gambar/jembatan.png`);
  const agent = hits.findLast((hit) => hit.path === '/r/Ab12Cd34')!.userAgent;
  assert.match(agent, /Siar/);
  assert.equal(isAutomatedAgent(agent), true);
});

test('failures have reasons: not HTML, no title, 404, unreachable, too slow, redirect loop, non-http', async () => {
  assert.equal(await reasonOf(readLinkPreview(`${site}/dokumen.pdf`, signal())), 'not_html');
  assert.equal(await reasonOf(readLinkPreview(`${site}/tanpa-judul`, signal())), 'no_title');
  assert.equal(await reasonOf(readLinkPreview(`${site}/hilang`, signal())), 'http_status');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  assert.equal(await reasonOf(readLinkPreview(`http://127.0.0.1:${port}/`, signal())), 'unreachable');
  const started = Date.now();
  assert.equal(await reasonOf(readLinkPreview(`${site}/lambat`, signal(), { timeoutMs: 200 })), 'timeout');
  assert.ok(Date.now() - started < 2_000);
  assert.equal(await reasonOf(readLinkPreview(`${site}/putar`, signal())), 'too_many_redirects');
  assert.equal(await reasonOf(readLinkPreview(`${site}/ke-ftp`, signal())), 'not_http');
  assert.equal(await reasonOf(readLinkPreview('file:///etc/passwd', signal())), 'not_http');
});

test('a card is never read from a link-local address (cloud metadata), directly or through a redirect', async () => {
  const asked: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    asked.push(url);
    return new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
  };
  assert.equal(await reasonOf(readLinkPreview('http://169.254.169.254/latest/meta-data/', signal(), { fetch })), 'forbidden_address');
  assert.equal(await reasonOf(readLinkPreview('http://[fe80::1]/', signal(), { fetch })), 'forbidden_address');
  assert.deepEqual(asked, [], 'nothing was asked of those addresses');
  assert.equal(await reasonOf(readLinkPreview('http://127.0.0.1:9/pindah', signal(), { fetch })), 'forbidden_address');
  assert.deepEqual(asked, ['http://127.0.0.1:9/pindah'], 'the redirect to the metadata address was not followed');
  for (const address of ['169.254.169.254', '::ffff:169.254.1.1', 'fe80::1', '0.0.0.0', '224.0.0.1', '::']) assert.equal(forbiddenAddress(address), true, address);
  // The portal may live on a private or loopback address: those stay readable.
  for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.10', '::1', '203.0.113.5', 'fd00::1']) assert.equal(forbiddenAddress(address), false, address);
});

test('thumbnails: a small PNG is kept; a picture over the cap is refused, with or without content-length; a large one becomes a JPEG under 1 MB', async () => {
  const kept = await readThumb(`${site}/gambar/jembatan.png`, signal());
  assert.equal(kept.mime, 'image/png');
  assert.equal(kept.bytes.byteLength, picture.length);
  assert.equal(await reasonOf(readThumb(`${site}/besar.jpg`, signal())), 'image_too_large');
  assert.equal(await reasonOf(readThumb(`${site}/besar-tanpa-panjang.jpg`, signal())), 'image_too_large');
  assert.ok(noisy.length > THUMB_MAX_BYTES, `noise PNG: ${noisy.length} bytes`);
  const fitted = await readThumb(`${site}/bising.png`, signal());
  assert.equal(fitted.mime, 'image/jpeg');
  assert.ok(fitted.bytes.byteLength <= THUMB_MAX_BYTES, String(fitted.bytes.byteLength));
  assert.equal((await sharp(fitted.bytes).metadata()).format, 'jpeg');
  assert.equal(await reasonOf(fitThumb(Buffer.from('<html>bukan gambar</html>'))), 'image_unreadable');
});

// The connector against the sandbox PDS.

const connector = createBlueskyConnector({ requestTimeoutMs: 2_000, linkCards: { timeoutMs: 1_000 } });
const account = (handle: string): SandboxAccount => sandbox.createAccount('bluesky', { handle, displayName: `Humas ${handle}` });

async function recordOf(uri: string): Promise<Record<string, unknown>> {
  const [, , repo, collection, rkey] = uri.split('/');
  const { data } = await new AtpAgent({ service: sandbox.urls.bluesky }).com.atproto.repo.getRecord({ repo: repo!, collection: collection!, rkey: rkey! });
  return data.value as Record<string, unknown>;
}

interface ExternalEmbed { $type: string; external: { uri: string; title: string; description: string; thumb?: { $type: string; mimeType: string; size: number; ref: { $link: string } } } }

test('a post with a link and no images carries a card built from the page, its thumbnail uploaded as a blob', async () => {
  const humas = account('humaskartu');
  const link = `${site}/r/Ab12Cd34`;
  const text = `Jembatan Mahakam IV resmi dibuka. Selengkapnya: ${link} #Kaltim`;
  const result = await connector.publish(requestFor('bluesky', humas, { parts: [text, 'Bagian dua'] }));
  const record = await recordOf(result.externalId);
  const embed = record.embed as ExternalEmbed;
  assert.equal(embed.$type, 'app.bsky.embed.external');
  assert.equal(embed.external.uri, link);
  assert.equal(embed.external.title, 'Jembatan Mahakam IV diresmikan');
  assert.equal(embed.external.description, 'Gubernur meresmikan jembatan & jalan akses — dibuka untuk umum hari ini.');
  assert.equal(embed.external.thumb?.mimeType, 'image/png');
  assert.equal(embed.external.thumb?.size, picture.length);
  // The link is still a facet, and the thread's second part has no card.
  const facets = record.facets as { features: { $type: string; uri?: string }[] }[];
  assert.ok(facets.some((f) => f.features[0]?.uri === link));
  assert.equal((await recordOf(result.parts[1]!.externalId)).embed, undefined);

  // The blob is the picture, as any Bluesky app would fetch it to draw the card.
  const view = await new AtpAgent({ service: sandbox.urls.bluesky }).app.bsky.feed.getPosts({ uris: [result.externalId] });
  const shown = view.data.posts[0]!.embed as { external: { thumb?: string; title: string } };
  assert.equal(shown.external.title, 'Jembatan Mahakam IV diresmikan');
  const blob = Buffer.from(await (await fetch(shown.external.thumb!)).arrayBuffer());
  assert.ok(blob.equals(picture));

  // The practice timeline shows the card: title, description and thumbnail.
  const page = await (await fetch(`${sandbox.urls.web}/bluesky/${encodeURIComponent(humas.handle)}`)).text();
  assert.match(page, /Jembatan Mahakam IV diresmikan/);
  assert.match(page, /dibuka untuk umum hari ini/);
  const thumb = /<a class="card"[^>]*><img src="([^"]+)"/.exec(page)?.[1];
  assert.ok(thumb, 'the card on the practice timeline has its thumbnail');
  assert.equal((await (await fetch(thumb.replaceAll('&amp;', '&'))).arrayBuffer()).byteLength, picture.length);
});

test('a page without Open Graph gives a card titled from <title>, with no thumbnail', async () => {
  const humas = account('humaskartu2');
  const result = await connector.publish(requestFor('bluesky', humas, { parts: [`Jadwal posyandu: ${site}/tanpa-og`] }));
  const embed = (await recordOf(result.externalId)).embed as ExternalEmbed;
  assert.equal(embed.external.title, 'Jadwal Posyandu Samarinda');
  assert.equal(embed.external.description, 'Posyandu buka pukul 08.00 WITA.');
  assert.equal(embed.external.thumb, undefined);
});

test('no card, but the post is published, when the link is unreachable, not HTML, or its picture too big', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  for (const [handle, link] of [['humasputus', `http://127.0.0.1:${port}/berita`], ['humaspdf', `${site}/dokumen.pdf`], ['humasbesar', `${site}/gambar-besar`], ['humaslambat', `${site}/lambat`]] as const) {
    const humas = account(handle);
    const text = `Info lengkap ${link}`;
    const result = await connector.publish(requestFor('bluesky', humas, { parts: [text] }));
    const record = await recordOf(result.externalId);
    assert.equal(record.embed, undefined, handle);
    assert.equal(record.text, text);
    assert.ok((record.facets as unknown[]).length === 1, `${handle}: the link facet stays`);
    assert.equal(sandbox.stats(humas.id).created, 1);
  }
});

test('a post with images gets no card, and the linked page is not even fetched', async () => {
  const humas = account('humasfoto');
  const before = hits.length;
  const result = await connector.publish(requestFor('bluesky', humas, { parts: [`Foto peresmian ${site}/tanpa-gambar`], media: [image('Gubernur menggunting pita')] }));
  const embed = (await recordOf(result.externalId)).embed as { $type: string };
  assert.equal(embed.$type, 'app.bsky.embed.images');
  assert.equal(hits.length, before);
});

test('with link cards off, links stay plain facets', async () => {
  const plain = createBlueskyConnector({ requestTimeoutMs: 2_000, linkCards: false });
  const humas = account('humaspolos');
  const before = hits.length;
  const result = await plain.publish(requestFor('bluesky', humas, { parts: [`Pengumuman ${site}/tanpa-gambar`] }));
  assert.equal((await recordOf(result.externalId)).embed, undefined);
  assert.equal(hits.length, before);
});

test('a lost answer: the retry finds the record with its card and fetches nothing again', async () => {
  const humas = account('humaskartuulang');
  const request = requestFor('bluesky', humas, { parts: [`Pengumuman ${site}/tanpa-gambar`] });
  sandbox.injectFault(humas.id, { kind: 'lost_response', times: 1 });
  const failure = await failureOf(connector.publish(request));
  assert.equal(failure.kind, 'uncertain');
  const fetched = hits.filter((hit) => hit.path === '/tanpa-gambar').length;
  const again = await connector.publish({ ...request, attempt: 2 });
  assert.equal(hits.filter((hit) => hit.path === '/tanpa-gambar').length, fetched, 'the page is not read again');
  assert.equal(sandbox.stats(humas.id).created, 1);
  const embed = (await recordOf(again.externalId)).embed as ExternalEmbed;
  assert.equal(embed.external.title, 'Pengumuman');
});

test('a cancelled call is cancelled, not published without its card', async () => {
  const humas = account('humasbatal');
  const controller = new AbortController();
  const request = requestFor('bluesky', humas, { parts: [`Sebentar ${site}/lambat`], signal: controller.signal });
  const pending = connector.publish(request);
  setTimeout(() => controller.abort(), 100);
  const failure = await failureOf(pending);
  assert.equal(failure.code, 'aborted');
  assert.equal(sandbox.stats(humas.id).created, 0);
});
