import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPasswordStrength, generateTemporaryPassword, hashPassword, verifyPassword } from './passwords.ts';

test('argon2id hashes verify the right password only', async () => {
  const hash = await hashPassword('kopi-pagi-di-tepian-mahakam');
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword(hash, 'kopi-pagi-di-tepian-mahakam'), true);
  assert.equal(await verifyPassword(hash, 'kopi-pagi-di-tepian-mahakaM'), false);
  assert.equal(await verifyPassword('bukan-hash', 'apa'), false);
});

test('Indonesian words, local names and the person’s own name are weak', async () => {
  for (const weak of ['rahasia123', 'Samarinda2026', 'kaltimberdaulat', 'bismillah', 'Indonesia45', 'merdeka1945', 'BudiSantoso99']) {
    const verdict = await checkPasswordStrength(weak, ['Budi Santoso', 'budi@kaltimprov.go.id'], 'id');
    assert.equal(verdict.ok, false, weak);
    assert.ok(verdict.warnings.length > 0, weak);
    assert.ok(verdict.suggestions.length > 0, weak);
  }
});

test('long unrelated words and generated passwords are strong', async () => {
  for (const strong of ['kucing-terbang-di-atas-sawit-9', generateTemporaryPassword(), 'Gelas?Biru!Pulau7Jendela']) {
    const verdict = await checkPasswordStrength(strong, ['Budi Santoso'], 'id');
    assert.equal(verdict.ok, true, `${strong}: ${verdict.warnings.join(', ')}`);
  }
});

test('feedback comes in the person’s language', async () => {
  assert.match((await checkPasswordStrength('abc', [], 'id')).warnings.join(' '), /Minimal 10 karakter/);
  assert.match((await checkPasswordStrength('abc', [], 'en')).warnings.join(' '), /At least 10 characters/);
  assert.equal((await checkPasswordStrength('x'.repeat(300), [], 'en')).ok, false);
});

test('temporary passwords avoid look-alike characters', () => {
  for (let i = 0; i < 50; i += 1) assert.match(generateTemporaryPassword(), /^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
});
