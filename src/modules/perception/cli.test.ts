import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { runPerceptionCommand } from './cli.ts';

function io(input: string, dataDir?: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  stderr.on('data', (d: Buffer) => { err += d.toString(); });
  return { io: { stdin: Readable.from([input]), stdout, stderr, dataDir }, out: () => out, err: () => err };
}

test('classify: one JSON object per input line, including empty lines', async () => {
  const x = io('Pelayanan bagus sekali\n\nThe road is broken and nobody cares\r\n');
  assert.equal(await runPerceptionCommand(['classify'], x.io), 0);
  const lines = x.out().trimEnd().split('\n').map((l) => JSON.parse(l) as { lang: string; label: string; scores: Record<string, number> });
  assert.equal(lines.length, 3);
  assert.equal(lines[0]?.label, 'positive');
  assert.equal(lines[1]?.lang, 'other');
  assert.equal(lines[2]?.lang, 'eng');
  assert.deepEqual(Object.keys(lines[0] ?? {}), ['lang', 'label', 'scores']);
});

test('classify streams many lines with batching', async () => {
  const n = 20_000;
  const x = io(Array.from({ length: n }, (_, i) => `komentar ${i} bagus`).join('\n'));
  assert.equal(await runPerceptionCommand(['classify'], x.io), 0);
  assert.equal(x.out().trimEnd().split('\n').length, n);
});

test('train and eval need the data dir: clear message and exit 2', async () => {
  for (const cmd of ['train', 'eval']) {
    const x = io('', undefined);
    assert.equal(await runPerceptionCommand([cmd], x.io), 2);
    assert.match(x.err(), /NusaX-Senti data not found/);
    const y = io('', '/nonexistent/nusax');
    assert.equal(await runPerceptionCommand([cmd], y.io), 2);
    assert.match(y.err(), /\/nonexistent\/nusax/);
  }
});

test('keywords prints tab-separated terms; usage errors exit 2', async () => {
  const x = io('jalan rusak lagi\njalan rusak parah\nbanjir di jalan rusak\n');
  assert.equal(await runPerceptionCommand(['keywords', '--top', '3'], x.io), 0);
  assert.match(x.out(), /^jalan rusak\t3\t/);
  const y = io('');
  assert.equal(await runPerceptionCommand(['keywords', '--top', 'abc'], y.io), 2);
  assert.equal(await runPerceptionCommand(['nope'], io('').io), 2);
  assert.equal(await runPerceptionCommand([], io('').io), 2);
});

test('classify stops quietly when the reader closes the output', async () => {
  const x = io(Array.from({ length: 50_000 }, () => 'jalan rusak lagi').join('\n'));
  let got = 0;
  x.io.stdout.on('data', () => { got++; if (got === 1) x.io.stdout.destroy(); });
  assert.equal(await runPerceptionCommand(['classify'], x.io), 0);
});
