/** The anti-spam check's tokens and the per-address send limit, without a database. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Keyring, newKey } from '../../publishing/keyring.ts';
import { ChallengeSigner, leadingZeroBits, NO_SCRIPT_WAIT_MS } from './challenge.ts';
import { SendLimiter } from './rate-limit.ts';
import { solveChallenge } from './test-pow.ts';

const now = new Date('2026-03-02T01:00:00Z');

test('leading zero bits of a digest', () => {
  assert.equal(leadingZeroBits(Uint8Array.from([0x80])), 0);
  assert.equal(leadingZeroBits(Uint8Array.from([0x01])), 7);
  assert.equal(leadingZeroBits(Uint8Array.from([0x00, 0x00, 0x3f])), 18);
  assert.equal(leadingZeroBits(Uint8Array.from([0x00, 0x00])), 16);
});

test('a solved challenge passes; a wrong nonce, a changed difficulty, another key or an old one do not', () => {
  const signer = new ChallengeSigner(new Keyring([newKey()]));
  const { challenge, difficulty } = signer.issueWork(now, 12);
  assert.equal(difficulty, 12);
  const nonce = solveChallenge(challenge, 12);
  const passed = signer.check(challenge, nonce, now);
  assert.equal(passed.ok, true);

  // A nonce that does not reach the difficulty.
  let wrong = 0;
  while (leadingZeroBits(createHash('sha256').update(challenge + wrong).digest()) >= 12) wrong++;
  assert.deepEqual(signer.check(challenge, String(wrong), now), { ok: false, reason: 'work' });

  // Lowering the difficulty inside the token breaks its signature.
  const parts = challenge.split('.');
  parts[2] = '1';
  assert.deepEqual(signer.check(parts.join('.'), '0', now), { ok: false, reason: 'signature' });
  assert.deepEqual(new ChallengeSigner(new Keyring([newKey()])).check(challenge, nonce, now), { ok: false, reason: 'signature' });
  assert.deepEqual(signer.check('not a token', nonce, now), { ok: false, reason: 'malformed' });

  // Ten minutes later it has expired.
  assert.deepEqual(signer.check(challenge, nonce, new Date(now.getTime() + 10 * 60_000)), { ok: false, reason: 'expired' });
});

test('after a key rotation, challenges signed with the previous key still verify', () => {
  const old = new Keyring([newKey()]);
  const { challenge, difficulty } = new ChallengeSigner(old).issueWork(now, 8);
  const rotated = new ChallengeSigner(old.withNewKey());
  assert.equal(rotated.check(challenge, solveChallenge(challenge, difficulty), now).ok, true);
});

test('the waiting token of the no-JavaScript path is valid only after the wait, until it expires', () => {
  const signer = new ChallengeSigner(new Keyring([newKey()]));
  const token = signer.issueWait(now);
  const early = signer.check(token, '', new Date(now.getTime() + 5_000));
  assert.equal(early.ok, false);
  assert.equal(!early.ok && early.reason, 'too_early');
  assert.equal(!early.ok && early.waitMs, NO_SCRIPT_WAIT_MS - 5_000);
  assert.equal(signer.check(token, '', new Date(now.getTime() + NO_SCRIPT_WAIT_MS)).ok, true);
  assert.deepEqual(signer.check(token, '', new Date(now.getTime() + 10 * 60_000)), { ok: false, reason: 'expired' });
});

test('sends per address: five in ten minutes, then the time until the oldest leaves the window', () => {
  const limiter = new SendLimiter(5, 10 * 60_000);
  const t0 = now.getTime();
  for (let i = 0; i < 5; i++) {
    assert.equal(limiter.waitMs('203.0.113.7', t0 + i * 60_000), 0);
    limiter.record('203.0.113.7', t0 + i * 60_000);
  }
  assert.equal(limiter.waitMs('203.0.113.7', t0 + 5 * 60_000), 5 * 60_000);
  assert.equal(limiter.waitMs('198.51.100.1', t0 + 5 * 60_000), 0, 'another address is not affected');
  assert.equal(limiter.waitMs('203.0.113.7', t0 + 10 * 60_000 + 1), 0, 'the oldest send has left the window');
});
