// model-file.ts — owns the on-disk model format: a JSON document (gzip'd)
// with a human-readable provenance header (license, NusaX attribution,
// sha256 of data files, settings, metrics) and compact weights: only the
// non-zero hash buckets, delta+varint coded, values int16-quantised per
// column, all base64. Decoding yields SparseMatrix rows, never dense arrays. Quantisation is applied to the in-memory model
// before evaluation so reported metrics are those of the saved weights.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { LANGS } from './csv.ts';
import type { Lang } from './csv.ts';
import type { EvalReport } from './evaluate.ts';
import type { SentimentHead } from './sentiment.ts';
import type { SparseMatrix } from './sparse.ts';
import type { TrainSettings } from './train.ts';

export const FORMAT = 'siar-perception/1';
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('./model/perception-model.json.gz', import.meta.url));

export interface PerceptionModelData {
  settings: TrainSettings;
  sha256: Record<string, string>;
  lexicon: Record<string, string[]> | undefined;
  langid: SparseMatrix;
  heads: Record<Lang, SentimentHead>;
  /** Cross-lingual LR used for inputs of at most settings.short.maxTokens words. */
  short: SparseMatrix;
  /** Word -> Indonesian word per language (crosslingual.ts); absent in older files. */
  toInd?: Record<Lang, Record<string, string>> | undefined;
  /** Cross-lingual sentiment LR over mapped tokens, mixed into every head
   *  with weight settings.xl.weight; absent = off. */
  xl?: SparseMatrix | undefined;
  background: { total: number; words: Record<string, number> };
  stopwords: string[];
}

export interface ModelHeader {
  format: string;
  license: string;
  attribution: string;
  derivedFrom: string;
  dataSha256: Record<string, string>;
  settings: TrainSettings;
  trainingSeconds: number;
  metrics: EvalReport;
  notes: string[];
}

interface EncodedMatrix { rows: number; stride: number; buckets: string; values: string; scales: number[]; bias: number[] }

interface ModelFile {
  header: ModelHeader;
  langid: EncodedMatrix;
  heads: Record<Lang, EncodedMatrix & { mix: number }>;
  short: EncodedMatrix;
  xl?: EncodedMatrix;
  toInd?: Record<Lang, Record<string, string>>;
  lexicon?: Record<string, string[]>;
  background: { total: number; words: Record<string, number> };
  stopwords: string[];
}

export const LICENSE = 'CC BY-SA 4.0';
export const ATTRIBUTION =
  'Derived from NusaX-Senti and NusaX-Lexicon: Winata et al., "NusaX: Multilingual Parallel Sentiment Dataset for 10 Indonesian Local Languages", EACL 2023, https://github.com/IndoNLP/nusax, licensed CC BY-SA 4.0. This model file is therefore shared under CC BY-SA 4.0. The embedded stopword list is stopwords-iso/stopwords-id (MIT, (c) 2016 Gene Diaz).';

/** Per-column int16 scales for a row-major matrix. */
function columnScales(w: Float32Array, stride: number): number[] {
  const mx = new Array<number>(stride).fill(0);
  for (let i = 0; i < w.length; i++) {
    const j = i % stride;
    const a = Math.abs(w[i] as number);
    if (a > (mx[j] as number)) mx[j] = a;
  }
  return mx.map((m) => (m > 0 ? m / 32767 : 1));
}

/** Snap weights onto the int16 grid in place, so memory == file. */
export function quantizeMatrix(m: SparseMatrix): void {
  const w = m.values;
  const sc = columnScales(w, m.stride);
  for (let i = 0; i < w.length; i++) {
    const s = sc[i % m.stride] as number;
    w[i] = Math.round((w[i] as number) / s) * s;
  }
}

export function quantizeModel(m: PerceptionModelData): void {
  quantizeMatrix(m.langid);
  quantizeMatrix(m.short);
  if (m.xl) quantizeMatrix(m.xl);
  for (const l of LANGS) quantizeMatrix(m.heads[l].m);
}

function encodeMatrix(m: SparseMatrix): EncodedMatrix {
  const sc = columnScales(m.values, m.stride);
  const bucketBytes: number[] = [];
  let prev = -1;
  for (const b of m.buckets) {
    let d = b - prev; prev = b;
    while (d >= 0x80) { bucketBytes.push((d & 0x7f) | 0x80); d >>>= 7; }
    bucketBytes.push(d);
  }
  const v16 = Int16Array.from(m.values, (x, i) => Math.round(x / (sc[i % m.stride] as number)));
  return {
    rows: m.dim, stride: m.stride,
    buckets: Buffer.from(Uint8Array.from(bucketBytes)).toString('base64'),
    values: Buffer.from(v16.buffer, v16.byteOffset, v16.byteLength).toString('base64'),
    scales: sc,
    bias: Array.from(m.bias),
  };
}

