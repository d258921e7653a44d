// Tests: per-network adaptation over a corpus; every text and thread part must
// pass networks/validatePost's text rules, and the UTM-tagged portal link must
// be there wherever links are clickable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NETWORKS } from '../networks/limits.ts';
import type { Network } from '../networks/limits.ts';
import type { MediaItem } from '../networks/types.ts';
import { validatePost } from '../networks/validate.ts';
import { adaptAll, adaptVariant } from './adapt.ts';
import type { MasterPost } from './adapt.ts';

const PORTAL = 'https://humas.kaltimprov.go.id/berita/2026/11/28/vaksinasi-massal-gratis';
const jpeg: MediaItem = { kind: 'image', mime: 'image/jpeg', bytes: 400_000, width: 1080, height: 1080, alt: 'Warga antre vaksinasi' };
const mp4: MediaItem = { kind: 'video', mime: 'video/mp4', bytes: 5_000_000, width: 1080, height: 1920 };

const PARA = [
  'Pemerintah Provinsi Kalimantan Timur melalui Dinas Kesehatan menggelar vaksinasi massal gratis di Jl. Gajah Mada No. 2, Kec. Samarinda Ilir, pada tgl. 28 November 2026.',
  'Kegiatan dibuka oleh Dr. H. Andi Rahman, S.H., M.Si. yang menyebut anggaran Rp 1.500.000.000 telah disiapkan dari APBD.',
  '"Kami berharap masyarakat hadir membawa KTP dan kartu keluarga," ujarnya.',
  'Cakupan vaksinasi naik 2,5 persen dibanding tahun lalu, terutama di Kab. Kutai Kartanegara dan Kab. Paser.',
].join(' ');
const LONG_NEWS = Array.from({ length: 5 }, () => PARA).join('\n\n');

const CORPUS: Record<string, Omit<MasterPost, 'media' | 'portalUrl' | 'tags'>> = {
  short: { title: 'Vaksinasi gratis hari ini', bodyText: 'Datang ke Puskesmas terdekat dengan membawa KTP.', summary: '' },
  longNews: { title: 'Vaksinasi Massal Gratis di Samarinda Dibuka untuk Semua Warga', bodyText: LONG_NEWS, summary: 'Dinkes Kaltim menggelar vaksinasi massal gratis di Samarinda mulai hari ini.' },
  longNoSummary: { title: 'Vaksinasi Massal Gratis di Samarinda', bodyText: LONG_NEWS, summary: '' },
  emoji: { title: '🎉🎉 HUT Kaltim ke-70 🎉🎉', bodyText: Array.from({ length: 40 }, (_, i) => `Acara ${i + 1} 👨‍👩‍👧‍👦🇮🇩✨ meriah!`).join(' '), summary: '' },
  manyUrls: {
    title: 'Tautan layanan publik',
    bodyText: Array.from({ length: 12 }, (_, i) => `Layanan ${i + 1}: https://layanan${i + 1}.kaltimprov.go.id/formulir/pendaftaran?id=${i}.`).join(' ') + ` Info: ${PORTAL}/detail.`,
    summary: '',
  },
  cjk: { title: '东京代表团访问萨马林达', bodyText: '东京代表团今天访问了萨马林达市政府。'.repeat(30), summary: '' },
  hugeWord: { title: 'Kata panjang', bodyText: `${'a'.repeat(300)} selesai.`, summary: '' },
  hugeTitle: { title: `Judul ${'sangat '.repeat(60)}panjang`, bodyText: 'Isi singkat.', summary: '' },
};
const TAGS = ['vaksinasi', 'hari jadi kaltim', 'APBD 2027', 'kesehatan', 'samarinda', 'puskesmas', 'imunisasi', 'warga', 'kaltim', 'gratis'];
const CLICKABLE: Network[] = ['facebook', 'linkedin', 'telegram', 'x', 'bluesky', 'threads', 'mastodon', 'youtube', 'webhook'];
const medium = (network: Network) => (network === 'webhook' ? 'referral' : 'social');

function mediaFor(network: Network): MediaItem[] {
  return network === 'youtube' || network === 'tiktok' ? [mp4] : network === 'instagram' ? [jpeg] : [];
}

function textErrors(network: Network, text: string, media: MediaItem[], title: string | null): string[] {
  return validatePost(network, { text, media, title: title ?? undefined }).issues
    .filter((i) => i.severity === 'error' && /^(text|caption|title)\./.test(i.rule))
    .map((i) => `${i.rule} (${i.measured}/${i.limit})`);
}

