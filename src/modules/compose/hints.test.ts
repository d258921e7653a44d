// Tests: advisory quality hints with real Indonesian examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMostlyUppercase, qualityHints } from './hints.ts';
import type { HintInput } from './hints.ts';

const base: HintInput = {
  title: 'Pemkab Paser Gelar Rapat Koordinasi',
  bodyText: 'Rapat dihadiri OPD dan DPRD. Pembahasan APBD berjalan lancar.',
  summary: 'Rapat koordinasi APBD 2027.',
  portalUrl: 'https://humas.paserkab.go.id/berita/1',
  rubricSlug: 'berita',
  media: [{ alt: 'Suasana rapat' }],
};
const rules = (input: HintInput, terms = [] as { term: string; category: string }[]): string[] => qualityHints(input, terms).map((h) => h.rule);

test('a good post gets no hints', () => {
  assert.deepEqual(qualityHints(base, [{ term: 'hoaks', category: 'disinformasi' }]), []);
});

test('missing alt text: one hint per media item, numbered', () => {
  const hints = qualityHints({ ...base, media: [{ alt: 'ok' }, {}, { alt: '   ' }] }, []);
  assert.deepEqual(hints.map((h) => [h.rule, h.measured]), [['media.missing_alt', 2], ['media.missing_alt', 3]]);
  assert.match(hints[0]?.message.id ?? '', /^Media ke-2 belum punya teks alternatif/);
});

test('no portal link (not for urgent posts)', () => {
  assert.deepEqual(rules({ ...base, portalUrl: null }), ['link.missing_portal']);
  assert.deepEqual(rules({ ...base, portalUrl: '', urgent: true }), []);
});

test('no portal link of its own is no gap when the platform\'s portal provides the article', () => {
  assert.deepEqual(rules({ ...base, portalUrl: null, portalProvided: true }), []);
  assert.deepEqual(rules({ ...base, portalUrl: '', portalProvided: false }), ['link.missing_portal']);
});

test('long sentences: reports the longest and its word count', () => {
  const s31 = Array.from({ length: 31 }, (_, i) => `kata${i}`).join(' ') + '.';
  const s40 = 'Kepala Dinas ' + Array.from({ length: 38 }, () => 'panjang').join(' ') + '.';
  const hints = qualityHints({ ...base, bodyText: `Pendek. ${s31} ${s40}` }, []);
  assert.equal(hints.length, 1);
  assert.equal(hints[0]?.rule, 'text.long_sentence');
  assert.equal(hints[0]?.measured, 40);
  assert.ok(hints[0]?.excerpt?.startsWith('Kepala Dinas panjang'));
  assert.match(hints[0]?.message.id ?? '', /^2 kalimat lebih dari 30 kata; yang terpanjang 40 kata/);
  const s30 = Array.from({ length: 30 }, (_, i) => `kata${i}`).join(' ') + '.';
  assert.deepEqual(rules({ ...base, bodyText: s30 }), []);
});

test('ALL CAPS: titles and sentences, ignoring acronyms of up to six letters', () => {
  assert.equal(isMostlyUppercase('PEMKAB KUTAI KARTANEGARA GELAR RAPAT'), true);
  assert.equal(isMostlyUppercase('RAPAT DI KANTOR BUPATI'), true);
  assert.equal(isMostlyUppercase('Bupati MEMBUKA SECARA RESMI KEGIATAN'), true);
  assert.equal(isMostlyUppercase('Rapat Koordinasi OPD, DPRD, APBD, RSUD dan BPBD'), false);
  assert.equal(isMostlyUppercase('APBD 2027'), false);
  assert.equal(isMostlyUppercase('DPRD DAN BPBD'), false);
  assert.equal(isMostlyUppercase('BPBD Kaltim Siaga'), false);
  const hints = qualityHints({ ...base, title: 'PEMKAB PASER GELAR RAPAT KOORDINASI', bodyText: 'PERHATIAN KEPADA SELURUH WARGA MASYARAKAT. Rapat OPD, DPRD, APBD, RSUD, BPBD lancar.' }, []);
  assert.deepEqual(hints.map((h) => [h.rule, h.measured ?? null]), [['caps.title', null], ['caps.text', 1]]);
  assert.equal(hints[1]?.excerpt, 'PERHATIAN KEPADA SELURUH WARGA MASYARAKAT.');
  // urgent warnings may shout
  assert.deepEqual(rules({ ...base, title: 'WASPADA BANJIR DI SAMARINDA', urgent: true }), []);
});

test('regulation posts: purpose and reasons are checked separately', () => {
  const reg = { ...base, rubricSlug: 'regulasi', title: 'Perda Nomor 5 Tahun 2026', summary: '' };
  assert.deepEqual(rules({ ...reg, bodyText: 'Perda ini mengatur retribusi parkir.' }), ['regulation.missing_purpose', 'regulation.missing_reason']);
  assert.deepEqual(rules({ ...reg, bodyText: 'Perda ini bertujuan menertibkan parkir.' }), ['regulation.missing_reason']);
  assert.deepEqual(rules({ ...reg, bodyText: 'Perda ini dibuat karena parkir liar marak.' }), ['regulation.missing_purpose']);
  assert.deepEqual(rules({ ...reg, bodyText: 'Perda dibuat agar parkir tertib. Latar belakang: kemacetan.' }), []);
  // whole words only: "keagaran" is not "agar", "dasarnya" is not "dasar"
  assert.deepEqual(rules({ ...reg, bodyText: 'Keagaran dan dasarnya.' }), ['regulation.missing_purpose', 'regulation.missing_reason']);
  // other rubrics are not checked
  assert.deepEqual(rules({ ...base, bodyText: 'Perda ini mengatur retribusi parkir.' }), []);
});

test('sensitive terms: case-insensitive, whole word, second look with term and category', () => {
  const terms = [{ term: 'hoaks', category: 'disinformasi' }, { term: 'SARA', category: 'SARA' }, { term: 'korban jiwa', category: 'bencana' }, { term: '', category: 'x' }];
  const hints = qualityHints({ ...base, title: 'Klarifikasi HOAKS banjir', bodyText: 'Tidak ada korban   jiwa. Isu hoaks beredar. Kata sarapan bukan masalah.' }, terms);
  assert.deepEqual(hints.map((h) => [h.rule, h.severity, h.measured]), [
    ['sensitive.term', 'second_look', 'hoaks'],
    ['sensitive.term', 'second_look', 'korban jiwa'],
  ]);
  assert.equal(hints[0]?.message.id, 'Kata "hoaks" (kategori: disinformasi) muncul 2 kali. Minta rekan membaca ulang sebelum terbit.');
  assert.equal(hints[0]?.excerpt, 'Klarifikasi HOAKS banjir');
  assert.ok(hints[1]?.excerpt?.includes('korban   jiwa') === false && hints[1]?.excerpt?.includes('korban jiwa'));
});

test('hostile input does not throw', () => {
  const weird = '\uD800'.repeat(5) + '(((' + '\u202E' + '[*+?';
  assert.doesNotThrow(() => qualityHints({ ...base, title: weird, bodyText: weird, summary: weird }, [{ term: '[*+?', category: 'regex' }, { term: '(((', category: 'x' }]));
});
