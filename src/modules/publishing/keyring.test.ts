import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { startTestServer } from '../../../test/server.ts';
import { topUnitId } from '../../../test/people.ts';
import { decryptCredentials, encryptCredentials, rotateKeys } from './credentials.ts';
import { formatKeys, Keyring, loadKeyring, newKey } from './keyring.ts';

describe('credential encryption', () => {
  const keyring = new Keyring([newKey()]);

  test('round trip, bound to its row, tamper-evident', () => {
    const sealed = keyring.encrypt('{"botToken":"123:abc"}', 'channel:a');
    assert.doesNotMatch(sealed, /abc/);
    assert.equal(keyring.decrypt(sealed, 'channel:a'), '{"botToken":"123:abc"}');
    assert.throws(() => keyring.decrypt(sealed, 'channel:b'), 'a value copied to another row does not decrypt');
    const parts = sealed.split(':');
    const data = Buffer.from(parts[4]!, 'base64');
    data[0] = data[0]! ^ 1;
    parts[4] = data.toString('base64');
    assert.throws(() => keyring.decrypt(parts.join(':'), 'channel:a'));
    // Each encryption has its own IV.
    assert.notEqual(keyring.encrypt('x', 'channel:a'), keyring.encrypt('x', 'channel:a'));
  });

  test('an unknown key says which one is missing', () => {
    const other = new Keyring([newKey()]);
    const sealed = other.encrypt('secret', 'r');
    assert.throws(() => keyring.decrypt(sealed, 'r'), new RegExp(other.active.id));
  });

  test('configured keys: the first encrypts, all decrypt', () => {
    const old = newKey();
    const current = newKey();
    const before = new Keyring([old]).encrypt('lama', 'r');
    const ring = loadKeyring({ encryptionKeys: formatKeys([current, old]), dataDir: 'memory://' });
    assert.equal(ring.decrypt(before, 'r'), 'lama');
    assert.equal(ring.keyIdOf(ring.encrypt('baru', 'r')), current.id);
  });

  test('a data folder gets a key file readable by its owner only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'siar-keys-'));
    const first = loadKeyring({ dataDir: dir });
    const file = path.join(dir, 'keys.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(loadKeyring({ dataDir: dir }).active.id, first.active.id, 'the same key on the next start');
  });

  test('rotation re-encrypts every stored credential with a new key, written to the key file first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'siar-keys-'));
    const server = await startTestServer({ demo: false, listen: false });
    try {
      const db = server.siar.services.db;
      const ring = loadKeyring({ dataDir: dir });
      const unit = await topUnitId(server);
      const channel = await db.insertInto('channels').values({ unit_id: unit, network: 'telegram', name: 'Info', handle: '@info_uji', limit_overrides: '{}' }).returningAll().executeTakeFirstOrThrow();
      await db.updateTable('channels').set({ credentials_enc: encryptCredentials(ring, channel.id, { botToken: '42:rahasia', chatId: '@info_uji' }) }).where('id', '=', channel.id).execute();
      const { keyring: next, result } = await rotateKeys(db, ring);
      assert.equal(result.reencrypted, 1);
      assert.notEqual(next.active.id, ring.active.id);
      assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'keys.json'), 'utf8')).keys.split(',').map((k: string) => k.split(':')[0]), [next.active.id, ring.active.id]);
      const row = await db.selectFrom('channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
      assert.equal(next.keyIdOf(row.credentials_enc!), next.active.id);
      assert.deepEqual(decryptCredentials(loadKeyring({ dataDir: dir }), row), { botToken: '42:rahasia', chatId: '@info_uji' });
      assert.equal((await rotateKeys(db, loadKeyring({ dataDir: dir }))).result.keys, 3);
    } finally {
      await server.close();
    }
  });
});
