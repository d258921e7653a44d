// cli.ts — owns the `siar perception …` subcommands (train, classify, eval,
// keywords). The host CLI passes streams and the NusaX data directory from
// its config; nothing here reads the environment. Returns an exit code:
// 0 ok, 1 runtime failure, 2 usage error or missing data.
import { createInterface } from 'node:readline';
import { hasNusax, loadNusax } from './dataset.ts';
import { evaluateModel } from './evaluate.ts';
import { loadModel } from './index.ts';
import type { PerceptionModel } from './index.ts';
import { DEFAULT_MODEL_PATH, encodeModel, writeModelFile } from './model-file.ts';
import { jsonReport, textReport } from './report.ts';
import { trainPerception } from './train.ts';

export interface PerceptionIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  dataDir: string | undefined;
}

const USAGE = `usage: siar perception <command> [options]
  train [--out PATH]           train from the NusaX data dir, write the model, print metrics
  classify [--model PATH] [--lang-scores]
                               one text per stdin line -> one JSON object per stdout line
  eval [--json] [--model PATH] score the model on the NusaX test split
  keywords [--top N] [--json] [--model PATH]
                               one text per stdin line -> characteristic terms and phrases
`;

interface Parsed { flags: Set<string>; values: Map<string, string>; rest: string[] }

function parseArgs(argv: readonly string[], valued: readonly string[]): Parsed {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (valued.includes(name)) {
        const v = eq === -1 ? argv[++i] : a.slice(eq + 1);
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        values.set(name, v);
      } else flags.add(name);
    } else rest.push(a);
  }
  return { flags, values, rest };
}

class UsageError extends Error {}

/** Thrown when the consumer went away (e.g. `siar perception classify | head`). */
class OutputClosed extends Error {}

/** Write and honour backpressure; rejects if the stream errors or closes. */
function write(s: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (): void => { cleanup(); reject(new OutputClosed()); };
    const done = (): void => { cleanup(); resolve(); };
    const cleanup = (): void => { s.off('drain', done); s.off('error', fail); s.off('close', fail); };
    s.once('error', fail);
    s.once('close', fail);
    if (s.write(text)) done(); else s.once('drain', done);
  });
}

function needData(io: PerceptionIo): string | undefined {
  if (hasNusax(io.dataDir)) return io.dataDir;
  io.stderr.write(
    `perception: NusaX-Senti data not found${io.dataDir ? ` at ${io.dataDir}` : ' (no data directory configured)'}.\n` +
    'Set the NusaX data directory in the Siar config (expects <dir>/{ind,bjn,bug,jav,eng}/{train,valid,test}.csv).\n',
  );
  return undefined;
}

function model(p: Parsed): PerceptionModel {
  return loadModel(p.values.get('model') ?? DEFAULT_MODEL_PATH);
}

async function cmdTrain(p: Parsed, io: PerceptionIo): Promise<number> {
  const dir = needData(io);
  if (dir === undefined) return 2;
  const out = p.values.get('out') ?? DEFAULT_MODEL_PATH;
  io.stderr.write(`training from ${dir} …\n`);
  const r = trainPerception(dir);
  const buf = encodeModel(r.model, r.report, r.seconds);
  writeModelFile(out, buf);
  await write(io.stdout, `${textReport(r.report)}\n\ntrained in ${r.seconds.toFixed(1)} s; wrote ${out} (${(buf.length / 1024).toFixed(0)} KiB)\n`);
  return 0;
}

async function cmdClassify(p: Parsed, io: PerceptionIo): Promise<number> {
  const m = model(p);
  const opt = { langScores: p.flags.has('lang-scores') };
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  // Batch output into ~64 KiB writes and wait for 'drain' when the consumer
  // is slower than us; awaiting inside the loop also pauses reading.
  let buf: string[] = [];
  let size = 0;
  for await (const line of rl) {
    const r = m.classify(line, opt);
    const s = JSON.stringify(r.langScores ? { lang: r.lang, label: r.label, scores: r.scores, langScores: r.langScores } : { lang: r.lang, label: r.label, scores: r.scores });
    buf.push(s);
    size += s.length + 1;
    if (size >= 65536) {
      const chunk = buf.join('\n') + '\n';
      buf = []; size = 0;
      await write(io.stdout, chunk);
    }
  }
  if (buf.length > 0) await write(io.stdout, buf.join('\n') + '\n');
  return 0;
}

async function cmdEval(p: Parsed, io: PerceptionIo): Promise<number> {
  const dir = needData(io);
  if (dir === undefined) return 2;
  const m = model(p);
  const r = evaluateModel(m.classifier.model, loadNusax(dir), ['valid', 'test']);
  await write(io.stdout, p.flags.has('json') ? `${JSON.stringify(jsonReport(r))}\n` : `${textReport(r)}\n`);
  return 0;
}

async function cmdKeywords(p: Parsed, io: PerceptionIo): Promise<number> {
  const top = Number(p.values.get('top') ?? '20');
  if (!Number.isInteger(top) || top < 1) throw new UsageError('--top must be a positive integer');
  const m = model(p);
  const lines: string[] = [];
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of rl) lines.push(line);
  const kws = m.keywords(lines, { top });
  if (p.flags.has('json')) await write(io.stdout, `${JSON.stringify(kws)}\n`);
  else await write(io.stdout, kws.map((k) => `${k.term}\t${k.count}\t${k.score}`).join('\n') + (kws.length ? '\n' : ''));
  return 0;
}

export async function runPerceptionCommand(argv: string[], io: PerceptionIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'train': return await cmdTrain(parseArgs(rest, ['out']), io);
      case 'classify': return await cmdClassify(parseArgs(rest, ['model']), io);
      case 'eval': return await cmdEval(parseArgs(rest, ['model']), io);
      case 'keywords': return await cmdKeywords(parseArgs(rest, ['model', 'top']), io);
      case undefined: case 'help': case '--help': case '-h':
        io[cmd === undefined ? 'stderr' : 'stdout'].write(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        io.stderr.write(`perception: unknown command "${cmd}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof OutputClosed) return 0; // reader closed the pipe: not our failure
    if (e instanceof UsageError) { io.stderr.write(`perception: ${e.message}\n${USAGE}`); return 2; }
    io.stderr.write(`perception: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
