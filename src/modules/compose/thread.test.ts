// Tests: thread splitting with numbering, boundaries and the part cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitThread } from './thread.ts';

const cp = (s: string): number => [...s].length;
const upTo = (n: number) => (s: string): boolean => cp(s) <= n;
const stripNum = (p: string): string => p.replace(/ \d+\/\d+$/, '');

test('a text that fits is one unnumbered part', () => {
  assert.deepEqual(splitThread('Pendek saja.', upTo(50), { numbering: true }), ['Pendek saja.']);
  assert.deepEqual(splitThread('   ', upTo(50)), []);
});

test('splits at paragraphs first, every part with its suffix fits, numbering uses the final count', () => {
  const paras = ['Paragraf satu berisi kalimat.', 'Paragraf dua juga berisi kalimat.', 'Paragraf tiga penutup.'];
  const parts = splitThread(paras.join('\n\n'), upTo(40), { numbering: true });
  assert.deepEqual(parts, ['Paragraf satu berisi kalimat. 1/3', 'Paragraf dua juga berisi kalimat. 2/3', 'Paragraf tiga penutup. 3/3']);
});

test('long paragraph splits at sentences, then words; nothing is lost', () => {
  const sentence = (i: number) => `Kalimat nomor ${i} tentang pembangunan jalan di Kab. Paser.`;
  const text = Array.from({ length: 30 }, (_, i) => sentence(i + 1)).join(' ');
  const parts = splitThread(text, upTo(140), { numbering: true });
  const n = parts.length;
  assert.ok(n > 10 && n <= 25);
  parts.forEach((p, i) => {
    assert.ok(cp(p) <= 140, p);
    assert.ok(p.endsWith(` ${i + 1}/${n}`), p);
    // each part ends at a sentence boundary
    assert.match(stripNum(p), /Paser\.$/);
  });
  assert.equal(parts.map(stripNum).join(' '), text);
});

test('numbering is stable across the 9 → 10 digit change', () => {
  // Each part holds one 30-char word; the suffix width changes from " 9/9" to " 10/10".
  const words = Array.from({ length: 10 }, (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(28)}`);
  const parts = splitThread(words.join(' '), upTo(36), { numbering: true });
  assert.equal(parts.length, 10);
  assert.equal(parts[9], `${words[9]} 10/10`);
  for (const p of parts) assert.ok(cp(p) <= 36);
});

test('first part carries the tail (link) and still fits; URLs and emoji are never split', () => {
  const url = 'https://kaltimprov.go.id/berita/123';
  const text = `Judul berita. ${'Kata '.repeat(40)}lihat ${url} dan 👨‍👩‍👧‍👦👨‍👩‍👧‍👦 selesai.`;
  const parts = splitThread(text, upTo(60), { numbering: true, firstTail: `\n\n${url}` });
  assert.ok(parts[0]?.includes(`\n\n${url} 1/`));
  for (const p of parts) {
    assert.ok(cp(p) <= 60, p);
    assert.ok(p.isWellFormed());
  }
  assert.equal(parts.filter((p) => p.includes(url)).length, 2);
  assert.ok(parts.some((p) => p.includes('👨‍👩‍👧‍👦👨‍👩‍👧‍👦')));
});

test('a 300-character word is split between graphemes', () => {
  const parts = splitThread('a'.repeat(300), upTo(100), { numbering: true });
  assert.equal(parts.length, 4);
  for (const p of parts) assert.ok(cp(p) <= 100);
  assert.equal(parts.map(stripNum).join(''), 'a'.repeat(300));
});

test('at most 25 parts; the remainder is shortened into the last one', () => {
  const text = Array.from({ length: 200 }, (_, i) => `Kalimat ke-${i + 1} ini.`).join(' ');
  const parts = splitThread(text, upTo(40), { numbering: true });
  assert.equal(parts.length, 25);
  assert.ok(parts[24]?.endsWith(' 25/25'));
  for (const p of parts) assert.ok(cp(p) <= 40);
});

test('numbering off: no suffix', () => {
  const parts = splitThread('Satu dua tiga. Empat lima enam.', upTo(16), { numbering: false });
  assert.deepEqual(parts, ['Satu dua tiga.', 'Empat lima enam.']);
});
