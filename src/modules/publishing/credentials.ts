/**
 * A channel's credentials, encrypted at rest and bound to the channel (see keyring.ts), and key
 * rotation: `siar keys rotate` adds a new key in front and re-encrypts every stored value with it.
 */
import type { Kysely } from 'kysely';
import type { ChannelRow, DB } from '../../db/schema.ts';
import { Keyring, saveKeyFile } from './keyring.ts';
import type { Credentials } from './connector.ts';

export function encryptCredentials(keyring: Keyring, channelId: string, credentials: Credentials): string {
  return keyring.encrypt(JSON.stringify(credentials), `channel:${channelId}`);
}

export function decryptCredentials(keyring: Keyring, channel: Pick<ChannelRow, 'id' | 'credentials_enc'>): Credentials {
  if (!channel.credentials_enc) return {};
  return JSON.parse(keyring.decrypt(channel.credentials_enc, `channel:${channel.id}`)) as Credentials;
}

export interface RotationResult {
  activeKey: string;
  reencrypted: number;
  keys: number;
}

/**
 * With a key file: a new key goes in front, written to the file before anything is re-encrypted
 * (so no value is ever encrypted with a key that is not on disk). With configured keys, the
 * operator puts the new key first in SIAR_ENCRYPTION_KEYS; rotation re-encrypts with it.
 */
export async function rotateKeys(db: Kysely<DB>, keyring: Keyring): Promise<{ keyring: Keyring; result: RotationResult }> {
  const next = keyring.file ? keyring.withNewKey() : keyring;
  if (next.file) saveKeyFile(next);
  const reencrypted = await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('channels').select(['id', 'credentials_enc']).where('credentials_enc', 'is not', null).forUpdate().execute();
    let count = 0;
    for (const row of rows) {
      if (next.keyIdOf(row.credentials_enc!) === next.active.id) continue;
      const plain = next.decrypt(row.credentials_enc!, `channel:${row.id}`);
      await trx.updateTable('channels').set({ credentials_enc: next.encrypt(plain, `channel:${row.id}`) }).where('id', '=', row.id).execute();
      count += 1;
    }
    return count;
  });
  return { keyring: next, result: { activeKey: next.active.id, reencrypted, keys: next.keys.length } };
}
