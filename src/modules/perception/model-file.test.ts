import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { LANGS } from './csv.ts';
import { DEFAULT_MODEL_PATH, decodeModel, encodeModel, readModelFile } from './model-file.ts';

test('committed model file is < 5 MB and carries the provenance header', () => {
  assert.ok(statSync(DEFAULT_MODEL_PATH).size < 5 * 1024 * 1024);
  const { header } = readModelFile();
  assert.equal(header.license, 'CC BY-SA 4.0');
  assert.match(header.attribution, /Winata et al\..*EACL 2023/);
  for (const l of LANGS) {
    for (const s of ['train', 'valid', 'test']) assert.match(header.dataSha256[`nusax-senti/${l}/${s}.csv`] ?? '', /^[0-9a-f]{64}$/);
    assert.ok((header.metrics.test?.macroF1[l] ?? 0) > 0.5);
    assert.ok((header.metrics.valid?.macroF1[l] ?? 0) > 0.5);
  }
  assert.ok((header.metrics.test?.langIdAccuracy ?? 0) > 0.9);
  assert.equal(typeof header.settings.seed, 'number');
});

test('encode/decode round-trips the quantised weights exactly', () => {
  const { model, header } = readModelFile();
  const again = decodeModel(encodeModel(model, header.metrics, header.trainingSeconds));
  for (const l of LANGS) {
    assert.deepEqual(again.model.heads[l].m, model.heads[l].m);
    assert.equal(again.model.heads[l].mix, model.heads[l].mix);
  }
  assert.deepEqual(again.model.langid, model.langid);
  assert.deepEqual(again.model.short, model.short);
  assert.ok(model.xl, 'the committed model has a cross-lingual head');
  assert.deepEqual(again.model.xl, model.xl);
  assert.deepEqual(again.model.toInd, model.toInd);
  assert.deepEqual(again.header.metrics, header.metrics);
});

test('decodeModel rejects foreign or corrupt files', () => {
  assert.throws(() => decodeModel(Buffer.from('{"header":{"format":"x"}}')), /unsupported model format/);
  assert.throws(() => decodeModel(Buffer.from('not json')));
});
