/**
 * Child processes of the publishing benchmark: the sandbox (bench/publishing-sandbox.ts), Siar
 * itself (`siar start`, with the Node flags of package.json's `siar` script) and the pg-boss no-op
 * workers, each pinned to its cores when taskset is there; and a sampler of what PostgreSQL
 * sessions are waiting on while the workers run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchAccount } from './publishing-seed.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cli = path.join(root, 'src', 'cli.ts');

/** The Node flags `npm start` runs Siar with, so the figures are the product's. */
export const nodeFlags = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.siar!
  .split(/\s+/).filter((word) => word.startsWith('--'));

const cores = os.cpus().length;

/**
 * With taskset and two cores or more: this process and the sandbox (the "networks") on core 0, the
 * measured processes (Siar or the no-op workers, however many) on the others, so the networks'
 * work never takes turns with the workers'. PostgreSQL's server is not pinned.
 */
export const pinned = cores >= 2 && spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;
export const pinning = pinned ? `sandbox and benchmark on core 0, measured processes on cores 1-${cores - 1}` : 'not pinned';

export interface Child {
  child: ChildProcess;
  /** Start-up output and the last errors: kept for messages, not parsed. */
  output(): string;
  /** Resolves once a line of stdout matches. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  onLine(listener: (line: string) => void): void;
  stop(): Promise<void>;
}

export function launch(args: string[], env: NodeJS.ProcessEnv, role: 'network' | 'measured', stdin: 'pipe' | 'ignore' = 'ignore'): Child {
  const cpus = role === 'network' ? '0' : `1-${cores - 1}`;
  const [command, argv] = pinned ? ['taskset', ['-c', cpus, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd: root, env, stdio: [stdin, 'pipe', 'pipe'] });
  let head = '';
  let tail = '';
  const keep = (d: Buffer) => {
    if (head.length < 16 * 1024) head += d.toString();
    else tail = (tail + d.toString()).slice(-16 * 1024);
  };
  child.stderr!.on('data', keep);
  const listeners: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    keep(Buffer.from(`${line.slice(0, 2000)}\n`));
    for (const listener of listeners) listener(line);
  });
  return {
    child,
    output: () => (tail ? `${head}\n…\n${tail}` : head),
    onLine: (listener) => listeners.push(listener),
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.output()}`)), timeoutMs);
        const exit = () => reject(new Error(`exited (${child.exitCode}) before ${pattern}:\n${this.output()}`));
        child.once('exit', exit);
        listeners.push((line) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          child.off('exit', exit);
          resolve(line);
        });
      });
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // Graceful first (Siar and pg-boss finish what they hold); killed if that takes too long.
        const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface SandboxReport {
  created: number;
  statuses: Record<string, number>;
  byNetwork: Record<string, Record<string, number>>;
  stats: { accountId: string; network: string; created: number; requests: number; rejected: number }[];
  posts: [accountId: string, text: string, createdAt: string][];
}

/** The sandbox child: accounts on start, then one JSON answer per command. */
export async function startSandboxProcess(env: NodeJS.ProcessEnv, perNetwork: number) {
  const sandbox = launch([path.join(root, 'bench', 'publishing-sandbox.ts'), String(perNetwork), String(perNetwork)], env, 'network', 'pipe');
  const answers: ((line: string) => void)[] = [];
  let ready: ((line: string) => void) | undefined;
  const first = new Promise<string>((resolve) => {
    ready = resolve;
  });
  sandbox.onLine((line) => {
    if (ready) {
      ready(line);
      ready = undefined;
    } else answers.shift()?.(line);
  });
  const exited = new Promise<never>((_, reject) => sandbox.child.once('exit', () => reject(new Error(`sandbox exited:\n${sandbox.output()}`))));
  exited.catch(() => undefined);
  const { accounts } = JSON.parse(await Promise.race([first, exited])) as { accounts: BenchAccount[] };
  const ask = async <T>(command: string): Promise<T> => {
    const answer = new Promise<string>((resolve) => answers.push(resolve));
    sandbox.child.stdin!.write(`${command}\n`);
    return JSON.parse(await Promise.race([answer, exited])) as T;
  };
  return {
    accounts,
    pid: sandbox.child.pid,
    count: () => ask<{ created: number; statuses: Record<string, number> }>('count'),
    report: () => ask<SandboxReport>('report'),
    close: async () => {
      if (sandbox.child.exitCode !== null) return;
      const gone = new Promise((resolve) => sandbox.child.once('exit', resolve));
      sandbox.child.stdin!.end();
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (sandbox.child.exitCode === null) sandbox.child.kill('SIGKILL');
    },
  };
}

/** CPU seconds a process has used so far (user + system), from /proc; null where there is none. */
export function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by every PostgreSQL server process on this machine (the postmaster and
 * its backends, by process name; those that ended meanwhile are not counted, so this is a lower
 * bound), or null where /proc cannot be read.
 */
export function postgresCpuSeconds(): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const line = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!line.includes('(postgres)')) continue;
        const fields = line.split(') ')[1]!.split(' ');
        total += (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // The process ended while being read.
      }
    }
    return total;
  } catch {
    return null;
  }
}

/**
 * Samples pg_stat_activity on the benchmark's database every 200 ms: for active sessions, what they
 * wait on (Lock:advisory is the audit log's chain lock, Lock:transactionid / Lock:tuple are row
 * locks, Client/IO…; `running` when they wait on nothing). Reported as the average number of
 * sessions in each state, split by pg-boss's connections (application_name siar-jobs) and Siar's,
 * and for waits on a table's row locks, which table.
 */
export async function sampleWaits(connectionString: string) {
  const client = new pg.Client({ connectionString, application_name: 'siar-bench-sampler' });
  await client.connect();
  const totals = new Map<string, number>();
  let samples = 0;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const { rows } = await client.query<{ key: string; n: number }>(`
        select (case when application_name = 'siar-jobs' then 'pg-boss ' else 'siar ' end) ||
               coalesce(wait_event_type || ':' || wait_event, 'running') as key, count(*)::int as n
        from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state = 'active'
        group by 1`);
      // Which table a row-lock wait is on (tuple locks name it; transactionid waits do not).
      const locks = await client.query<{ key: string; n: number }>(`
        select 'waiting for ' || l.locktype || ' lock on ' || l.relation::regclass::text as key, count(*)::int as n
        from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where not l.granted and l.relation is not null and a.datname = current_database()
        group by 1`);
      samples += 1;
      for (const row of [...rows, ...locks.rows]) totals.set(row.key, (totals.get(row.key) ?? 0) + row.n);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    async stop(): Promise<Record<string, number>> {
      sampling = false;
      await loop.catch(() => undefined);
      await client.end();
      const sorted = [...totals.entries()].sort((a, b) => b[1] - a[1]);
      return Object.fromEntries(sorted.map(([key, n]) => [key, Math.round((n / Math.max(1, samples)) * 100) / 100]));
    },
  };
}
