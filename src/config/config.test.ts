import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults give a working embedded install on port 3000', () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.port, 3000);
  assert.equal(config.dataDir, path.resolve('./data'));
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.role, 'all');
  assert.equal(config.demo, true);
});

test('flags win over the environment, which wins over the config file', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'siar-config-')), 'siar.json');
  writeFileSync(file, JSON.stringify({ port: 4000, dataDir: '/srv/siar', logLevel: 'warn' }));
  const config = loadConfig({ env: { PORT: '5000', SIAR_CONFIG: file }, overrides: { dataDir: '/tmp/flag' } });
  assert.equal(config.port, 5000);
  assert.equal(config.dataDir, '/tmp/flag');
  assert.equal(config.logLevel, 'warn');
});

test('every problem is listed at once, naming the variable', () => {
  try {
    loadConfig({ env: { PORT: 'delapan', DATABASE_URL: 'mysql://x', SIAR_ROLE: 'boss', SIAR_DEMO: 'mungkin' } });
    assert.fail('should have thrown');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    const text = error.problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'SIAR_ROLE', 'SIAR_DEMO']) assert.match(text, new RegExp(name));
    assert.equal(error.problems.length, 4);
  }
});

test('unknown keys in the config file are reported', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'siar-config-')), 'siar.json');
  writeFileSync(file, JSON.stringify({ prot: 1 }));
  assert.throws(() => loadConfig({ env: {}, configFile: file }), (e: ConfigError) => e.problems.some((p) => p.includes('prot')));
  writeFileSync(file, '{ not json');
  assert.throws(() => loadConfig({ env: {}, configFile: file }), (e: ConfigError) => e.problems.some((p) => p.includes(file)));
});
