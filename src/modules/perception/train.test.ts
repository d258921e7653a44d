// Retrains from the shared NusaX data and checks the committed metrics are
// reproduced. Skips (with a message) where the data is not available.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { LANGS } from './csv.ts';
import { hasNusax } from './dataset.ts';
import { readModelFile } from './model-file.ts';
import { trainPerception } from './train.ts';

// Test-only location of the shared data: beside the repository checkout.
const DATA_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/nusax-senti');
const exists = hasNusax(DATA_DIR);

test('retraining reproduces the committed metrics within 0.5 F1 points', { skip: !exists && `NusaX data not found at ${DATA_DIR}`, timeout: 180_000 }, () => {
  const { header } = readModelFile();
  const r = trainPerception(DATA_DIR, header.settings);
  for (const l of LANGS) {
    for (const s of ['valid', 'test'] as const) {
      const want = header.metrics[s]?.macroF1[l] ?? NaN;
      const got = r.report[s]?.macroF1[l] ?? NaN;
      assert.ok(Math.abs(got - want) <= 0.005, `${s} ${l}: committed ${want}, retrained ${got}`);
    }
  }
  assert.ok(Math.abs((r.report.test?.langIdAccuracy ?? 0) - (header.metrics.test?.langIdAccuracy ?? 1)) <= 0.005);
  // The data the model says it came from is the data we trained on.
  assert.deepEqual(r.model.sha256, header.dataSha256);
});
