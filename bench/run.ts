/**
 * `npm run bench`: runs every benchmark and writes the figures to bench/results/latest.json (and a
 * dated copy), with the machine they were measured on. Benchmarks report; tests never time things.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCalendar } from './calendar.bench.ts';
import { benchContent } from './content.bench.ts';
import { benchFoundation } from './foundation.bench.ts';
import { benchPerception } from './perception.bench.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });

const results = {
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg() },
  foundation: await benchFoundation(),
  perception: await benchPerception(),
  content: await benchContent(),
  calendar: await benchCalendar(),
  portal: await (await import('./portal.bench.ts')).benchPortal(),
  portalSearch: await (await import('./portal-search.bench.ts')).benchPortalSearch(),
  publishing: await (await import('./publishing.bench.ts')).benchPublishing(),
  infographics: await (await import('./infographics.bench.ts')).benchInfographics(),
  kinerja: await (await import('./kinerja.bench.ts')).benchKinerja(),
};
const text = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(path.join(dir, 'latest.json'), text);
writeFileSync(path.join(dir, `${results.measuredAt.slice(0, 10)}.json`), text);
process.stdout.write(text);
