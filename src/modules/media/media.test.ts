/**
 * The media library through the HTTP server, on both backends: uploads as a browser sends them
 * (multipart), what is stored and served, every refusal leaving nothing behind, and who may do what.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import sharp from 'sharp';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { loginFresh, startTestServer, type TestServer } from '../../../test/server.ts';
import type { Role } from '../../db/schema.ts';
import { makeAuthenticate } from '../../http/authenticate.ts';
import { handleError } from '../../http/error-handler.ts';
import type { App } from '../../http/types.ts';
import { systemActor } from '../audit/record.ts';
import { createToken } from '../tokens/tokens.ts';
import { createUnit } from '../units/save-unit.ts';
import { createUser } from '../users/manage-users.ts';
import { mediaLimits } from './limits.ts';
import { mediaRoutes } from './routes.ts';
import { localDiskStorage, mediaRoot } from './storage.ts';
import { animatedGif, mp4, multipartBody, phoneJpeg, photo } from './test-fixtures.ts';

interface FilePart {
  name: string;
  data: Buffer;
  contentType?: string;
  field?: string;
}

/** Every file under a folder, relative paths. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

function uploadTo(app: App, token: string, fields: Record<string, string>, file?: FilePart, afterFile?: Record<string, string>) {
  const { payload, contentType } = multipartBody(fields, file, afterFile);
  return app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
}

const pathOf = (url: string): string => new URL(url, 'http://siar.test').pathname;

for (const backend of backendNames) {
  describe(`media library (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let root: string;
    const units = { top: '', dinas: '', other: '' };
    const tokens = new Map<'editor' | 'viewer' | 'outsider', string>();
    const userIds = new Map<string, string>();
    let jpeg: Buffer;

    const upload = (who: 'editor' | 'viewer' | 'outsider', fields: Record<string, string>, file?: FilePart, afterFile?: Record<string, string>) =>
      uploadTo(server.app, tokens.get(who)!, fields, file, afterFile);
    const get = (who: 'editor' | 'viewer' | 'outsider', url: string) => server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens.get(who)!}` } });
    const mediaCount = async () => Number((await server.siar.services.db.selectFrom('media').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

    /** Runs a refused upload and checks that it left no row and no file. */
    async function refused(status: number, code: string, send: () => ReturnType<typeof upload>) {
      const rowsBefore = await mediaCount();
      const filesBefore = filesUnder(root);
      const response = await send();
      assert.equal(response.statusCode, status, response.body);
      assert.equal(response.json().error.code, code);
      assert.equal(typeof response.json().error.message, 'string');
      assert.equal(await mediaCount(), rowsBefore, 'no new row');
      assert.deepEqual(filesUnder(root), filesBefore, 'no new file (not even a temp file)');
      return response;
    }

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      root = mediaRoot(server.siar.services.config);
      const db = server.siar.services.db;
      const origin = systemActor('test');
      units.top = (await db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
      units.dinas = (await createUnit(db, { parentId: units.top, kind: 'agency', name: 'Dinas Kominfo Uji' }, origin)).id;
      units.other = (await createUnit(db, { parentId: units.top, kind: 'agency', name: 'Dinas Pariwisata Uji' }, origin)).id;
      const people: [('editor' | 'viewer' | 'outsider'), string, Role][] = [['editor', units.dinas, 'editor'], ['viewer', units.dinas, 'viewer'], ['outsider', units.other, 'editor']];
      for (const [who, unitId, role] of people) {
        const { user } = await createUser(db, { email: `${who}@media.uji.go.id`, name: `Uji ${who}`, unitId, role }, origin);
        await db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
        userIds.set(who, user.id);
        tokens.set(who, (await createToken(db, { userId: user.id, name: 'media' }, origin)).secret);
      }
      jpeg = await phoneJpeg(1200, 800, 6);
    });
    after(() => server.close());

    test('a phone JPEG is stored upright without GPS, with thumbnail and renditions, and served publicly with safe headers', async () => {
      const response = await upload('editor', { unitId: units.dinas, alt: '  Gubernur meninjau banjir di Samarinda ' }, { name: 'IMG_0001.JPG', data: jpeg, contentType: 'image/jpeg' });
      assert.equal(response.statusCode, 201, response.body);
      const media = response.json();
      assert.equal(media.unitId, units.dinas);
      assert.deepEqual([media.kind, media.mime, media.width, media.height], ['image', 'image/jpeg', 800, 1200]);
      assert.equal(media.alt, 'Gubernur meninjau banjir di Samarinda');
      assert.equal(media.originalName, 'IMG_0001.JPG');
      assert.equal(media.uploadedBy, userIds.get('editor'));
      assert.equal(media.durationMs, null);
      assert.match(media.url, /^\/media\/files\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
      assert.match(media.thumbnailUrl, /-thumb\.webp$/);
      assert.deepEqual([media.renditions.instagram.mime, media.renditions.instagram.width, media.renditions.instagram.height], ['image/jpeg', 800, 1000]);
      assert.equal(media.renditions.web.mime, 'image/webp');
      assert.equal(filesUnder(root).filter((f) => !f.startsWith('.tmp')).length, 4, 'original, thumbnail, instagram, web');
      assert.deepEqual(filesUnder(path.join(root, '.tmp')), [], 'no temp file left');

      // Public: no credentials at all.
      const file = await server.app.inject({ method: 'GET', url: pathOf(media.url) });
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers['content-type'], 'image/jpeg');
      assert.equal(file.headers['x-content-type-options'], 'nosniff');
      assert.equal(file.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(file.headers['content-disposition'], 'inline');
      assert.match(String(file.headers['content-security-policy']), /^default-src 'none'/);
      assert.equal(Number(file.headers['content-length']), media.bytes);
      const served = await sharp(file.rawPayload).metadata();
      assert.deepEqual([served.width, served.height, served.exif, served.orientation], [800, 1200, undefined, undefined], 'served without EXIF/GPS, upright');
      assert.ok(!file.rawPayload.includes(Buffer.from('Siar Test Phone')));

      const part = await server.app.inject({ method: 'GET', url: pathOf(media.url), headers: { range: 'bytes=0-99' } });
      assert.equal(part.statusCode, 206);
      assert.equal(part.rawPayload.length, 100);
      assert.equal(part.headers['content-range'], `bytes 0-99/${media.bytes}`);

      const thumb = await server.app.inject({ method: 'GET', url: pathOf(media.thumbnailUrl) });
      assert.deepEqual([thumb.statusCode, thumb.headers['content-type']], [200, 'image/webp']);
      const instagram = await server.app.inject({ method: 'GET', url: pathOf(media.renditions.instagram.url) });
      assert.equal((await sharp(instagram.rawPayload).metadata()).height, 1000);

      const audit = await server.siar.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'media.upload').where('entity_id', '=', media.id).executeTakeFirst();
      assert.ok(audit, 'audit entry written');
      assert.equal(audit.unit_id, units.dinas);

      // Read back through the API.
      const one = await get('viewer', `/api/v1/media/${media.id}`);
      assert.equal(one.statusCode, 200);
      assert.deepEqual(one.json(), media);
    });

    test('the same file uploaded again to the same unit returns the existing item', async () => {
      const rows = await mediaCount();
      const files = filesUnder(root);
      const first = await get('editor', '/api/v1/media?limit=200');
      const again = await upload('editor', { unitId: units.dinas }, { name: 'copy.jpg', data: jpeg });
      assert.equal(again.statusCode, 200);
      assert.ok(first.json().items.some((m: { id: string }) => m.id === again.json().id));
      assert.equal(await mediaCount(), rows);
      assert.deepEqual(filesUnder(root), files);
    });

    test('a PNG named .jpg and sent as image/jpeg is treated as a PNG', async () => {
      const png = await photo(320, 240).png().toBuffer();
      const response = await upload('editor', { unitId: units.dinas }, { name: 'photo.jpg', data: png, contentType: 'image/jpeg' });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().mime, 'image/png');
      assert.match(response.json().url, /\.png$/);
      const file = await server.app.inject({ method: 'GET', url: pathOf(response.json().url) });
      assert.equal(file.headers['content-type'], 'image/png');
    });

    test('refusals are clear and leave no row and no file', async () => {
      await refused(415, 'media.unsupported_type', () => upload('editor', { unitId: units.dinas }, { name: 'photo.jpg', data: Buffer.from('ini bukan foto, hanya teks biasa yang menyamar sebagai JPEG.\n'.repeat(20)), contentType: 'image/jpeg' }));
      // A script disguised as an image, with the fields after the file.
      await refused(415, 'media.unsupported_type', () => upload('editor', {}, { name: 'x.png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), contentType: 'image/png' }, { unitId: units.dinas }));
      await refused(400, 'media.empty', () => upload('editor', { unitId: units.dinas }, { name: 'kosong.jpg', data: Buffer.alloc(0) }));
      const whole = await photo(900, 600).jpeg().toBuffer();
      await refused(400, 'media.corrupt', () => upload('editor', { unitId: units.dinas }, { name: 'terpotong.jpg', data: whole.subarray(0, Math.floor(whole.length / 2)) }));
      const gif = await animatedGif(60, 40, 5);
      await refused(400, 'media.corrupt', () => upload('editor', { unitId: units.dinas }, { name: 'putus.gif', data: gif.subarray(0, Math.floor(gif.length * 0.7)) }));
      const video = mp4();
      await refused(400, 'media.corrupt', () => upload('editor', { unitId: units.dinas }, { name: 'tanpa-moov.mp4', data: video.subarray(0, video.length - 150) }));
      await refused(400, 'media.missing_file', () => upload('editor', { unitId: units.dinas }));
      await refused(400, 'validation.invalid', () => upload('editor', { unitId: 'bukan-uuid' }, { name: 'a.jpg', data: whole }));
      await refused(400, 'validation.invalid', () => upload('editor', { unitId: units.dinas, alt: 'x'.repeat(1501) }, { name: 'a.jpg', data: whole }));
      await refused(400, 'validation.invalid', () => upload('editor', { unitId: units.dinas }, { name: 'a.jpg', data: whole, field: 'foto' }));
      const json = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${tokens.get('editor')!}` }, payload: { unitId: units.dinas } });
      assert.equal(json.statusCode, 415);
      assert.equal(json.json().error.code, 'request.unsupported_media_type');
    });

    test('an upload over the kind’s limit is cut off with 413 (real route, real limits)', async () => {
      // JPEG magic then 20 MB + 1 byte: the photo limit applies as soon as the first bytes show a photo.
      const oversized = Buffer.alloc(mediaLimits.image + 1, 0x41);
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(oversized);
      const response = await refused(413, 'media.too_large', () => upload('editor', { unitId: units.dinas }, { name: 'besar.jpg', data: oversized }));
      assert.match(response.json().error.message, /20 MB/);
      assert.equal(response.headers.connection, 'close');
    });

    test('who may upload: editors; a viewer is refused (403), someone from another unit does not see it (404)', async () => {
      const small = await photo(200, 200).jpeg().toBuffer();
      await refused(403, 'forbidden', () => upload('viewer', { unitId: units.dinas }, { name: 'a.jpg', data: small }));
      await refused(404, 'not_found', () => upload('outsider', { unitId: units.dinas }, { name: 'a.jpg', data: small }));
      await refused(404, 'not_found', () => upload('editor', { unitId: '6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11' }, { name: 'a.jpg', data: small }));
      // Fields after the file: the rights are checked once the form is read, still nothing stored.
      await refused(403, 'forbidden', () => upload('viewer', {}, { name: 'a.jpg', data: small }, { unitId: units.dinas }));
      const anonymous = multipartBody({ unitId: units.dinas }, { name: 'a.jpg', data: small });
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { 'content-type': anonymous.contentType }, payload: anonymous.payload });
      assert.equal(response.statusCode, 401);
    });

    test('a signed-in person uploads with the session cookie and CSRF token, like the admin app', async () => {
      const admin = await loginFresh(server.app, server.firstAdmin.email, server.firstAdmin.password);
      const gif = await animatedGif(48, 32, 3);
      const { payload, contentType } = multipartBody({ unitId: units.top, alt: 'Animasi logo' }, { name: 'logo.gif', data: gif, contentType: 'image/gif' });
      const withoutCsrf = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { cookie: admin.session!.cookie, 'content-type': contentType }, payload });
      assert.equal(withoutCsrf.statusCode, 403);
      assert.equal(withoutCsrf.json().error.code, 'auth.csrf');
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { cookie: admin.session!.cookie, 'x-csrf-token': admin.session!.csrf, 'content-type': contentType }, payload });
      assert.equal(response.statusCode, 201, response.body);
      const media = response.json();
      assert.deepEqual([media.kind, media.mime, media.width, media.height, media.renditions], ['gif', 'image/gif', 48, 32, {}]);
      const served = await server.app.inject({ method: 'GET', url: pathOf(media.url) });
      assert.ok(served.rawPayload.equals(gif), 'the GIF is kept as uploaded');
      assert.match(media.thumbnailUrl, /-thumb\.webp$/);
    });

    test('a video is stored as uploaded with its size and duration, no thumbnail', async () => {
      const video = mp4({ width: 1920, height: 1080, turned: true, timescale: 1000, duration: 42_000 });
      const response = await upload('editor', { unitId: units.dinas }, { name: 'liputan.mov', data: video, contentType: 'video/quicktime' });
      assert.equal(response.statusCode, 201, response.body);
      const media = response.json();
      assert.deepEqual([media.kind, media.mime, media.width, media.height, media.durationMs, media.thumbnailUrl, media.renditions], ['video', 'video/mp4', 1080, 1920, 42_000, null, {}]);
      assert.match(media.url, /\.mp4$/);
      const served = await server.app.inject({ method: 'GET', url: pathOf(media.url) });
      assert.equal(served.headers['content-type'], 'video/mp4');
      assert.ok(served.rawPayload.equals(video));
    });

    test('the list shows the units the caller can see, newest first, with filters and pages', async () => {
      const visible = await get('editor', `/api/v1/media?unitId=${units.dinas}&limit=200`);
      assert.equal(visible.statusCode, 200);
      const items = visible.json().items as { id: string; kind: string; createdAt: string; unitId: string }[];
      assert.ok(items.length >= 3);
      assert.ok(items.every((m) => m.unitId === units.dinas));
      const times = items.map((m) => m.createdAt);
      assert.deepEqual(times, [...times].sort().reverse(), 'newest first');

      const videos = (await get('viewer', '/api/v1/media?kind=video')).json().items as { kind: string }[];
      assert.ok(videos.length === 1 && videos[0]!.kind === 'video');
      const found = (await get('viewer', '/api/v1/media?q=banjir')).json().items as { alt: string }[];
      assert.deepEqual(found.map((m) => m.alt), ['Gubernur meninjau banjir di Samarinda']);
      assert.deepEqual((await get('viewer', '/api/v1/media?q=%25')).json().items, [], 'a % is a character, not a wildcard');

      // Pages of one: every item exactly once.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await get('editor', `/api/v1/media?unitId=${units.dinas}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(page.statusCode, 200, page.body);
        seen.push(...page.json().items.map((m: { id: string }) => m.id));
        cursor = page.json().nextCursor;
      } while (cursor);
      assert.deepEqual(seen, items.map((m) => m.id));

      // Someone from another unit sees none of it, and cannot ask for it.
      const outsider = (await get('outsider', '/api/v1/media')).json().items as { unitId: string }[];
      assert.ok(outsider.every((m) => m.unitId === units.other));
      assert.equal((await get('outsider', `/api/v1/media?unitId=${units.dinas}`)).statusCode, 404);
      assert.equal((await get('outsider', `/api/v1/media/${items[0]!.id}`)).statusCode, 404);
      assert.equal((await get('editor', '/api/v1/media?cursor=kemarin')).statusCode, 400);
    });

    test('alt text: editors change it, viewers may not', async () => {
      const id = ((await get('editor', `/api/v1/media?unitId=${units.dinas}&kind=image&limit=1`)).json().items[0] as { id: string }).id;
      const patch = (who: 'editor' | 'viewer' | 'outsider', alt: string) =>
        server.app.inject({ method: 'PATCH', url: `/api/v1/media/${id}`, headers: { authorization: `Bearer ${tokens.get(who)!}` }, payload: { alt } });
      assert.equal((await patch('viewer', 'x')).statusCode, 403);
      assert.equal((await patch('outsider', 'x')).statusCode, 404);
      const changed = await patch('editor', 'Foto udara banjir Sungai Karang Mumus');
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().alt, 'Foto udara banjir Sungai Karang Mumus');
      assert.ok(await server.siar.services.db.selectFrom('audit_log').select('id').where('action', '=', 'media.update').where('entity_id', '=', id).executeTakeFirst());
    });

    test('delete: refused while a post uses it (409), then the row and every file go', async () => {
      const db = server.siar.services.db;
      const small = await photo(500, 300).jpeg().toBuffer();
      const media = (await upload('editor', { unitId: units.dinas }, { name: 'hapus.jpg', data: small })).json();
      const post = await db.insertInto('posts').values({ unit_id: units.dinas, author_id: userIds.get('editor')!, title: 'Banjir', rubric_id: null, portal_url: null, serta_merta: null }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('post_media').values({ post_id: post.id, media_id: media.id, position: 0, alt: 'Banjir' }).execute();
      const remove = (who: 'editor' | 'viewer' | 'outsider') => server.app.inject({ method: 'DELETE', url: `/api/v1/media/${media.id}`, headers: { authorization: `Bearer ${tokens.get(who)!}` } });

      assert.equal((await remove('viewer')).statusCode, 403);
      assert.equal((await remove('outsider')).statusCode, 404);
      const inUse = await remove('editor');
      assert.equal(inUse.statusCode, 409);
      assert.equal(inUse.json().error.code, 'media.in_use');
      assert.equal((await server.app.inject({ method: 'GET', url: pathOf(media.url) })).statusCode, 200, 'still served');

      await db.deleteFrom('post_media').where('post_id', '=', post.id).execute();
      const files = filesUnder(root);
      const deleted = await remove('editor');
      assert.equal(deleted.statusCode, 204);
      assert.equal((await get('editor', `/api/v1/media/${media.id}`)).statusCode, 404);
      for (const url of [media.url, media.thumbnailUrl, media.renditions.web.url]) {
        assert.equal((await server.app.inject({ method: 'GET', url: pathOf(url) })).statusCode, 404, url);
      }
      // 500×300 suits Instagram as it is: that rendition is the original file, so three files in all.
      assert.equal(media.renditions.instagram.url, media.url);
      assert.equal(filesUnder(root).length, files.length - 3);
      assert.ok(await db.selectFrom('audit_log').select('id').where('action', '=', 'media.delete').where('entity_id', '=', media.id).executeTakeFirst());
    });

    test('the public file route serves stored keys only', async () => {
      for (const url of ['/media/files/..%2f..%2fetc%2fpasswd', '/media/files/2026/01/../../../etc/passwd', '/media/files/.tmp/x', '/media/files/2026/01/6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11.jpg', '/media/files/']) {
        const response = await server.app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
      }
    });
  });
}

