/** What `siar start` prints: where Siar is, and on a first run how to sign in. */
import type { Siar } from './app.ts';
import type { Config } from './config/config.ts';

export function printStartBanner(siar: Siar, config: Config): void {
  const out: string[] = [];
  const where = config.databaseUrl ? 'PostgreSQL server' : `PostgreSQL tertanam (embedded) di ${config.dataDir}`;
  out.push('', `Siar berjalan (running) — peran ${config.role}, ${where}`);
  if (siar.url) out.push(`  Aplikasi admin: ${siar.url}/admin/`, `  Dokumentasi API: ${siar.url}/api/docs`);
  if (siar.sandbox) out.push(`  Sandbox jaringan (practice networks): ${siar.sandbox.urls.web}/  — akun latihan di sepuluh jaringan, dengan warga simulasi yang membalas (practice accounts on ten networks, with simulated citizens replying)`);
  if (siar.firstAdmin) {
    out.push(
      '',
      'Administrator pertama dibuat (first administrator created):',
      `  Email:                       ${siar.firstAdmin.email}`,
      `  Kata sandi sekali pakai:     ${siar.firstAdmin.temporaryPassword}`,
      '  Kata sandi ini harus diganti saat pertama masuk dan tidak akan ditampilkan lagi.',
      '  (One-time password: change it at first sign-in; it is not shown again.',
      '   Lost it? `npm run siar -- user reset-password --email <email>`)',
    );
  }
  if (siar.demo && siar.demo.people.length > 0) {
    out.push('', `Data demo Kalimantan Timur dimuat: ${siar.demo.unitsCreated} unit. Akun demo (kata sandi sekali pakai):`);
    for (const p of siar.demo.people) out.push(`  ${p.email.padEnd(34)} ${p.role.padEnd(9)} ${p.unit.padEnd(22)} ${p.temporaryPassword}`);
  }
  out.push('');
  process.stdout.write(`${out.join('\n')}\n`);
}
