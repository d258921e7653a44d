import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  FLESCH_BASE, FLESCH_SENTENCE_WEIGHT, FLESCH_SYLLABLE_WEIGHT, LONG_SENTENCE_WORDS, SYLLABLE_SCALE,
  isPassiveVerb, labelFor, readability, readingEase, sentenceSpans, syllables,
} from './readability.ts';

const PLAIN = 'Aturan ini melarang toko memberi kantong plastik sekali pakai. Tujuannya agar sungai Mahakam bersih dari sampah. '
  + 'Warga bisa membawa tas belanja sendiri. Toko yang melanggar mendapat teguran lebih dulu. Aturan berlaku mulai 1 Januari 2026.';

const NEWS = 'Pemerintah Provinsi Kalimantan Timur mencatat realisasi anggaran triwulan III sebesar 78 persen dari target 75 persen. '
  + 'Capaian tertinggi ada pada belanja infrastruktur jalan dan jembatan, yang mencapai 84 persen. '
  + 'Rincian per perangkat daerah dapat dilihat di portal resmi Pemprov Kaltim. '
  + 'Aturan ini dibuat karena volume sampah plastik di Samarinda dan Balikpapan naik 20 persen dalam dua tahun terakhir.';

const LEGAL = 'Dalam hal pelaku usaha tidak melaksanakan kewajiban sebagaimana dimaksud dalam Pasal 5 ayat (2), dikenakan sanksi '
  + 'administratif berupa teguran tertulis, penghentian sementara kegiatan, dan/atau pencabutan izin yang ditetapkan oleh Gubernur '
  + 'sesuai dengan ketentuan peraturan perundang-undangan. Peraturan Gubernur Nomor 12 Tahun 2019 tentang Pengelolaan Sampah '
  + 'dicabut dan dinyatakan tidak berlaku.';

describe('syllables (Indonesian)', () => {
  test('one per vowel, consecutive vowels are separate syllables', () => {
    assert.equal(syllables('aturan'), 3);
    assert.equal(syllables('diberlakukan'), 5);
    assert.equal(syllables('maaf'), 2);
    assert.equal(syllables('kuat'), 2);
    assert.equal(syllables('baik'), 2);
  });
  test('word-final diphthongs ai, au, oi, ei count once', () => {
    assert.equal(syllables('pantai'), 2);
    assert.equal(syllables('pulau'), 2);
    assert.equal(syllables('survei'), 2);
    assert.equal(syllables('sungai'), 2);
  });
  test('spelled acronyms per letter, reduplication in full, numbers two', () => {
    assert.equal(syllables('DPRD'), 4);
    assert.equal(syllables('OPD'), 3);
    assert.equal(syllables('anak-anak'), 4);
    assert.equal(syllables('2026'), 2);
  });
});

describe('sentences', () => {
  test('reuse compose’s splitter: abbreviations do not end a sentence, spans point into the text', () => {
    const text = '  Dr. Rina dari Dinas Lingkungan Hidup menjelaskan aturannya.  Warga bisa bertanya di kantor kecamatan. ';
    const spans = sentenceSpans(text);
    assert.equal(spans.length, 2);
    assert.equal(text.slice(spans[0]!.start, spans[0]!.end), 'Dr. Rina dari Dinas Lingkungan Hidup menjelaskan aturannya.');
    assert.equal(text.slice(spans[1]!.start, spans[1]!.end), 'Warga bisa bertanya di kantor kecamatan.');
  });
  test('words per sentence are counted; links are not words', () => {
    const r = readability('Baca naskahnya di https://jdih.kaltimprov.go.id/produk-hukum/pergub-12-2025 sekarang. Mudah sekali.');
    assert.deepEqual(r.sentences.map((s) => s.words), [4, 2]);
    assert.equal(r.stats.words, 6);
    assert.equal(r.stats.wordsPerSentence, 3);
  });
});

describe('reading ease', () => {
  test('is Flesch’s formula with the Indonesian syllable scale, clamped to 0–100', () => {
    const expected = Math.round(FLESCH_BASE - FLESCH_SENTENCE_WEIGHT * 12 - FLESCH_SYLLABLE_WEIGHT * SYLLABLE_SCALE * 2.5);
    assert.equal(readingEase(12, 2.5), expected);
    assert.equal(readingEase(2, 1), 100);
    assert.equal(readingEase(80, 4), 0);
  });
  test('labels: Mudah from 60, Sedang from 40, Sulit below', () => {
    assert.deepEqual([labelFor(60), labelFor(59), labelFor(40), labelFor(39)], ['Mudah', 'Sedang', 'Sedang', 'Sulit']);
  });
  test('plain Indonesian prose measures about 2.4–2.5 syllables a word (the scale’s basis)', () => {
    for (const text of [PLAIN, NEWS]) {
      const { syllablesPerWord } = readability(text).stats;
      assert.ok(syllablesPerWord >= 2.3 && syllablesPerWord <= 2.6, `${syllablesPerWord}`);
    }
  });
  test('a plain explanation is Mudah, legal text is Sulit, and shorter sentences score higher', () => {
    const plain = readability(PLAIN);
    const legal = readability(LEGAL);
    assert.equal(plain.label, 'Mudah');
    assert.equal(legal.label, 'Sulit');
    assert.ok(plain.score! > readability(NEWS).score! && readability(NEWS).score! > legal.score!);
  });
  test('no words: no score', () => {
    const r = readability('  \n ');
    assert.equal(r.score, null);
    assert.equal(r.label, null);
    assert.deepEqual(r.issues, []);
  });
});

