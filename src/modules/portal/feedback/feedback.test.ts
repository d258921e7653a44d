/**
 * A citizen sending feedback under an article, over HTTP as a browser would: what is typed comes
 * back (escaped) with each error beside its field; robots and replayed, forged or expired checks
 * are turned away; too many sends from one address wait; and what is accepted is stored for the
 * article's unit.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../../test/server.ts';
import { liveArticle, withoutReview } from '../feeds/test-articles.ts';
import { ChallengeSigner, leadingZeroBits, NO_SCRIPT_WAIT_MS } from './challenge.ts';
import { feedbackFormHtml } from './form.ts';
import { solveChallenge } from './test-pow.ts';

let addressCounter = 0;
/** Each test sends from an address of its own, so the send limit of one does not touch another. */
const newAddress = () => `198.51.100.${++addressCounter}`;

for (const backend of backendNames) {
  describe(`citizens' feedback under an article (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let unit: string;
    let admin: Person;
    let slug: string;
    let postId: string;

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      unit = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Perhubungan Uji');
      admin = await makePerson(server, unit, 'admin', 'Rina Wulandari');
      await withoutReview(admin, unit);
      ({ slug, postId } = await liveArticle(server, admin, { unitId: unit, title: 'Jadwal kapal penyeberangan Samarinda' }));
    });
    after(() => server.close());

    const db = () => server.siar.services.db;
    const stored = () => db().selectFrom('portal_feedback').selectAll().where('post_id', '=', postId).orderBy('created_at').execute();
    const signer = () => new ChallengeSigner(server.siar.services.keyring);

    function send(fields: Record<string, string>, address: string, to = slug) {
      return server.app.inject({
        method: 'POST', url: `/berita/${to}/umpan-balik`, remoteAddress: address,
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString(),
      });
    }
    async function solved(): Promise<{ tantangan: string; nonce: string }> {
      const response = await server.app.inject({ method: 'GET', url: '/umpan-balik/tantangan' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['cache-control'], 'no-store');
      const { challenge, difficulty } = response.json() as { challenge: string; difficulty: number };
      assert.ok(difficulty >= 16, 'a real amount of work');
      return { tantangan: challenge, nonce: solveChallenge(challenge, difficulty) };
    }
    const good = { jenis: 'question', pesan: 'Kapan jadwal kapal ke Balikpapan hari Minggu?', nama: 'Budi', kontak: 'budi@contoh.id' };

    test('the form under the article is the same for every reader and loads its check from this server', async () => {
      const form = feedbackFormHtml(slug);
      assert.equal(form, feedbackFormHtml(slug), 'nothing per request');
      assert.match(form, /name="tantangan" value=""/);
      assert.match(form, new RegExp(`action="/berita/${slug}/umpan-balik"`));
      assert.match(form, /<script src="\/umpan-balik\.js" defer><\/script>/);
      assert.doesNotMatch(form, /<script>/, 'no inline script');
      assert.match(form, /aria-hidden="true"[^>]*>\s*<label for="umpan-balik-situs">[^<]*<\/label>\s*<input[^>]*name="situs_web" tabindex="-1" autocomplete="off"/);
      assert.match(form, /Nama \(tidak wajib\)/);
      assert.match(form, /Hanya petugas unit ini yang dapat melihatnya/);
      const js = await server.app.inject({ method: 'GET', url: '/umpan-balik.js' });
      assert.equal(js.statusCode, 200);
      assert.match(String(js.headers['content-type']), /javascript/);
      assert.match(js.body, /crypto\.subtle\.digest\('SHA-256'/);
      const css = await server.app.inject({ method: 'GET', url: '/umpan-balik.css' });
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /text\/css/);
      assert.match(form, /<link rel="stylesheet" href="\/umpan-balik\.css">/);
      // The form's own address, opened directly, shows the form on a page of its own.
      const own = await server.app.inject({ method: 'GET', url: `/berita/${slug}/umpan-balik` });
      assert.equal(own.statusCode, 200);
      assert.match(own.body, /<h1>Kirim masukan tentang berita ini<\/h1>/);
      assert.match(own.body, /Jadwal kapal penyeberangan Samarinda/);
    });

    test('with the check solved, the message is stored for the article’s unit and the thank-you page follows', async () => {
      const before = (await stored()).length;
      const response = await send({ ...good, ...(await solved()) }, newAddress());
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, `/berita/${slug}/umpan-balik/terkirim`);
      const rows = await stored();
      assert.equal(rows.length, before + 1);
      const row = rows.at(-1)!;
      assert.equal(row.unit_id, unit);
      assert.equal(row.kind, 'question');
      assert.equal(row.message, good.pesan);
      assert.equal(row.name, 'Budi');
      assert.equal(row.contact, 'budi@contoh.id');
      assert.equal(row.status, 'new');
      const thanks = await server.app.inject({ method: 'GET', url: response.headers.location as string });
      assert.equal(thanks.statusCode, 200);
      assert.match(thanks.body, /Terima kasih/);
      assert.match(thanks.body, /Dinas Perhubungan Uji/);
      assert.match(thanks.body, /<html lang="id">/);
    });

    test('fields to fix: each error names its field beside it, and everything typed comes back escaped', async () => {
      const before = (await stored()).length;
      const typed = { jenis: 'lainnya', pesan: '<b>pendek', nama: 'Budi <script>alert(1)</script>', kontak: '"><img src=x onerror=alert(1)>' };
      const response = await send({ ...typed, ...(await solved()) }, newAddress());
      assert.equal(response.statusCode, 422);
      assert.equal(response.headers['cache-control'], 'no-store');
      const page = response.body;
      assert.match(page, /<title>Perlu diperbaiki: /);
      assert.match(page, /id="umpan-balik-ringkasan" role="alert"/);
      assert.match(page, /Ada 2 isian yang perlu diperbaiki/);
      assert.match(page, /id="umpan-balik-pesan-galat"><strong>Perlu diperbaiki:<\/strong> Pesan terlalu pendek: 9 karakter, paling sedikit 10\./);
      assert.match(page, /id="umpan-balik-jenis-galat">[^<]*<strong>Perlu diperbaiki:<\/strong> Pilih jenis pesan/);
      assert.match(page, /<textarea id="umpan-balik-pesan"[^>]*aria-describedby="umpan-balik-pesan-petunjuk umpan-balik-pesan-galat" aria-invalid="true">&lt;b&gt;pendek<\/textarea>/);
      assert.match(page, /href="#umpan-balik-pesan">Pesan: Pesan terlalu pendek/);
      assert.match(page, /value="Budi &lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
      assert.match(page, /value="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"/);
      assert.doesNotMatch(page, /<script>alert|<img src=x|<b>pendek/);
      assert.equal((await stored()).length, before, 'nothing stored');
    });

    test('a message over 3,000 characters is refused with its length; the text is all still there', async () => {
      const long = 'Jalan rusak. '.repeat(240);
      const response = await send({ ...good, pesan: long, ...(await solved()) }, newAddress());
      assert.equal(response.statusCode, 422);
      assert.match(response.body, /Pesan terlalu panjang: 3\.119 karakter, paling banyak 3\.000\./);
      assert.ok(response.body.includes(long.trim()));
    });

    test('the honeypot filled: the robot sees the thank-you page, nothing is stored', async () => {
      const before = (await stored()).length;
      const response = await send({ ...good, situs_web: 'http://spam.example', ...(await solved()) }, newAddress());
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, `/berita/${slug}/umpan-balik/terkirim`);
      assert.equal((await stored()).length, before);
    });

    test('a reused, wrongly solved, forged or expired check is refused, and the form comes back filled in', async () => {
      const address = newAddress();
      const check = await solved();
      assert.equal((await send({ ...good, ...check }, address)).statusCode, 303);
      const before = (await stored()).length;

      const reused = await send({ ...good, pesan: 'Pesan kedua dengan tantangan yang sama.', ...check }, address);
      assert.equal(reused.statusCode, 400, 'spent once');
      assert.match(reused.body, /Pemeriksaan pencegah spam tidak berhasil atau sudah kedaluwarsa/);
      assert.match(reused.body, /Pesan kedua dengan tantangan yang sama\./);

      const fresh = await solved();
      const { difficulty } = signer().issueWork(new Date());
      let wrong = Number(fresh.nonce) + 1;
      while (leadingZeroBits(createHash('sha256').update(fresh.tantangan + wrong).digest()) >= difficulty) wrong++;
      assert.equal((await send({ ...good, tantangan: fresh.tantangan, nonce: String(wrong) }, newAddress())).statusCode, 400, 'the work not done');

      const parts = fresh.tantangan.split('.');
      parts[2] = '0';
      assert.equal((await send({ ...good, tantangan: parts.join('.'), nonce: '0' }, newAddress())).statusCode, 400, 'difficulty lowered: signature broken');

      const old = signer().issueWork(new Date(Date.now() - 11 * 60_000));
      assert.equal((await send({ ...good, tantangan: old.challenge, nonce: solveChallenge(old.challenge, old.difficulty) }, newAddress())).statusCode, 400, 'expired');

      assert.equal((await stored()).length, before);
    });

    test('without JavaScript: the form comes back asking to wait a few seconds, then the second send passes', async () => {
      const address = newAddress();
      const before = (await stored()).length;
      const first = await send(good, address);
      assert.equal(first.statusCode, 200);
      assert.match(first.body, /tunggu 15 detik, lalu tekan &quot;Kirim pesan&quot; sekali lagi/);
      assert.ok(first.body.includes(good.pesan), 'what was typed is kept');
      const token = /name="tantangan" value="(w\.[^"]+)"/.exec(first.body)?.[1];
      assert.ok(token, 'a waiting token in the form');

      const tooSoon = await send({ ...good, tantangan: token, nonce: '' }, address);
      assert.equal(tooSoon.statusCode, 200);
      assert.match(tooSoon.body, /Belum cukup waktu: tunggu \d+ detik lagi/);
      assert.equal((await stored()).length, before);

      // The same kind of token, issued as long ago as the wait.
      const waited = signer().issueWait(new Date(Date.now() - NO_SCRIPT_WAIT_MS - 1000));
      assert.equal((await send({ ...good, tantangan: waited, nonce: '' }, address)).statusCode, 303);
      assert.equal((await stored()).length, before + 1);
      assert.equal((await send({ ...good, tantangan: waited, nonce: '' }, address)).statusCode, 400, 'a waiting token is spent once too');
    });

    test('five sends in ten minutes from one address, then 429 with the time to wait and the form kept', async () => {
      const address = newAddress();
      for (let i = 0; i < 5; i++) assert.equal((await send({ ...good, tantangan: 'p.x.y.z.w', nonce: '1' }, address)).statusCode, 400);
      const limited = await send({ ...good, ...(await solved()) }, address);
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) > 500);
      assert.match(limited.body, /Coba kirim lagi dalam 10 menit \(sekitar pukul \d{2}\.\d{2} WITA\)/);
      assert.ok(limited.body.includes(good.pesan));
      assert.equal((await send({ ...good, ...(await solved()) }, newAddress())).statusCode, 303, 'another address still sends');
    });

    test('an unknown article answers 404; a withdrawn one 410', async () => {
      assert.equal((await send(good, newAddress(), 'tidak-ada-12345678')).statusCode, 404);
      const other = await liveArticle(server, admin, { unitId: unit, title: 'Berita yang kemudian ditarik' });
      await db().updateTable('articles').set({ withdrawn_at: new Date() }).where('post_id', '=', other.postId).execute();
      const gone = await send({ ...good, ...(await solved()) }, newAddress(), other.slug);
      assert.equal(gone.statusCode, 410);
      assert.match(gone.body, /sudah ditarik/);
    });
  });
}
