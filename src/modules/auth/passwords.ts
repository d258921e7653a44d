/**
 * Password hashing (argon2id), one-time passwords for new accounts, and a strength check that
 * knows Indonesian words, names and the words of this very product and province, so that
 * "Samarinda2026" or "kaltimberdaulat" is refused as readily as "password123".
 */
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';
import type { Locale } from '../../errors/errors.ts';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. `algorithm: 2` is Argon2id (a const enum
// in the library's typings, which type-stripping cannot inline).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both paths take the same time. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('siar-decoy-password-never-valid');
  return decoyHash;
}

// No look-alike characters (0/O, 1/l/I): these passwords are read off a screen and typed once.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export function generateTemporaryPassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12)}`;
}

const localWords = [
  'siar', 'humas', 'kaltim', 'kalimantan', 'timur', 'samarinda', 'balikpapan', 'bontang', 'tenggarong', 'kutai',
  'kartanegara', 'berau', 'paser', 'penajam', 'mahakam', 'ulu', 'nusantara', 'ikn', 'diskominfo', 'kominfo', 'pemprov',
  'pemkab', 'pemkot', 'bappeda', 'dinkes', 'disdik', 'pupr', 'opd', 'gubernur', 'bupati', 'walikota', 'indonesia',
  'merdeka', 'garuda', 'pancasila', 'bismillah', 'rahasia', 'sandi', 'katasandi', 'admin', 'administrator', 'banjar',
  'bugis', 'jawa', 'dayak', 'pesut', 'enggang', 'ruhui', 'rahayu', 'berdaulat',
];

// The dictionaries are large; they load on the first password check, not at start-up.
const factories = new Map<Locale, Promise<ZxcvbnFactory>>();
function factory(locale: Locale): Promise<ZxcvbnFactory> {
  let f = factories.get(locale);
  if (!f) {
    f = makeFactory(locale);
    factories.set(locale, f);
  }
  return f;
}

async function makeFactory(locale: Locale): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, english, indonesian] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
    import('@zxcvbn-ts/language-id'),
  ]);
  return new ZxcvbnFactory({
    translations: locale === 'id' ? indonesian.translations : english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary, ...indonesian.dictionary, siar: localWords },
    useLevenshteinDistance: true,
  });
}

export const MIN_PASSWORD_LENGTH = 10;
export const MIN_PASSWORD_SCORE = 3;

export interface StrengthVerdict {
  ok: boolean;
  score: number;
  warnings: string[];
  suggestions: string[];
}

/** `personal` holds the person's own name and email, which must not make up their password. */
export async function checkPasswordStrength(password: string, personal: string[], locale: Locale): Promise<StrengthVerdict> {
  const tooLong = password.length > 256;
  const words = personal.flatMap((p) => p.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((p) => p.length >= 3);
  const result: ZxcvbnResult = (await factory(locale)).check(password.slice(0, 100), words);
  const warnings: string[] = [];
  // zxcvbn discounts a name it finds, but a password built on one's own name is out regardless.
  const lower = password.toLowerCase();
  const usesOwnName = words.some((w) => w.length >= 4 && lower.includes(w));
  if (usesOwnName) warnings.push(locale === 'id' ? 'Jangan memakai nama atau email Anda sendiri.' : 'Do not use your own name or email.');
  if (password.length < MIN_PASSWORD_LENGTH) {
    warnings.push(locale === 'id' ? `Minimal ${MIN_PASSWORD_LENGTH} karakter.` : `At least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (tooLong) warnings.push(locale === 'id' ? 'Maksimal 256 karakter.' : 'At most 256 characters.');
  if (result.feedback.warning) warnings.push(result.feedback.warning);
  if (result.score < MIN_PASSWORD_SCORE && warnings.length === 0) {
    warnings.push(locale === 'id' ? 'Kata sandi ini mudah ditebak.' : 'This password is easy to guess.');
  }
  const suggestions = result.feedback.suggestions.length > 0
    ? result.feedback.suggestions
    : [locale === 'id' ? 'Gunakan beberapa kata acak yang tidak berhubungan.' : 'Use a few unrelated random words.'];
  const ok = !tooLong && !usesOwnName && password.length >= MIN_PASSWORD_LENGTH && result.score >= MIN_PASSWORD_SCORE;
  return { ok, score: result.score, warnings, suggestions: ok ? [] : suggestions };
}