function decodeMatrix(e: EncodedMatrix): SparseMatrix {
  const bytes = Buffer.from(e.buckets, 'base64');
  const vb = Buffer.from(e.values, 'base64');
  // Copy into an aligned buffer: Buffer.from(base64) may be unaligned.
  const v = new Int16Array(vb.byteLength >> 1);
  new Uint8Array(v.buffer).set(vb);
  const stride = e.stride;
  const nRows = v.length / stride;
  if (!Number.isInteger(nRows)) throw new Error('corrupt model: value count');
  const buckets = new Int32Array(nRows);
  let pos = 0, b = -1, r = 0;
  while (pos < bytes.length) {
    let d = 0, shift = 0, byte = 0;
    do { byte = bytes[pos++] as number; d |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    b += d;
    if (b >= e.rows || r >= nRows) throw new Error('corrupt model: bucket out of range');
    buckets[r++] = b;
  }
  if (r !== nRows) throw new Error('corrupt model: row count mismatch');
  const sc = Float64Array.from(e.scales);
  const values = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) values[i] = (v[i] as number) * (sc[i % stride] as number);
  return { dim: e.rows, stride, buckets, values, bias: Float32Array.from(e.bias) };
}

export function encodeModel(m: PerceptionModelData, metrics: EvalReport, trainingSeconds: number): Buffer {
  const heads = {} as ModelFile['heads'];
  for (const l of LANGS) heads[l] = { ...encodeMatrix(m.heads[l].m), mix: m.heads[l].mix };
  const file: ModelFile = {
    header: {
      format: FORMAT,
      license: LICENSE,
      attribution: ATTRIBUTION,
      derivedFrom: 'NusaX-Senti ind/bjn/bug/jav/eng train (fit, word alignments to Indonesian), NusaX-Lexicon (word mappings), valid (ensemble weight) and train+valid cross-validation (hyper-parameters, see tune.ts); test used for reporting only',
      dataSha256: m.sha256,
      settings: m.settings,
      trainingSeconds: Math.round(trainingSeconds * 10) / 10,
      metrics,
      notes: [
        'macroF1 values are 0..1, sentiment head chosen by the gold language (as in the NusaX paper baselines).',
        'endToEndMacroF1 uses the automatically detected language.',
      ],
    },
    langid: encodeMatrix(m.langid),
    heads,
    short: encodeMatrix(m.short),
    background: m.background,
    stopwords: m.stopwords,
  };
  if (m.xl) file.xl = encodeMatrix(m.xl);
  if (m.toInd) file.toInd = m.toInd;
  if (m.lexicon) file.lexicon = m.lexicon;
  return gzipSync(Buffer.from(JSON.stringify(file)), { level: 9 });
}

export function decodeModel(buf: Buffer): { model: PerceptionModelData; header: ModelHeader } {
  // Accept both gzip'd and plain JSON (gzip magic 1f 8b).
  const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  const f = JSON.parse(raw.toString('utf8')) as ModelFile;
  if (f.header?.format !== FORMAT) throw new Error(`unsupported model format: ${String(f.header?.format)}`);

  const heads = {} as Record<Lang, SentimentHead>;
  for (const l of LANGS) {
    const e = f.heads[l];
    if (!e) throw new Error(`model has no head for ${l}`);
    heads[l] = { m: decodeMatrix(e), mix: e.mix };
  }
  return {
    header: f.header,
    model: {
      settings: f.header.settings,
      sha256: f.header.dataSha256,
      lexicon: f.lexicon,
      langid: decodeMatrix(f.langid),
      heads,
      short: decodeMatrix(f.short),
      toInd: f.toInd,
      xl: f.xl ? decodeMatrix(f.xl) : undefined,
      background: f.background,
      stopwords: f.stopwords,
    },
  };
}

export function writeModelFile(path: string, buf: Buffer): void {
  writeFileSync(path, buf);
}

export function readModelFile(path: string = DEFAULT_MODEL_PATH): { model: PerceptionModelData; header: ModelHeader } {
  return decodeModel(readFileSync(path));
}
