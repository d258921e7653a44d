/**
 * Starting and stopping a Siar process. One build runs as `web` (HTTP only), `worker` (background
 * jobs only) or `all` (both, the default). Start-up: open the database, apply migrations, create
 * the first administrator (and demo data) on a first run, listen for sign-in cache changes, start
 * the job queue, then serve HTTP.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Config } from './config/config.ts';
import { openDatabase, ping, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { buildServer } from './http/server.ts';
import type { App } from './http/types.ts';
import { startJobs, type JobQueue } from './jobs/queue.ts';
import { jobs } from './jobs/registry.ts';
import { AUTH_CHANNEL, AuthResolver } from './modules/auth/auth-context.ts';
import { seedDemo, seedDemoUnits, type SeedResult } from './modules/demo/seed-demo.ts';
import { portalBase } from './modules/portal/urls.ts';
import { ensureFirstAdmin } from './modules/users/first-admin.ts';
import { startNotifications } from './modules/notifications/index.ts';
import type { Services } from './services.ts';
import { loadKeyring } from './modules/publishing/keyring.ts';
import type { Sandbox } from './modules/sandbox/index.ts';
import { configureOAuthApps } from './modules/publishing/connectors/index.ts';

export interface Siar {
  services: Services;
  app: App | undefined;
  queue: JobQueue | undefined;
  url: string | undefined;
  firstAdmin: { email: string; temporaryPassword: string; unitName: string } | null;
  demo: SeedResult | null;
  /** The network sandbox when this process runs one. */
  sandbox: Sandbox | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Skip the job queue entirely (tests that exercise only HTTP). */
  jobs?: boolean;
  /** Do not listen on a port (tests use app.inject). */
  listen?: boolean;
  /** Start the embedded database from this data-folder snapshot (tests: a migrated template). */
  loadDataDir?: Blob | undefined;
  /** An already opened database (the CLI opens it while the rest loads). */
  database?: Database | undefined;
}

async function listenForAuthChanges(database: Database, resolver: AuthResolver): Promise<() => Promise<void>> {
  const onChange = (payload: string) => resolver.forget(payload === '*' || payload === '' ? undefined : payload);
  if (database.pglite) {
    const unlisten = await database.pglite.listen(AUTH_CHANNEL, onChange);
    return unlisten;
  }
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  client.on('notification', (message) => onChange(message.payload ?? '*'));
  // A lost connection means missed notifications: forget everything rather than serve stale rights.
  client.on('error', () => resolver.forget());
  await client.query(`listen ${AUTH_CHANNEL}`);
  return async () => {
    await client.end();
  };
}

const SETUP_LOCK_KEY = 7_310_003;

/**
 * On a first run: demo units (so the first administrator belongs to the demo province), the first
 * administrator, then demo people. Under an advisory lock, so that web and worker processes
 * starting together on an empty database do this once between them.
 */
async function firstRunSetup(database: Database, config: Config): Promise<{ firstAdmin: Siar['firstAdmin']; demo: SeedResult | null }> {
  return database.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SETUP_LOCK_KEY})`.execute(conn);
    try {
      const isFirstRun = !(await database.db.selectFrom('users').select('id').limit(1).executeTakeFirst());
      const demoUnits = isFirstRun && config.demo ? (await seedDemoUnits(database.db)).created : 0;
      const firstAdmin = await ensureFirstAdmin(database.db, config.firstAdminEmail);
      const demo = isFirstRun && config.demo ? { ...(await seedDemo(database.db, { portalBase: portalBase(config) })), unitsCreated: demoUnits } : null;
      return { firstAdmin, demo };
    } finally {
      await sql`select pg_advisory_unlock(${SETUP_LOCK_KEY})`.execute(conn);
    }
  });
}

export async function startSiar(config: Config, options: StartOptions = {}): Promise<Siar> {
  const database = options.database ?? await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, loadDataDir: options.loadDataDir, sharedBuffers: config.embeddedSharedBuffers });
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await migrate(database);
    const auth = new AuthResolver(database.db, config.sessionTtlHours);
    const services: Services = { config, database, db: database.db, auth, keyring: loadKeyring(config), jobs: null };
    configureOAuthApps(config.oauthClients);

    const { firstAdmin, demo } = await firstRunSetup(database, config);

    const unlisten = await listenForAuthChanges(database, auth);
    cleanups.push(unlisten);
    // Live notifications and e-mail queueing: this process's one listener on 'siar_notifications'.
    const notifications = await startNotifications(services);
    services.notifications = notifications;
    cleanups.push(() => notifications.stop());

    let queue: JobQueue | undefined;
    let app: App | undefined;
    let url: string | undefined;
    // HTTP comes up first (liveness at /healthz as soon as possible); /readyz waits for the queue.
    let jobsReady = options.jobs === false;
    if (config.role !== 'worker') {
      app = await buildServer({
        services,
        isReady: async () => {
          await ping(database);
          return jobsReady;
        },
      });
      const built = app;
      cleanups.push(async () => {
        // Requests in flight get two seconds; then every connection goes (a browser's or a client's
        // spare connection that never sent a request would otherwise hold the stop for a minute).
        const grace = setTimeout(() => built.server.closeAllConnections(), 2_000);
        try {
          await built.close();
        } finally {
          clearTimeout(grace);
        }
      });
      if (options.listen !== false) {
        await app.listen({ port: config.port, host: config.host });
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' || config.host === '::' ? 'localhost' : config.host;
        url = config.publicUrl ?? `http://${host}:${port}`;
      } else {
        await app.ready();
      }
    }
    // The network sandbox: practice accounts, in the process that serves people (not a lone worker).
    // It starts after HTTP is up (liveness first) and before the queue, so publishing finds it there.
    let sandbox: Sandbox | undefined;
    if ((config.sandbox ?? config.demo) && config.role !== 'worker') {
      const { startSandbox, SANDBOX_PORT_ORDER } = await import('./modules/sandbox/index.ts');
      const base = config.sandboxPort || (config.port > 0 ? config.port + 1 : 0);
      const ports = base ? Object.fromEntries(SANDBOX_PORT_ORDER.map((name, i) => [name, base + i])) : {};
      // Simulated citizens reply and like every 20 s, so the listening side has data to show.
      const started = await startSandbox({ host: '127.0.0.1', ports, citizens: { intervalMs: 20_000 } });
      sandbox = started;
      services.sandboxUrls = Object.values(started.urls).filter((u) => u !== '');
      services.sandboxNetworkUrls = Object.fromEntries(Object.entries(started.urls).filter(([name, u]) => name !== 'web' && u !== ''));
      cleanups.push(() => started.close());
      const { connectDemoChannels, restoreSandboxChannels } = await import('./modules/demo/sandbox-channels.ts');
      await restoreSandboxChannels(database.db, services.keyring, started);
      if (demo) await connectDemoChannels(database.db, services.keyring, started);
    }
    if (options.jobs !== false) {
      queue = await startJobs({
        database,
        services,
        definitions: jobs,
        work: config.role !== 'web',
        log: (level, message, fields) => app?.log[level](fields ?? {}, message) ?? (level === 'error' ? console.error(message, fields ?? '') : undefined),
      });
      const started = queue;
      services.jobs = started;
      cleanups.push(async () => {
        services.jobs = null;
        await started.stop();
      });
      jobsReady = true;
    }
    return { services, app, queue, url, firstAdmin, demo, sandbox, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
