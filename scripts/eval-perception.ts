// scripts/eval-perception.ts — scores the committed perception model on the
// NusaX test split: macro-F1 per language, language-id accuracy and a
// markdown table beside the published baselines. `--json` prints one JSON
// object. Data dir: $SIAR_NUSAX_DIR, else ../shared/data/nusax-senti
// relative to the repository root. Exit 2 when the data is missing.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasNusax, loadNusax } from '../src/modules/perception/dataset.ts';
import { evaluateModel } from '../src/modules/perception/evaluate.ts';
import { DEFAULT_MODEL_PATH, readModelFile } from '../src/modules/perception/model-file.ts';
import { jsonReport, textReport } from '../src/modules/perception/report.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.SIAR_NUSAX_DIR || resolve(repoRoot, '..', 'shared', 'data', 'nusax-senti');
const json = process.argv.includes('--json');

if (!hasNusax(dataDir)) {
  process.stderr.write(`eval-perception: NusaX-Senti not found at ${dataDir}; set SIAR_NUSAX_DIR.\n`);
  process.exit(2);
}
const { model, header } = readModelFile(DEFAULT_MODEL_PATH);
const report = evaluateModel(model, loadNusax(dataDir), ['valid', 'test']);
if (json) {
  process.stdout.write(`${JSON.stringify(jsonReport(report))}\n`);
} else {
  process.stdout.write(`NusaX-Senti evaluation of ${DEFAULT_MODEL_PATH}\n(model trained in ${header.trainingSeconds} s; macro-F1 in %, test split; valid was used for tuning)\n\n${textReport(report)}\n`);
}