describe('issues', () => {
  test(`sentences over ${LONG_SENTENCE_WORDS} words are flagged with their position`, () => {
    const short = 'Warga membawa tas sendiri.';
    const long = ['Pedagang', ...Array.from({ length: LONG_SENTENCE_WORDS }, (_, i) => `kata${i}`)].join(' ') + '.';
    const exact = ['Toko', ...Array.from({ length: LONG_SENTENCE_WORDS - 1 }, (_, i) => `kata${i}`)].join(' ') + '.';
    const text = `${short} ${long} ${exact}`;
    const flagged = readability(text).issues.filter((i) => i.kind === 'long_sentence');
    assert.equal(flagged.length, 1);
    assert.equal(flagged[0]!.start, short.length + 1);
    assert.equal(text.slice(flagged[0]!.start, flagged[0]!.end), long);
    assert.equal(flagged[0]!.measured, LONG_SENTENCE_WORDS + 1);
  });

  test('legal jargon is found with its position and a plain suggestion', () => {
    const r = readability(LEGAL);
    const jargon = r.issues.filter((i) => i.kind === 'jargon');
    const by = (text: string) => jargon.find((j) => j.text.toLowerCase() === text.toLowerCase());
    assert.equal(by('sebagaimana dimaksud')?.suggestion, 'seperti disebut');
    assert.equal(by('Dalam hal')?.suggestion, 'jika');
    assert.equal(by('dicabut dan dinyatakan tidak berlaku')?.suggestion, 'tidak berlaku lagi');
    assert.ok(by('Pasal 5'));
    assert.ok(by('ayat (2)'));
    // The longer phrase wins: "dinyatakan tidak berlaku" is not flagged a second time inside it.
    assert.equal(jargon.filter((j) => /dinyatakan/i.test(j.text)).length, 1);
    for (const j of jargon) assert.equal(LEGAL.slice(j.start, j.end), j.text);
    assert.match(by('sebagaimana dimaksud')!.message.id, /seperti disebut/);
  });

  test('jargon matches whole words across line breaks and any case, not inside other words', () => {
    const r = readability('Berdasarkan\nketentuan ini, warga wajib memilah sampah. Para hadirin dalam halaman itu senang.');
    const jargon = r.issues.filter((i) => i.kind === 'jargon').map((i) => i.suggestion);
    assert.deepEqual(jargon, ['menurut aturan']);
  });

  test('"mengingat" is jargon only as the preamble heading; "menimbang" always', () => {
    const prose = readability('Mengingat banyaknya sampah di sungai, toko tidak lagi memberi kantong plastik.');
    assert.equal(prose.issues.filter((i) => i.kind === 'jargon').length, 0);
    const preamble = readability('Menimbang: bahwa sampah plastik mencemari sungai. Mengingat: Undang-Undang Nomor 18 Tahun 2008.');
    assert.deepEqual(preamble.issues.filter((i) => i.kind === 'jargon').map((i) => i.text), ['Menimbang', 'Mengingat']);
  });

  test('passive-heavy sentences are hinted; roots beginning with di- are not passive', () => {
    assert.ok(isPassiveVerb('ditetapkan'));
    assert.ok(isPassiveVerb('dicabut'));
    assert.ok(!isPassiveVerb('dinas'));
    assert.ok(!isPassiveVerb('dinasnya'));
    assert.ok(!isPassiveVerb('diskusi'));
    assert.ok(!isPassiveVerb('di'));
    const r = readability('Izin ditetapkan dan diterbitkan oleh Dinas. Dinas menggelar diskusi digital dengan warga.');
    const passive = r.issues.filter((i) => i.kind === 'passive');
    assert.equal(passive.length, 1);
    assert.equal(passive[0]!.start, 0);
    assert.equal(passive[0]!.measured, 2);
    assert.equal(r.stats.passiveVerbs, 2);
  });

  test('issues are in text order', () => {
    const starts = readability(LEGAL).issues.map((i) => i.start);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  });
});