for (const [name, base] of Object.entries(CORPUS)) {
  for (const withMedia of [false, true]) {
    test(`corpus "${name}"${withMedia ? ' with media' : ''}: every network passes its text rules`, () => {
      for (const network of NETWORKS) {
        const media = withMedia ? [jpeg] : mediaFor(network);
        const master: MasterPost = { ...base, portalUrl: PORTAL, tags: TAGS, media };
        const v = adaptVariant(master, network);
        assert.equal(v.network, network);
        assert.ok(v.text.trim() !== '', `${network}: empty text`);
        assert.deepEqual(textErrors(network, v.text, media, v.title), [], `${network}: ${v.text}`);
        for (const part of v.parts ?? []) assert.deepEqual(textErrors(network, part, media, v.title), [], `${network} part: ${part}`);
        if (v.parts) assert.equal(v.parts[0], v.text);
        if (CLICKABLE.includes(network)) {
          assert.ok(v.text.includes(`${PORTAL}?utm_source=${network}&utm_medium=${medium(network)}`), `${network}: no UTM link in ${v.text}`);
        } else {
          // Links are not clickable here: no portal link is added (a URL typed in the body stays as text, untagged).
          assert.ok(!v.text.includes('utm_source='), `${network}: tagged link in caption`);
          assert.ok(!v.text.includes(`${PORTAL}\n`) && !v.text.endsWith(PORTAL), `${network}: portal link added`);
          if (network === 'instagram') assert.ok(v.text.includes('Selengkapnya: tautan di bio'));
        }
        for (const h of v.hashtags) assert.ok(v.text.includes(h), `${network}: ${h} missing`);
      }
    });
  }
}

const longMaster: MasterPost = { ...CORPUS.longNoSummary!, portalUrl: PORTAL, tags: TAGS, media: [] };

test('X: long body becomes a numbered thread with the link and 2 hashtags in part 1', () => {
  const v = adaptVariant(longMaster, 'x');
  assert.ok(v.parts && v.parts.length >= 5 && v.parts.length <= 25);
  const n = v.parts.length;
  v.parts.forEach((p, i) => assert.ok(p.endsWith(` ${i + 1}/${n}`), p));
  assert.ok(v.parts[0]?.startsWith('Vaksinasi Massal Gratis di Samarinda\n\n'));
  assert.ok(v.parts[0]?.includes(`${PORTAL}?utm_source=x&utm_medium=social\n#Vaksinasi #HariJadiKaltim 1/${n}`));
  assert.deepEqual(v.hashtags, ['#Vaksinasi', '#HariJadiKaltim']);
  assert.ok(v.notes.some((x) => x.code === 'thread.split' && x.en === `Split into a ${n}-part thread; the link is in the first part.`));
  // No sentence of the body is lost.
  assert.ok(v.parts.join(' ').includes('terutama di Kab. Kutai Kartanegara dan Kab. Paser.'));
});

test('thread off: one post shortened at a sentence boundary', () => {
  const v = adaptVariant(longMaster, 'x', { thread: false });
  assert.equal(v.parts, null);
  assert.ok(v.notes.some((x) => x.code === 'text.shortened_sentence'));
  const beforeLink = v.text.split('\n\n')[1] ?? '';
  assert.match(beforeLink, /\.$/);
  assert.ok(PARA.startsWith(beforeLink));
});

test('Bluesky, thread off: a whole sentence without hashtags is preferred to a cut one with them', () => {
  const sentence = 'Pemerintah Provinsi Kalimantan Timur menggelar vaksinasi massal gratis bagi seluruh warga di Kota Samarinda dan sekitarnya mulai hari ini.';
  const v = adaptVariant({ title: 'Vaksinasi Massal', bodyText: `${sentence} ${sentence}`, summary: '', portalUrl: PORTAL, tags: ['vaksinasi massal kalimantan timur', 'kesehatan warga samarinda'], media: [] }, 'bluesky', { thread: false });
  assert.equal(v.text, `Vaksinasi Massal\n\n${sentence}\n\n${PORTAL}?utm_source=bluesky&utm_medium=social`);
  assert.deepEqual(v.hashtags, []);
  assert.deepEqual(v.notes.map((x) => x.code), ['link.utm', 'text.shortened_sentence', 'hashtags.dropped']);
});

test('short text fits everywhere as one post with the full body', () => {
  const v = adaptVariant({ ...CORPUS.short!, portalUrl: PORTAL, tags: ['vaksinasi'], media: [] }, 'x');
  assert.equal(v.parts, null);
  assert.equal(v.text, `Vaksinasi gratis hari ini\n\nDatang ke Puskesmas terdekat dengan membawa KTP.\n\n${PORTAL}?utm_source=x&utm_medium=social\n#Vaksinasi`);
});

test('Facebook: title, body, "Selengkapnya" link, hashtags block', () => {
  const v = adaptVariant({ ...CORPUS.short!, portalUrl: PORTAL, tags: ['vaksinasi', 'hari jadi kaltim', 'APBD 2027'], media: [] }, 'facebook', { campaign: 'vaksin-2026' });
  assert.equal(
    v.text,
    `Vaksinasi gratis hari ini\n\nDatang ke Puskesmas terdekat dengan membawa KTP.\n\nSelengkapnya: ${PORTAL}?utm_source=facebook&utm_medium=social&utm_campaign=vaksin-2026\n\n#Vaksinasi #HariJadiKaltim`,
  );
  assert.ok(v.notes.some((x) => x.code === 'hashtags.trimmed'));
});

