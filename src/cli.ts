#!/usr/bin/env node
/**
 * The `siar` command: start the product, run migrations, load demo data, manage accounts, verify
 * the audit chain, back up and restore, and the perception engine's tools.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, roleSchema, type Config, type ConfigInput } from './config/config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { AppError, isAppError } from './errors/errors.ts';
import { systemActor } from './modules/audit/record.ts';

// Each command loads only what it needs: `start` opens the database while the HTTP server's
// modules load, which is most of a cold start.

const HELP = `Siar — platform humas pemerintah daerah

Pemakaian (usage): siar <perintah> [opsi]

  start [--port N] [--data-dir DIR] [--media-dir DIR] [--role web|worker|all] [--no-demo]
                                  Jalankan Siar (default: semua peran, port 3000, ./data)
  migrate                         Terapkan migrasi basis data
  seed-demo                       Muat data demo Kalimantan Timur
  user create --email E --name N --unit <unit id atau nama> [--role admin|approver|editor|viewer]
                                  Buat akun; mencetak kata sandi sekali pakai
  user reset-password --email E   Kata sandi sekali pakai baru untuk akun
  audit verify                    Periksa rantai hash log audit
  keys rotate                     Kunci enkripsi baru; kredensial akun dienkripsi ulang
  backup <file>                   Cadangkan seluruh data ke satu berkas
  restore <file> [--force]        Pulihkan dari berkas cadangan (ke basis data kosong)
  perception <train|classify|eval|keywords>
                                  Mesin persepsi (sentimen dan bahasa)

Opsi umum: --database-url postgres://…  --data-dir DIR  (atau DATABASE_URL, SIAR_DATA_DIR)
`;

function configFrom(command: string, values: Record<string, unknown>): Config {
  const overrides: ConfigInput = {
    port: values.port,
    dataDir: values['data-dir'],
    mediaDir: values['media-dir'],
    databaseUrl: values['database-url'],
    // --role names the process role for `start`, and a person's role for `user create`.
    role: command === 'start' ? values.role : undefined,
    demo: values['no-demo'] === true ? false : undefined,
    host: values.host,
  };
  return loadConfig({ overrides, configFile: values.config as string | undefined });
}

async function withDatabase<T>(config: Config, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sharedBuffers: config.embeddedSharedBuffers });
  try {
    await migrate(database);
    return await run(database);
  } finally {
    await database.close();
  }
}

async function findUnitId(database: Database, ref: string): Promise<string> {
  const unit = await database.db
    .selectFrom('units')
    .select('id')
    .where((eb) => eb.or([eb('slug', '=', ref), eb(eb.fn('lower', ['name']), '=', ref.toLowerCase()), ...( /^[0-9a-f-]{36}$/i.test(ref) ? [eb('id', '=', ref)] : [])]))
    .executeTakeFirst();
  if (!unit) throw new AppError('not_found', { details: { unit: ref } });
  return unit.id;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'perception') {
    const { runPerceptionCommand } = await import('./modules/perception/cli.ts');
    const config = loadConfig();
    return runPerceptionCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, dataDir: config.nusaxDir });
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'media-dir': { type: 'string' },
      'database-url': { type: 'string' },
      config: { type: 'string' },
      role: { type: 'string' },
      'no-demo': { type: 'boolean' },
      email: { type: 'string' },
      name: { type: 'string' },
      unit: { type: 'string' },
      password: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!command || values.help || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const config = configFrom(command, values);

  switch (command) {
    case 'start': {
      roleSchema.parse(config.role);
      const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, sharedBuffers: config.embeddedSharedBuffers });
      opening.catch(() => undefined);
      const [{ startSiar }, { printStartBanner }] = await Promise.all([import('./app.ts'), import('./start-banner.ts')]);
      const siar = await startSiar(config, { database: await opening });
      printStartBanner(siar, config);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`\n${signal}: Siar berhenti (stopping)…\n`);
        await siar.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      return -1;
    }
    case 'migrate':
      return withDatabase(config, async (database) => {
        const applied = await migrate(database);
        process.stdout.write(applied.length ? `Migrasi diterapkan: ${applied.join(', ')}\n` : 'Basis data sudah mutakhir (up to date).\n');
        return 0;
      });
    case 'seed-demo':
      return withDatabase(config, async (database) => {
        const { seedDemo } = await import('./modules/demo/seed-demo.ts');
        const { portalBase } = await import('./modules/portal/urls.ts');
        const result = await seedDemo(database.db, { portalBase: portalBase(config) });
        process.stdout.write(`Unit dibuat: ${result.unitsCreated}; akun demo dibuat: ${result.people.length}\n`);
        for (const p of result.people) process.stdout.write(`  ${p.email}  (${p.role}, ${p.unit})  kata sandi sekali pakai: ${p.temporaryPassword}\n`);
        return 0;
      });
    case 'user':
      return withDatabase(config, async (database) => {
        const { createUser, resetPassword } = await import('./modules/users/manage-users.ts');
        const sub = positionals[0];
        if (sub === 'create') {
          if (!values.email || !values.name || !values.unit) throw new AppError('validation.invalid', { details: { issues: [{ path: '--email, --name, --unit', message: 'wajib (required)' }] } });
          const { roleSchema: memberRole } = await import('./http/schemas.ts');
          const role = memberRole.safeParse(values.role ?? 'viewer');
          if (!role.success) throw new AppError('validation.invalid', { details: { issues: [{ path: '--role', message: 'admin|approver|editor|viewer' }] } });
          if (values.password) {
            const { checkPasswordStrength } = await import('./modules/auth/passwords.ts');
            const verdict = await checkPasswordStrength(values.password, [values.name, values.email], 'id');
            if (!verdict.ok) throw new AppError('auth.weak_password', { details: { ...verdict } });
          }
          const { user, temporaryPassword } = await createUser(
            database.db,
            { email: values.email, name: values.name, unitId: await findUnitId(database, values.unit), role: role.data, password: values.password },
            systemActor('cli'),
          );
          process.stdout.write(`Akun dibuat: ${user.email}\n${values.password ? '' : `Kata sandi sekali pakai: ${temporaryPassword}\n`}`);
          return 0;
        }
        if (sub === 'reset-password') {
          if (!values.email) throw new AppError('validation.invalid', { details: { issues: [{ path: '--email', message: 'wajib (required)' }] } });
          const user = await database.db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', values.email!.toLowerCase())).executeTakeFirst();
          if (!user) throw new AppError('not_found', { details: { email: values.email } });
          const password = await resetPassword(database.db, user.id, systemActor('cli'));
          process.stdout.write(`Kata sandi sekali pakai baru untuk ${values.email}: ${password}\n(harus diganti saat masuk / must be changed at sign-in)\n`);
          return 0;
        }
        process.stderr.write('Gunakan: siar user create | siar user reset-password\n');
        return 2;
      });
    case 'audit':
      return withDatabase(config, async (database) => {
        if (positionals[0] !== 'verify') {
          process.stderr.write('Gunakan: siar audit verify\n');
          return 2;
        }
        const { verifyAuditChain } = await import('./modules/audit/verify.ts');
        const result = await verifyAuditChain(database.db);
        process.stdout.write(result.ok
          ? `Rantai audit utuh: ${result.checked} entri diperiksa (audit chain intact).\n`
          : `RANTAI AUDIT RUSAK pada entri #${result.firstBrokenSeq}: ${result.reason} (${result.checked} entri sebelumnya utuh).\n`);
        return result.ok ? 0 : 3;
      });
    case 'keys':
      return withDatabase(config, async (database) => {
        if (positionals[0] !== 'rotate') {
          process.stderr.write('Gunakan: siar keys rotate\n');
          return 2;
        }
        const { loadKeyring } = await import('./modules/publishing/keyring.ts');
        const { rotateKeys } = await import('./modules/publishing/credentials.ts');
        const { keyring, result } = await rotateKeys(database.db, loadKeyring(config));
        process.stdout.write(`Kunci aktif (active key): ${result.activeKey}; ${result.reencrypted} kredensial dienkripsi ulang (re-encrypted); ${result.keys} kunci tersimpan${keyring.file ? ` di ${keyring.file}` : ' (SIAR_ENCRYPTION_KEYS)'}.\n`);
        return 0;
      });
    case 'backup':
      return withDatabase(config, async (database) => {
        const file = positionals[0];
        if (!file) throw new AppError('validation.invalid', { details: { issues: [{ path: 'file', message: 'wajib (required)' }] } });
        const { writeBackup } = await import('./modules/backup/backup.ts');
        const counts = await writeBackup(database.db, file);
        process.stdout.write(`Cadangan ditulis ke ${file}: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}\n`);
        return 0;
      });
    case 'restore':
      return withDatabase(config, async (database) => {
        const file = positionals[0];
        if (!file) throw new AppError('validation.invalid', { details: { issues: [{ path: 'file', message: 'wajib (required)' }] } });
        const { restoreBackup } = await import('./modules/backup/backup.ts');
        const result = await restoreBackup(database.db, file, { force: values.force === true });
        process.stdout.write(`Dipulihkan: ${Object.entries(result.counts).map(([t, n]) => `${t} ${n}`).join(', ')}\nRantai audit: ${result.audit.ok ? 'utuh' : `RUSAK di #${result.audit.firstBrokenSeq}`}\n`);
        return result.audit.ok ? 0 : 3;
      });
    default:
      process.stderr.write(`Perintah tidak dikenal: ${command}\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (isAppError(error)) process.stderr.write(`Galat (error) ${error.code}: ${error.localized('id')}${error.details ? `\n${JSON.stringify(error.details, null, 2)}` : ''}\n`);
    else process.stderr.write(`Galat (error): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
