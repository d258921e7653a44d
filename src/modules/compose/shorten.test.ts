// Tests: Indonesian sentence splitting and shortening to a caller's fits check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sentences, shortenToFit } from './shorten.ts';

const cp = (s: string): number => [...s].length;
const upTo = (n: number) => (s: string): boolean => cp(s) <= n;

test('sentences: abbreviations of government text do not end a sentence', () => {
  assert.deepEqual(
    sentences('Acara dibuka Dr. H. Andi Rahman, S.H., M.Si. di Jl. Gajah Mada No. 2 Kab. Kutai Kartanegara. Hadir pula Hj. Siti dan Ir. Budi, S.E. dari Prov. Kaltim. Selesai.'),
    [
      'Acara dibuka Dr. H. Andi Rahman, S.H., M.Si. di Jl. Gajah Mada No. 2 Kab. Kutai Kartanegara.',
      'Hadir pula Hj. Siti dan Ir. Budi, S.E. dari Prov. Kaltim.',
      'Selesai.',
    ],
  );
  assert.deepEqual(sentences('Surat a.n. Bupati u.p. Kabag tgl. 3 Mei, Kec. Loa Janan, Kel. Sempaja dll. Kemudian rapat.'), [
    'Surat a.n. Bupati u.p. Kabag tgl. 3 Mei, Kec. Loa Janan, Kel. Sempaja dll. Kemudian rapat.',
  ]);
  assert.deepEqual(sentences('Ditemui Bpk. Ahmad dan Prof. Dr. Ir. Yusuf. Ia hadir.'), ['Ditemui Bpk. Ahmad dan Prof. Dr. Ir. Yusuf.', 'Ia hadir.']);
});

test('sentences: numbers, URLs, ?, !, …, quotes and brackets', () => {
  assert.deepEqual(sentences('Dana Rp. 1.500.000 naik 2,5 persen. Total 3.000.000.'), ['Dana Rp. 1.500.000 naik 2,5 persen.', 'Total 3.000.000.']);
  assert.deepEqual(sentences('Baca https://kaltimprov.go.id/a.b/c.html?x=1. Lalu daftar!'), ['Baca https://kaltimprov.go.id/a.b/c.html?x=1.', 'Lalu daftar!']);
  assert.deepEqual(sentences('Siap? Ya! Tunggu… Oke.'), ['Siap?', 'Ya!', 'Tunggu…', 'Oke.']);
  assert.deepEqual(sentences('"Kami siap." Kata Bupati. (Lihat lampiran.) Terima kasih.'), ['"Kami siap."', 'Kata Bupati.', '(Lihat lampiran.)', 'Terima kasih.']);
  assert.deepEqual(sentences('Ia bilang “selesai.” Lalu pulang.'), ['Ia bilang “selesai.”', 'Lalu pulang.']);
  assert.deepEqual(sentences('Judul tanpa titik\nKalimat berikut.'), ['Judul tanpa titik', 'Kalimat berikut.']);
  assert.deepEqual(sentences('Ia menunggu... lalu pergi.'), ['Ia menunggu... lalu pergi.']);
  assert.deepEqual(sentences(''), []);
  assert.deepEqual(sentences('   '), []);
});

test('shortenToFit: whole text when it fits, else longest sentence prefix', () => {
  const text = 'Kalimat satu. Kalimat dua panjang. Kalimat tiga.';
  assert.equal(shortenToFit(text, upTo(100)), text);
  assert.equal(shortenToFit(text, upTo(34)), 'Kalimat satu. Kalimat dua panjang.');
  assert.equal(shortenToFit(text, upTo(33)), 'Kalimat satu.');
  assert.equal(shortenToFit(text, upTo(13)), 'Kalimat satu.');
});

test('shortenToFit: word boundary with ellipsis when no sentence fits; trailing comma dropped', () => {
  const text = 'Pemerintah daerah, bersama warga, membersihkan sungai pada hari Minggu.';
  assert.equal(shortenToFit(text, upTo(20)), 'Pemerintah daerah…');
  assert.equal(shortenToFit(text, upTo(34)), 'Pemerintah daerah, bersama warga…');
  assert.equal(shortenToFit(text, upTo(20), '...'), 'Pemerintah daerah...');
});

test('shortenToFit: never cuts inside a URL, hashtag, mention or emoji', () => {
  const url = 'https://kaltimprov.go.id/berita/2026/11/28/sangat-panjang';
  assert.equal(shortenToFit(`Info ${url} selengkapnya di sana`, upTo(cp(`Info ${url}`) + 5)), `Info ${url} …`);
  assert.equal(shortenToFit(`Info ${url} selengkapnya`, upTo(30)), 'Info…');
  assert.equal(shortenToFit(url, upTo(30)), '');
  assert.equal(shortenToFit('#HariJadiKaltimKeLimaPuluh', upTo(10)), '');
  assert.equal(shortenToFit('@humas_kaltim_resmi_sekali', upTo(10)), '');
  const family = '👨‍👩‍👧‍👦';
  const word = family.repeat(10);
  const out = shortenToFit(word, (s) => s.length <= 40);
  assert.equal(out, family.repeat(3) + '…');
  assert.equal(out.isWellFormed(), true);
  const flags = '🇮🇩'.repeat(10);
  const outFlags = shortenToFit(flags, (s) => s.length <= 9);
  assert.equal(outFlags, '🇮🇩🇮🇩…');
});

test('shortenToFit: one 300-character word is cut between graphemes; nothing fits gives ""', () => {
  const word = 'a'.repeat(300);
  assert.equal(shortenToFit(word, upTo(10)), `${'a'.repeat(9)}…`);
  assert.equal(shortenToFit('teks', () => false), '');
  assert.equal(shortenToFit('teks', () => {
    throw new Error('boom');
  }), '');
});
