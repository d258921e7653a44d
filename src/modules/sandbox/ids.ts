/** Identifiers that look like each network's own: Mastodon snowflakes, AT Protocol CIDs, TIDs and DIDs. */
import { createHash, randomBytes } from 'node:crypto';

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** A real CIDv1 (sha2-256) over the given bytes; `codec` 0x71 = dag-cbor (records), 0x55 = raw (blobs). */
export function cidFor(content: Uint8Array | string, codec: 0x71 | 0x55): string {
  const digest = createHash('sha256').update(content).digest();
  return 'b' + base32(new Uint8Array([0x01, codec, 0x12, 0x20, ...digest]));
}

let lastSnowflake = 0n;
/** Mastodon-style ids: milliseconds shifted left 16 bits, strictly increasing, compared as integers. */
export function snowflake(now: number): string {
  let id = BigInt(now) << 16n;
  if (id <= lastSnowflake) id = lastSnowflake + 1n;
  lastSnowflake = id;
  return id.toString();
}

const sortableBase32 = '234567abcdefghijklmnopqrstuvwxyz';
let lastTid = 0n;
/** AT Protocol TID: 53 bits of microseconds + 10 bits clock id, sortable base32, 13 characters. */
export function tid(now: number): string {
  let micros = BigInt(now) * 1000n;
  if (micros <= lastTid) micros = lastTid + 1n;
  lastTid = micros;
  let value = (micros << 10n) | BigInt(randomBytes(2).readUInt16BE() & 1023);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = sortableBase32[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

export function plcDid(): string {
  return 'did:plc:' + base32(randomBytes(15)).slice(0, 24);
}

export function token(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url');
}

export function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}