describe('multipart limit (lowered for the test)', () => {
  let server: TestServer;
  let app: App;
  let token: string;
  let unitId: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'siar-media-limit-'));

  before(async () => {
    server = await startTestServer({ demo: false });
    const services = server.siar.services;
    const origin = systemActor('test');
    unitId = (await services.db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
    const { user } = await createUser(services.db, { email: 'limit@media.uji.go.id', name: 'Uji Batas', unitId, role: 'editor' }, origin);
    await services.db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
    token = (await createToken(services.db, { userId: user.id, name: 'limit' }, origin)).secret;
    // The same plumbing as the real server, with the media routes' limits lowered.
    app = Fastify({ logger: false }) as unknown as App;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    app.setErrorHandler(handleError);
    app.decorateRequest('auth', null);
    await app.register(cookie);
    await app.register(async (api: App) => {
      api.addHook('onRequest', makeAuthenticate(services.auth));
      await api.register(mediaRoutes, { services, storage: localDiskStorage(dir), limits: { image: 4000, gif: 4000, video: 8000 } });
    }, { prefix: '/api/v1' });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file over the largest limit is cut off by the multipart reader with 413', async () => {
    const video = Buffer.concat([mp4(), Buffer.alloc(9000)]);
    const response = await uploadTo(app, token, { unitId }, { name: 'panjang.mp4', data: video });
    assert.equal(response.statusCode, 413, response.body);
    assert.equal(response.json().error.code, 'media.too_large');
    assert.match(response.json().error.message, /video 7\.9 KB|video 8 KB/);
    const image = await uploadTo(app, token, { unitId }, { name: 'besar.jpg', data: await photo(300, 300).jpeg().toBuffer() });
    assert.equal(image.statusCode, 413);
    assert.deepEqual(filesUnder(dir), []);
    const fits = await uploadTo(app, token, { unitId }, { name: 'kecil.mp4', data: mp4() });
    assert.equal(fits.statusCode, 201, fits.body);
    assert.equal(filesUnder(dir).length, 1);
  });

  test('two files, or too many fields, are refused cleanly', async () => {
    const small = mp4();
    const boundary = 'siarbatas';
    const part = (name: string, filename: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: video/mp4\r\n\r\n`;
    const twoFiles = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="unitId"\r\n\r\n${unitId}\r\n`),
      Buffer.from(part('file', 'a.mp4')), small, Buffer.from('\r\n'),
      Buffer.from(part('file', 'b.mp4')), small, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: twoFiles });
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`);
    const fields = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, 'x']));
    const many = await uploadTo(app, token, { unitId, ...fields }, { name: 'a.mp4', data: small });
    assert.equal(many.statusCode, 400, many.body);
    const garbage = await app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' }, payload: 'not multipart at all' });
    assert.ok(garbage.statusCode >= 400 && garbage.statusCode < 500, `${garbage.statusCode} ${garbage.body}`);
    const noBoundary = await app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data' }, payload: 'x' });
    assert.ok(noBoundary.statusCode >= 400 && noBoundary.statusCode < 500, `${noBoundary.statusCode} ${noBoundary.body}`);
  });
});

describe('Range requests on public files', () => {
  test('single byte ranges are honoured; anything else gets the whole file', async () => {
    const { parseRange } = await import('./routes.ts');
    assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
    assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
    assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 });
    for (const header of [undefined, 'bytes=1000-', 'bytes=5-1', 'bytes=0-1,5-9', 'items=0-1', 'bytes=-', 'bytes=abc']) {
      assert.equal(parseRange(header, 1000), null, String(header));
    }
  });
});