test('Telegram with media uses the 1,024 caption limit and falls back to the summary', () => {
  const master: MasterPost = { ...CORPUS.longNews!, portalUrl: PORTAL, tags: TAGS, media: [jpeg] };
  const withMedia = adaptVariant(master, 'telegram');
  assert.ok([...withMedia.text].length <= 1024);
  assert.ok(withMedia.text.includes('Dinkes Kaltim menggelar vaksinasi'));
  assert.ok(withMedia.notes.some((x) => x.code === 'text.caption_limit'));
  const noMedia = adaptVariant({ ...master, media: [] }, 'telegram');
  assert.ok(noMedia.text.includes(PARA));
});

test('Instagram: no URL, "tautan di bio" line, hashtag block after a blank line', () => {
  const v = adaptVariant({ ...CORPUS.short!, portalUrl: PORTAL, tags: TAGS, media: [jpeg] }, 'instagram');
  assert.ok(!/https?:\/\//.test(v.text));
  assert.ok(v.text.includes('\n\nSelengkapnya: tautan di bio\n\n#Vaksinasi #HariJadiKaltim #APBD2027'));
  assert.equal(v.hashtags.length, 8);
});

test('YouTube: title ≤ 100 without < >, description with link', () => {
  const v = adaptVariant({ title: `Rapat <APBD> 2027 ${'panjang '.repeat(20)}`, bodyText: 'Isi a < b.', summary: '', portalUrl: PORTAL, tags: [], media: [mp4] }, 'youtube');
  assert.ok(v.title !== null && [...v.title].length <= 100);
  assert.ok(v.title.startsWith('Rapat ‹APBD› 2027'));
  assert.ok(!/[<>]/.test(v.text + v.title));
  assert.ok(v.text.includes(`Selengkapnya: ${PORTAL}?utm_source=youtube`));
  assert.ok(v.notes.some((x) => x.code === 'text.forbidden_replaced'));
  assert.deepEqual(validatePost('youtube', { text: v.text, title: v.title, media: [mp4] }).issues, []);
});

test('overrides: a Mastodon instance allowing 5,000 characters keeps the body in one post', () => {
  const v = adaptVariant(longMaster, 'mastodon', { overrides: { maxText: 5000 } });
  assert.equal(v.parts, null);
  assert.ok(v.text.includes(PARA));
});

test('utm: false keeps the portal link as given; no portal link → note', () => {
  const v = adaptVariant({ ...CORPUS.short!, portalUrl: PORTAL, tags: [], media: [] }, 'linkedin', { utm: false });
  assert.ok(v.text.endsWith(`Selengkapnya: ${PORTAL}`));
  const none = adaptVariant({ ...CORPUS.short!, portalUrl: null, tags: [], media: [] }, 'linkedin');
  assert.ok(!none.text.includes('Selengkapnya'));
  assert.ok(none.notes.some((x) => x.code === 'link.none'));
});

test('a short link stands in for a missing portal link, untagged (its redirect tags); the post\'s own link wins', () => {
  const SHORT = 'https://siar.kaltimprov.go.id/r/Ab3dE9xZ';
  const master = { ...CORPUS.short!, portalUrl: null, tags: [], media: [] };
  for (const network of ['x', 'bluesky', 'mastodon', 'threads', 'facebook', 'linkedin', 'telegram', 'youtube'] as const) {
    const v = adaptVariant(master, network, { shortLink: SHORT, campaign: 'kinerja' });
    assert.ok(v.text.includes(SHORT), `${network} carries the short link`);
    assert.ok(!v.text.includes('utm_'), `${network}: no UTM in the short link`);
    assert.ok(v.notes.some((x) => x.code === 'link.short'));
    assert.ok(!v.notes.some((x) => x.code === 'link.none'));
  }
  const instagram = adaptVariant(master, 'instagram', { shortLink: SHORT });
  assert.ok(instagram.text.includes('Selengkapnya: tautan di bio') && !instagram.text.includes(SHORT));
  const own = adaptVariant({ ...master, portalUrl: PORTAL }, 'facebook', { shortLink: SHORT, campaign: 'kinerja' });
  assert.ok(!own.text.includes(SHORT));
  assert.match(own.text, /utm_source=facebook&utm_medium=social&utm_campaign=kinerja/);
});

test('adaptAll adapts for each network with its own overrides', () => {
  const all = adaptAll(longMaster, ['x', 'mastodon'], { overridesByNetwork: { mastodon: { maxText: 5000 } } });
  assert.deepEqual(all.map((v) => v.network), ['x', 'mastodon']);
  assert.notEqual(all[0]?.parts, null);
  assert.equal(all[1]?.parts, null);
});
