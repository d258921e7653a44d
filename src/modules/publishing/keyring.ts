/**
 * Encryption of secrets at rest (channel credentials): AES-256-GCM with a random 96-bit IV per
 * value, the row's id as additional data (a ciphertext copied onto another row does not decrypt),
 * and the key's id in the value so keys can be rotated: the first key encrypts, every key decrypts,
 * `siar keys rotate` re-encrypts everything with a new first key.
 *
 * Keys come from SIAR_ENCRYPTION_KEYS, or else from `keys.json` in the data folder (created with
 * mode 0600 on first start); an in-memory database gets a key for the life of the process.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.ts';

export interface Key {
  id: string;
  key: Buffer;
}

export class Keyring {
  readonly keys: readonly Key[];
  /** Where the keys came from: rotation writes back there when it is a file. */
  readonly file: string | null;

  constructor(keys: readonly Key[], file: string | null = null) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`key ${k.id} is not 32 bytes`);
    this.keys = keys;
    this.file = file;
  }

  get active(): Key {
    return this.keys[0]!;
  }

  encrypt(plain: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', this.active.id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  decrypt(value: string, boundTo: string): string {
    const [version, keyId, iv, tag, data] = value.split(':');
    if (version !== 'v1' || !keyId || !iv || !tag || data === undefined) throw new Error('not an encrypted value');
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) throw new Error(`unknown encryption key ${keyId}: was it removed from SIAR_ENCRYPTION_KEYS?`);
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }

  keyIdOf(value: string): string | null {
    return value.startsWith('v1:') ? (value.split(':')[1] ?? null) : null;
  }

  /** A keyring with a fresh key in front of the existing ones. */
  withNewKey(): Keyring {
    return new Keyring([newKey(), ...this.keys], this.file);
  }
}

export function newKey(): Key {
  return { id: `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`, key: randomBytes(32) };
}

export function parseKeys(text: string): Key[] {
  return text.split(',').map((entry) => {
    const [id, key] = entry.split(':');
    return { id: id!, key: Buffer.from(key!, 'base64') };
  });
}

export const formatKeys = (keys: readonly Key[]): string => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

export function keyFileOf(config: Pick<Config, 'dataDir'>): string | null {
  return config.dataDir.startsWith('memory://') ? null : path.join(config.dataDir, 'keys.json');
}

let memoryKeyring: Keyring | undefined;

/** The process's keyring: configured keys, else the data folder's key file (created when missing). */
export function loadKeyring(config: Pick<Config, 'encryptionKeys' | 'dataDir'>): Keyring {
  if (config.encryptionKeys) return new Keyring(parseKeys(config.encryptionKeys));
  const file = keyFileOf(config);
  if (!file) return (memoryKeyring ??= new Keyring([newKey()]));
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keys: string };
    return new Keyring(parseKeys(stored.keys), file);
  }
  const keyring = new Keyring([newKey()], file);
  saveKeyFile(keyring);
  return keyring;
}

export function saveKeyFile(keyring: Keyring): void {
  if (!keyring.file) return;
  mkdirSync(path.dirname(keyring.file), { recursive: true });
  const partial = `${keyring.file}.partial`;
  writeFileSync(partial, `${JSON.stringify({ note: 'Siar encryption keys. Keep with backups; without them channel credentials cannot be read.', keys: formatKeys(keyring.keys) }, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, keyring.file);
}
