/**
 * The anti-spam check of the feedback form, with nothing written until a form is accepted.
 *
 * - Proof of work (browsers with JavaScript): `GET /umpan-balik/tantangan` hands out a random string
 *   signed with a key derived from the keyring, valid 10 minutes; the browser finds a nonce so that
 *   sha256(challenge + nonce) starts with `difficulty` zero bits (the difficulty is inside the
 *   signed text, so it cannot be lowered).
 * - Waiting (browsers without JavaScript): the first send answers with the form again and a signed
 *   token that becomes valid only some seconds later; sending again after that passes.
 *
 * Either token is accepted once: `spendChallenge` records it in portal_pow_spent until it expires.
 * Every web process derives the same key from the shared keyring, so any of them can verify.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { Keyring } from '../../publishing/keyring.ts';

export const CHALLENGE_TTL_MS = 10 * 60_000;
/** ~65,000 hashes on average: a few tenths of a second in a browser, nothing for one person. */
export const POW_DIFFICULTY = 16;
/** How long a browser without JavaScript waits before sending again. */
export const NO_SCRIPT_WAIT_MS = 15_000;

const PURPOSE = 'siar portal feedback challenge v1';

export type CheckResult =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'work' | 'too_early'; waitMs?: number };

/** Signs and verifies challenges with keys derived from the keyring (the first signs, all verify). */
export class ChallengeSigner {
  readonly #keys: Buffer[];

  constructor(keyring: Pick<Keyring, 'keys'>) {
    this.#keys = keyring.keys.map((k) => createHmac('sha256', k.key).update(PURPOSE).digest());
  }

  #sign(body: string, key = this.#keys[0]!): string {
    return createHmac('sha256', key).update(body).digest('base64url');
  }

  /** The token's four signed parts, or why it is not a token of ours. */
  #open(token: string): string[] | 'malformed' | 'signature' {
    const parts = token.split('.');
    if (parts.length !== 5 || parts.some((p) => !/^[\w-]+$/.test(p))) return 'malformed';
    const body = parts.slice(0, 4).join('.');
    const given = Buffer.from(parts[4]!, 'base64url');
    const valid = this.#keys.some((key) => {
      const expected = Buffer.from(this.#sign(body, key), 'base64url');
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    return valid ? parts.slice(0, 4) : 'signature';
  }

  /** A proof-of-work challenge for the browser's script. */
  issueWork(now: Date, difficulty = POW_DIFFICULTY): { challenge: string; difficulty: number; expiresAt: Date } {
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
    const body = ['p', expiresAt.getTime().toString(36), String(difficulty), randomBytes(16).toString('base64url')].join('.');
    return { challenge: `${body}.${this.#sign(body)}`, difficulty, expiresAt };
  }

  /** A waiting token for a browser without JavaScript: valid from `now + wait`. */
  issueWait(now: Date, waitMs = NO_SCRIPT_WAIT_MS): string {
    const notBefore = now.getTime() + waitMs;
    const expires = now.getTime() + CHALLENGE_TTL_MS;
    const body = ['w', notBefore.toString(36), expires.toString(36), randomBytes(16).toString('base64url')].join('.');
    return `${body}.${this.#sign(body)}`;
  }

  /** Checks a token (and for proof of work, the nonce) without spending it. */
  check(token: string, nonce: string, now: Date): CheckResult {
    if (token.length > 200 || nonce.length > 40) return { ok: false, reason: 'malformed' };
    const parts = this.#open(token);
    if (typeof parts === 'string') return { ok: false, reason: parts };
    const [kind, a, b] = parts as [string, string, string];
    if (kind === 'p') {
      const expires = parseInt(a, 36);
      const difficulty = Number(b);
      if (!Number.isFinite(expires) || !Number.isInteger(difficulty)) return { ok: false, reason: 'malformed' };
      if (now.getTime() >= expires) return { ok: false, reason: 'expired' };
      if (!/^\d{1,20}$/.test(nonce) || leadingZeroBits(createHash('sha256').update(token + nonce).digest()) < difficulty) return { ok: false, reason: 'work' };
      return { ok: true, token, expiresAt: new Date(expires) };
    }
    if (kind === 'w') {
      const notBefore = parseInt(a, 36);
      const expires = parseInt(b, 36);
      if (!Number.isFinite(notBefore) || !Number.isFinite(expires)) return { ok: false, reason: 'malformed' };
      if (now.getTime() >= expires) return { ok: false, reason: 'expired' };
      if (now.getTime() < notBefore) return { ok: false, reason: 'too_early', waitMs: notBefore - now.getTime() };
      return { ok: true, token, expiresAt: new Date(expires) };
    }
    return { ok: false, reason: 'malformed' };
  }
}

export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/**
 * Marks a checked token as used. False when it was used already (a replayed form). Spent tokens
 * past their expiry are deleted on the way (portal_pow_spent_expiry_idx), so the table holds at
 * most ten minutes of accepted forms.
 */
export async function spendChallenge(db: Kysely<DB>, token: string, expiresAt: Date, now: Date): Promise<boolean> {
  await db.deleteFrom('portal_pow_spent').where('expires_at', '<', now).execute();
  const inserted = await db.insertInto('portal_pow_spent').values({ challenge: token, expires_at: expiresAt })
    .onConflict((oc) => oc.column('challenge').doNothing()).returning('challenge').executeTakeFirst();
  return inserted !== undefined;
}
