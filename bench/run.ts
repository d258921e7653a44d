/**
 * `npm run bench`: runs every benchmark and writes the figures to bench/results/latest.json (and a
 * dated copy), with the machine they were measured on. Benchmarks report; tests never time things.
 *
 * `npm run bench -- portal portalSearch` runs only the named sections and merges them into
 * latest.json; each section records when and on what load it was measured, so figures from
 * different runs are never mistaken for one run. Each section runs in a process of its own, so
 * one section's memory (a 100,000-article database) never counts in another's figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });

const sections: Record<string, () => Promise<unknown>> = {
  foundation: async () => (await import('./foundation.bench.ts')).benchFoundation(),
  perception: async () => (await import('./perception.bench.ts')).benchPerception(),
  content: async () => (await import('./content.bench.ts')).benchContent(),
  calendar: async () => (await import('./calendar.bench.ts')).benchCalendar(),
  portal: async () => (await import('./portal.bench.ts')).benchPortal(),
  portalSearch: async () => (await import('./portal-search.bench.ts')).benchPortalSearch(),
  publishing: async () => (await import('./publishing.bench.ts')).benchPublishing(),
  infographics: async () => (await import('./infographics.bench.ts')).benchInfographics(),
  kinerja: async () => (await import('./kinerja.bench.ts')).benchKinerja(),
};

// A child running one section prints its figures as JSON and nothing else.
if (process.argv[2] === '--one') {
  const figures = await sections[process.argv[3]!]!();
  process.stdout.write(`\n@@figures@@${JSON.stringify(figures)}\n`);
  process.exit(0);
}

function runSection(name: string): unknown {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--one', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const marker = child.stdout.lastIndexOf('@@figures@@');
  if (child.status !== 0 || marker === -1) throw new Error(`benchmark ${name} failed (exit ${child.status})`);
  return JSON.parse(child.stdout.slice(marker + '@@figures@@'.length));
}

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in sections));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}\n`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : Object.keys(sections);
const machine = () => ({ node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg() });

const latestFile = path.join(dir, 'latest.json');
const previous = asked.length > 0 && existsSync(latestFile) ? JSON.parse(readFileSync(latestFile, 'utf8')) as Record<string, unknown> : {};
const results: Record<string, unknown> = { ...previous, measuredAt: new Date().toISOString(), machine: machine() };
for (const name of names) {
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg();
  const figures = runSection(name);
  results[name] = { measuredAt: startedAt, loadAverageAtStart: loadAtStart, ...(figures as Record<string, unknown>) };
}
const text = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(latestFile, text);
writeFileSync(path.join(dir, `${String(results.measuredAt).slice(0, 10)}.json`), text);
process.stdout.write(text);
