/**
 * The one place that reads the environment. Everything Siar can be told at start-up is described by
 * one schema; `loadConfig` merges (lowest first) defaults, an optional JSON config file, the
 * environment and command-line flags, then validates the lot and fails listing every problem at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const booleanish = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

export const roleSchema = z.enum(['web', 'worker', 'all']);
export type ProcessRole = z.infer<typeof roleSchema>;

const configSchema = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  /** Folder of the embedded PostgreSQL (PGlite) data; ignored when databaseUrl is set. */
  dataDir: z.string().min(1).default('./data'),
  /** Folder of uploaded media files; defaults to <dataDir>/media (see mediaRoot in modules/media/storage.ts). */
  mediaDir: z.string().min(1).optional(),
  /** postgres://… to run on a PostgreSQL server instead of the embedded one. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'harus diawali postgres:// (must start with postgres://)').optional(),
  databasePoolSize: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * PostgreSQL's shared_buffers for the embedded database. PGlite's default (128MB) is most of its
   * memory; 32MB keeps an idle Siar small, and the operating system caches the data folder anyway.
   */
  embeddedSharedBuffers: z.string().regex(/^\d+(kB|MB|GB)$/, 'mis. 32MB (e.g. 32MB)').default('32MB'),
  /** The address people reach Siar at; https here turns on Secure cookies. */
  publicUrl: z.url().optional(),
  trustProxy: booleanish.default(false),
  role: roleSchema.default('all'),
  demo: booleanish.default(true),
  /**
   * Run the network sandbox in this process (practice accounts on every network Siar publishes to,
   * behaving like the real APIs). Unset: on when demo data is on.
   */
  sandbox: booleanish.optional(),
  /**
   * First of eleven consecutive ports for the sandbox (Mastodon, Bluesky, Telegram, its web page, X,
   * Facebook, Instagram, Threads, LinkedIn, YouTube, TikTok); 0: the HTTP port + 1.
   */
  sandboxPort: z.coerce.number().int().min(0).max(65525).default(0),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * One structured line per HTTP request: `all`, or only `errors` (4xx/5xx) and slow ones (≥ 1 s),
   * or `none`. Metrics count every request either way.
   */
  logRequests: z.enum(['all', 'errors', 'none']).default('errors'),
  sessionTtlHours: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  loginMaxFailures: z.coerce.number().int().min(1).max(100).default(5),
  loginLockMinutes: z.coerce.number().int().min(1).max(24 * 60).default(15),
  loginIpMaxFailures: z.coerce.number().int().min(1).max(10_000).default(50),
  bodyLimitBytes: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  /** When set, /metrics asks for `Authorization: Bearer <token>`. */
  metricsToken: z.string().min(16).optional(),
  firstAdminEmail: z.email().default('admin@siar.local'),
  /**
   * Keys that encrypt channel credentials at rest: "id:base64(32 bytes)", comma-separated, the
   * first one encrypts, all of them decrypt. Unset: a key file in the data folder (made on first
   * start). Several machines sharing one PostgreSQL must all be given the same keys here.
   */
  encryptionKeys: z.string().regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/, 'format: id:base64key[,id:base64key…]').optional(),
  /** A network call while publishing gives up after this long (and counts as uncertain). */
  publishCallTimeoutSeconds: z.coerce.number().int().min(1).max(600).default(30),
  /**
   * A target left "publishing" this long belongs to a worker that is gone: it is looked up and
   * finished by another. Must exceed the call time limit, or a slow call could be taken over.
   */
  publishStaleSeconds: z.coerce.number().int().min(2).max(3600).default(90),
  /** Targets one worker process publishes side by side (its window of jobs in flight). */
  publishConcurrency: z.coerce.number().int().min(1).max(5000).default(200),
  /** Publishing jobs a worker fetches in one query at most. */
  publishBatchSize: z.coerce.number().int().min(1).max(500).default(50),
  /** NusaX-Senti data (../shared/data/nusax-senti beside the project when present). */
  nusaxDir: z.string().optional(),
  /**
   * Apps registered at each network for signing in (OAuth 2), as JSON:
   * `{"x":{"clientId":"…","clientSecret":"…"},"facebook":{…}}`. Networks not listed can still be used
   * through the sandbox (practice accounts), which accepts any app.
   */
  oauthClients: z.preprocess(
    (value) => (typeof value === 'string' ? (() => { try { return JSON.parse(value) as unknown; } catch { return value; } })() : value),
    z.partialRecord(
      z.enum(['facebook', 'instagram', 'threads', 'x', 'tiktok', 'youtube', 'linkedin', 'mastodon', 'bluesky']),
      z.strictObject({ clientId: z.string().min(1), clientSecret: z.string().min(1).optional() }),
      'JSON: {"x":{"clientId":"…","clientSecret":"…"}}',
    ).optional(),
  ),
  /** smtp://user:pass@host:587 (or smtps:// for TLS from the start): e-mail each notification. Unset: no e-mail. */
  smtpUrl: z.string().regex(/^smtps?:\/\/[^/?#\s]+/, 'harus diawali smtp:// atau smtps:// (must start with smtp:// or smtps://)').refine((v) => URL.canParse(v), 'bukan URL yang benar (not a valid URL)').optional(),
  /** The portal's in-process render cache (`off` for benchmarks: every request renders). */
  portalCache: z.enum(['on', 'off']).default('on'),
  /** The sender of notification e-mail, e.g. `Siar Humas Kaltim <siar@kaltimprov.go.id>`. */
  mailFrom: z.string().trim().regex(/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'alamat e-mail, mis. Siar <siar@contoh.go.id> (an e-mail address)').optional(),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = { [K in keyof Config]?: unknown };

/** Environment variable for each key. */
const envNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'SIAR_DATA_DIR',
  mediaDir: 'SIAR_MEDIA_DIR',
  databaseUrl: 'DATABASE_URL',
  databasePoolSize: 'SIAR_DB_POOL_SIZE',
  embeddedSharedBuffers: 'SIAR_PGLITE_SHARED_BUFFERS',
  publicUrl: 'SIAR_PUBLIC_URL',
  trustProxy: 'SIAR_TRUST_PROXY',
  role: 'SIAR_ROLE',
  demo: 'SIAR_DEMO',
  sandbox: 'SIAR_SANDBOX',
  sandboxPort: 'SIAR_SANDBOX_PORT',
  logLevel: 'LOG_LEVEL',
  logRequests: 'SIAR_LOG_REQUESTS',
  sessionTtlHours: 'SIAR_SESSION_TTL_HOURS',
  loginMaxFailures: 'SIAR_LOGIN_MAX_FAILURES',
  loginLockMinutes: 'SIAR_LOGIN_LOCK_MINUTES',
  loginIpMaxFailures: 'SIAR_LOGIN_IP_MAX_FAILURES',
  bodyLimitBytes: 'SIAR_BODY_LIMIT_BYTES',
  metricsToken: 'SIAR_METRICS_TOKEN',
  firstAdminEmail: 'SIAR_ADMIN_EMAIL',
  nusaxDir: 'SIAR_NUSAX_DIR',
  oauthClients: 'SIAR_OAUTH_CLIENTS',
  encryptionKeys: 'SIAR_ENCRYPTION_KEYS',
  publishCallTimeoutSeconds: 'SIAR_PUBLISH_CALL_TIMEOUT_SECONDS',
  publishStaleSeconds: 'SIAR_PUBLISH_STALE_SECONDS',
  publishConcurrency: 'SIAR_PUBLISH_CONCURRENCY',
  publishBatchSize: 'SIAR_PUBLISH_BATCH_SIZE',
  smtpUrl: 'SIAR_SMTP_URL',
  mailFrom: 'SIAR_MAIL_FROM',
  portalCache: 'SIAR_PORTAL_CACHE',
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Konfigurasi tidak valid (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Values from command-line flags; they win over everything else. */
  overrides?: ConfigInput;
  /** A JSON config file; defaults to $SIAR_CONFIG when set. */
  configFile?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const merged: Record<string, unknown> = {};

  const file = options.configFile ?? env.SIAR_CONFIG;
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problems.push(`${file}: harus berisi objek JSON (must contain a JSON object)`);
      } else {
        Object.assign(merged, parsed);
      }
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) merged[key] = value;
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)');
      const source = envNames[key as keyof Config];
      problems.push(`${key}${source ? ` (${source})` : ''}: ${issue.message}`);
    }
  }
  if (result.success && result.data.publishStaleSeconds <= result.data.publishCallTimeoutSeconds) {
    problems.push(`publishStaleSeconds (SIAR_PUBLISH_STALE_SECONDS): harus lebih besar dari publishCallTimeoutSeconds (must exceed the call time limit, ${result.data.publishCallTimeoutSeconds})`);
  }
  if (result.success && result.data.smtpUrl && !result.data.mailFrom) {
    problems.push('mailFrom (SIAR_MAIL_FROM): wajib bila SIAR_SMTP_URL diisi (required when SIAR_SMTP_URL is set)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = result.data as Config;
  if (!config.dataDir.startsWith('memory://')) config.dataDir = path.resolve(config.dataDir);
  if (config.nusaxDir === undefined) {
    const beside = path.resolve(projectRoot, '..', 'shared', 'data', 'nusax-senti');
    if (existsSync(beside)) config.nusaxDir = beside;
  }
  return config;
}

export function isSecureDeployment(config: Config): boolean {
  return config.publicUrl?.startsWith('https://') ?? false;
}
