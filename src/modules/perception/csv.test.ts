import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSplit, parseCsv } from './csv.ts';

test('parseCsv handles quotes, doubled quotes, embedded newlines and CRLF', () => {
  const rows = parseCsv('id,text,label\r\n1,"a, b",positive\n2,"line1\nline2 ""q""",negative\n3,plain,neutral');
  assert.deepEqual(rows, [
    ['id', 'text', 'label'],
    ['1', 'a, b', 'positive'],
    ['2', 'line1\nline2 "q"', 'negative'],
    ['3', 'plain', 'neutral'],
  ]);
});

test('parseCsv keeps empty fields and ignores a trailing newline', () => {
  assert.deepEqual(parseCsv(',x,\n'), [['', 'x', '']]);
  assert.deepEqual(parseCsv(''), []);
});

test('loadSplit validates header and labels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nusax-'));
  mkdirSync(join(dir, 'ind'));
  writeFileSync(join(dir, 'ind', 'train.csv'), 'id,text,label\n1,"bagus\nsekali",positive\n');
  assert.deepEqual(loadSplit(dir, 'ind', 'train'), [{ id: '1', text: 'bagus\nsekali', label: 'positive', lang: 'ind' }]);
  writeFileSync(join(dir, 'ind', 'valid.csv'), 'id,text,label\n1,x,great\n');
  assert.throws(() => loadSplit(dir, 'ind', 'valid'), /bad row/);
});
