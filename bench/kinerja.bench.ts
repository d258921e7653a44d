/**
 * Kinerja import of a 50,000-row XLSX (5,000 goals of ten indicators, as exceljs writes it): the
 * upload step (read, find the table, check every row, store the file), the first confirm (every
 * goal, indicator and history row written in one transaction) and a second import of the same file
 * (nothing changes). Time and peak memory (RSS and V8 heap, sampled every 10 ms) per step, on the
 * embedded database and, when reachable, the PostgreSQL server.
 */
import { postgresAvailable } from '../test/backends.ts';
import { startTestServer } from '../test/server.ts';
import { makeUnit, topUnitId } from '../test/people.ts';
import { systemActor } from '../src/modules/audit/record.ts';
import { defaultCapaianSettings } from '../src/modules/kinerja/capaian.ts';
import { confirmImport, createImport } from '../src/modules/kinerja/import-kinerja.ts';
import { largeXlsx } from '../src/modules/kinerja/test-fixtures.ts';

const ROWS = 50_000;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function measured<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number; peakHeapMb: number; rssGrowthMb: number }> {
  globalThis.gc?.();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 10);
  const start = performance.now();
  try {
    const result = await run();
    const ms = performance.now() - start;
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
    return { result, ms: Math.round(ms), peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), rssGrowthMb: mb(peakRss - startRss) };
  } finally {
    clearInterval(timer);
  }
}

async function onBackend(backend: 'pglite' | 'postgres', file: Buffer) {
  const server = await startTestServer({ backend, demo: false, listen: false });
  try {
    const db = server.siar.services.db;
    const unitId = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Bench Kinerja');
    const actor = systemActor('bench');
    const upload = await measured(() => createImport(db, { unitId, year: 2025, fileName: 'iku.xlsx', data: file, actor, settings: defaultCapaianSettings }));
    const first = await measured(() => confirmImport(db, { importId: upload.result.id, mapping: upload.result.mapping, actor }));
    const again = await createImport(db, { unitId, year: 2025, fileName: 'iku.xlsx', data: file, actor, settings: defaultCapaianSettings });
    const reimport = await measured(() => confirmImport(db, { importId: again.id, mapping: again.mapping, actor }));
    const strip = <T extends { result: unknown }>({ result: _r, ...rest }: T) => rest;
    return {
      upload: { ...strip(upload), rows: upload.result.dataRows, errors: upload.result.errorCount },
      firstImport: { ...strip(first), created: first.result.created, goals: first.result.goalsCreated },
      sameFileAgain: { ...strip(reimport), changed: reimport.result.created + reimport.result.updated },
    };
  } finally {
    await server.close();
  }
}

export async function benchKinerja() {
  const file = await largeXlsx(ROWS);
  const results: Record<string, unknown> = { rows: ROWS, fileMb: mb(file.length), pglite: await onBackend('pglite', file) };
  if (await postgresAvailable()) results.postgres = await onBackend('postgres', file);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchKinerja(), null, 2)}\n`);
}
