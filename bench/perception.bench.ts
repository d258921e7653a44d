// bench/perception.bench.ts — measures the perception module on one core:
// model load time, memory after load (RSS / heap delta), and classification
// throughput for short social-media comments. Reported, never asserted.
// Run alone: `node bench/perception.bench.ts` prints JSON (add --expose-gc
// for memory deltas without the decoder's temporary buffers).
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/modules/perception/index.ts';

const SUBJECTS = ['pelayanan', 'jalan', 'lampu jalan', 'petugas', 'puskesmas', 'air PDAM', 'sampah', 'program bansos', 'website dinas', 'antrean KTP'];
const PREDICATES = [
  'sangat bagus, terima kasih 👍', 'rusak parah gak diperbaiki2', 'lambat bgt, kecewa :(', 'cukup baik', 'mantappp pak', 'kapan diperbaiki?',
  'tidak ramah sama sekali', 'sudah oke', 'banjir lagi hari ini', 'apik tenan', 'kada baik', 'very helpful, thanks', 'ora jelas', '@dinas tolong dicek',
];

/** Deterministic set of short, varied comments (no data dir needed). */
function comments(n: number): string[] {
  const out: string[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const s = SUBJECTS[x % SUBJECTS.length] as string;
    const p = PREDICATES[(x >>> 8) % PREDICATES.length] as string;
    out.push((x & 1) === 1 ? `${s} ${p}` : `${p} ${s}`);
  }
  return out;
}

export async function benchPerception(): Promise<Record<string, number | string>> {
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const ab0 = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const model = loadModel();
  const loadMs = performance.now() - t0;
  globalThis.gc?.(); // only with --expose-gc; otherwise deltas include decode garbage
  const mem = process.memoryUsage();
  // A second load measures steady-state cost without module JIT warm-up.
  const t1 = performance.now();
  loadModel();
  const reloadMs = performance.now() - t1;

  const texts = comments(5000);
  const avgChars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  for (let i = 0; i < 2; i++) model.classifyBatch(texts); // warm-up (JIT)
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 2000) {
    for (const t of texts) model.classify(t);
    n += texts.length;
    elapsed = performance.now() - start;
  }
  const perSec = (n / elapsed) * 1000;
  const kwStart = performance.now();
  model.keywords(texts);
  const kwMs = performance.now() - kwStart;

  return {
    modelLoadMs: Math.round(loadMs * 10) / 10,
    modelReloadMs: Math.round(reloadMs * 10) / 10,
    rssDeltaMiB: Math.round(((mem.rss - rss0) / 2 ** 20) * 10) / 10,
    heapDeltaMiB: Math.round(((mem.heapUsed - heap0) / 2 ** 20) * 10) / 10,
    arrayBuffersDeltaMiB: Math.round(((mem.arrayBuffers - ab0) / 2 ** 20) * 10) / 10,
    classifyPerSec: Math.round(perSec),
    avgCommentChars: Math.round(avgChars),
    keywords5000Ms: Math.round(kwMs),
    targets: 'classify >= 50000/s, load < 200 ms',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchPerception(), null, 2));
}
