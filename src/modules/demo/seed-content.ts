/**
 * Demo content for the East Kalimantan demo: Diskominfo Kaltim's channels and a week of posts in
 * every stage of the workflow (draft, in review, changes requested, approved, scheduled — one of
 * them a few minutes after the first start, to the practice networks), written
 * through the same operations people use, so the composer, inbox and calendar have something to show.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { approvePost, requestChanges } from '../approvals/decide-post.ts';
import { systemActor, type AuditActor } from '../audit/record.ts';
import { utcToZoned, zonedToUtc } from '../calendar/zoned-time.ts';
import type { Actor } from '../access/policies.ts';
import { createPost } from '../posts/save-post.ts';
import { reschedulePost } from '../posts/schedule-post.ts';
import { submitPost } from '../posts/submit-post.ts';

const TIME_ZONE = 'Asia/Makassar';

/** "Day N from today at HH:MM WITA", as the wall time the API accepts. */
function dayAt(now: Date, days: number, time: string): string {
  const today = utcToZoned(now, TIME_ZONE).slice(0, 10);
  const base = zonedToUtc(`${today}T00:00`, TIME_ZONE)!;
  return `${utcToZoned(new Date(base.getTime() + days * 86_400_000), TIME_ZONE).slice(0, 10)}T${time}`;
}

const paragraphs = (...lines: string[]): string => lines.map((l) => `<p>${l}</p>`).join('');

export async function seedDemoContent(db: Kysely<DB>, now = new Date(), options: { portalBase?: string | undefined } = {}): Promise<{ channels: number; posts: number }> {
  if (await db.selectFrom('posts').select('id').limit(1).executeTakeFirst()) return { channels: 0, posts: 0 };
  const unit = await db.selectFrom('units').select(['id', 'parent_id']).where('slug', 'like', 'dinas-komunikasi-dan-informatika-provinsi%').executeTakeFirst();
  const editor = await db.selectFrom('users').select('id').where('email', '=', 'editor.diskominfo@demo.siar.id').executeTakeFirst();
  const approver = await db.selectFrom('users').select('id').where('email', '=', 'approver.diskominfo@demo.siar.id').executeTakeFirst();
  if (!unit || !editor || !approver) return { channels: 0, posts: 0 };

  const channelSpecs = [
    ['facebook', 'Diskominfo Kaltim', 'diskominfokaltim.demo', {}],
    ['instagram', 'Diskominfo Kaltim', '@diskominfokaltim.demo', {}],
    ['x', 'Diskominfo Kaltim', '@diskominfokaltim_demo', {}],
    ['threads', 'Diskominfo Kaltim', '@diskominfokaltim.demo.threads', {}],
    ['telegram', 'Info Kaltim', '@infokaltim_demo', {}],
    ['mastodon', 'Diskominfo Kaltim', '@diskominfo@sosial.demo.siar.id', { maxText: 1000 }],
    ['bluesky', 'Diskominfo Kaltim', 'diskominfokaltim.demo.bsky.social', {}],
    ['linkedin', 'Diskominfo Kaltim', 'diskominfo-kaltim-demo', {}],
    ['youtube', 'Diskominfo Kaltim', '@diskominfokaltimdemo', {}],
    ['tiktok', 'Diskominfo Kaltim', '@diskominfokaltim.demo', {}],
  ] as const;
  const channels = new Map<string, string>();
  for (const [network, name, handle, overrides] of channelSpecs) {
    const row = await db.insertInto('channels').values({ unit_id: unit.id, network, name, handle, limit_overrides: JSON.stringify(overrides) }).returning('id').executeTakeFirstOrThrow();
    channels.set(network, row.id);
  }
  const rubrics = new Map((await db.selectFrom('rubrics').select(['id', 'slug']).execute()).map((r) => [r.slug, r.id]));
  const membership = (userId: string, role: 'editor' | 'approver'): Actor => ({ userId, memberships: [{ unitId: unit.id, unitParentId: unit.parent_id, role }] });
  const origin = (label: string): AuditActor => ({ ...systemActor(label) });
  const asEditor = { actor: membership(editor.id, 'editor'), origin: { ...origin('seed-demo'), userId: editor.id }, now };
  const asApprover = { actor: membership(approver.id, 'approver'), origin: { ...origin('seed-demo'), userId: approver.id }, now };
  const targets = (...networks: string[]) => networks.map((n) => channels.get(n)!);
  // Posts link to their article on Siar's own portal (short links per network), except where the
  // point is another site: the regulation's official text on JDIH.
  const save = { portalBase: options.portalBase };

  const base = { unitId: unit.id, summary: '', tags: [] as string[], language: 'id' as const, urgent: false, media: [], variants: [] };
  const kinerja = await createPost(db, {
    ...base,
    title: 'Capaian kinerja triwulan III: realisasi anggaran 78 persen',
    rubricId: rubrics.get('kinerja') ?? null,
    bodyHtml: paragraphs(
      'Pemerintah Provinsi Kalimantan Timur mencatat realisasi anggaran triwulan III sebesar 78 persen dari target 75 persen.',
      'Capaian tertinggi ada pada belanja infrastruktur jalan dan jembatan, yang mencapai 84 persen.',
      'Rincian per perangkat daerah dapat dilihat di portal resmi Pemprov Kaltim.',
    ),
    summary: 'Realisasi anggaran triwulan III 78% dari target 75%.',
    tags: ['kinerja kaltim', 'APBD 2026'],
    targets: targets('facebook', 'x', 'threads', 'telegram'),
    scheduledAt: dayAt(now, 1, '09:00'),
  }, asEditor, save);
  await submitPost(db, { postId: kinerja.post.id, caller: asEditor });
  await approvePost(db, { postId: kinerja.post.id, note: 'Angka sudah dicek dengan Bappeda.', caller: asApprover });

  const regulasi = await createPost(db, {
    ...base,
    title: 'Pergub pengelolaan sampah plastik: tujuan dan alasannya',
    rubricId: rubrics.get('regulasi') ?? null,
    bodyHtml: paragraphs(
      'Peraturan Gubernur tentang pengurangan sampah plastik sekali pakai mulai berlaku bulan depan.',
      'Tujuannya agar sungai Mahakam dan pesisir Kaltim bersih dari sampah plastik.',
      'Aturan ini dibuat karena volume sampah plastik di Samarinda dan Balikpapan naik 20 persen dalam dua tahun terakhir.',
    ),
    tags: ['regulasi', 'lingkungan'],
    // The full text of a regulation lives on JDIH, the official legal documentation network.
    portalUrl: 'https://jdih.kaltimprov.go.id/produk-hukum/pergub-pengurangan-sampah-plastik',
    targets: targets('facebook', 'mastodon', 'bluesky'),
    scheduledAt: dayAt(now, 2, '10:00'),
  }, asEditor, save);
  await submitPost(db, { postId: regulasi.post.id, caller: asEditor });

  const sosok = await createPost(db, {
    ...base,
    title: 'Sosok: bidan desa yang menyusuri Sungai Mahakam',
    rubricId: rubrics.get('sosok') ?? null,
    bodyHtml: paragraphs('Setiap pekan, seorang bidan desa di Mahakam Ulu menempuh perjalanan perahu empat jam untuk memeriksa ibu hamil di kampung-kampung hulu.'),
    targets: targets('facebook', 'threads'),
    scheduledAt: dayAt(now, 3, '16:00'),
  }, asEditor, save);
  await submitPost(db, { postId: sosok.post.id, caller: asEditor });
  await requestChanges(db, { postId: sosok.post.id, note: 'Mohon minta izin keluarga sebelum menyebut nama kampung.', caller: asApprover });

  const scheduled = await createPost(db, {
    ...base,
    title: 'Pendaftaran beasiswa Kaltim Tuntas dibuka',
    rubricId: rubrics.get('pengumuman') ?? null,
    bodyHtml: paragraphs('Pendaftaran beasiswa Kaltim Tuntas tahun ajaran baru dibuka hingga akhir bulan. Syarat dan cara mendaftar ada di portal resmi.'),
    tags: ['beasiswa', 'Kaltim Tuntas'],
    targets: targets('facebook', 'x', 'telegram', 'bluesky'),
    scheduledAt: dayAt(now, 4, '08:00'),
  }, asEditor, save);
  await submitPost(db, { postId: scheduled.post.id, caller: asEditor });
  await approvePost(db, { postId: scheduled.post.id, caller: asApprover });
  await reschedulePost(db, { postId: scheduled.post.id, scheduledAt: dayAt(now, 4, '08:30'), caller: asEditor });

  // Goes out a few minutes after the first start, to the sandbox's practice accounts: the demo
  // shows a post being published and its links on the practice networks' pages.
  const soon = await createPost(db, {
    ...base,
    title: 'Layanan perpanjangan SIM keliling di Samarinda',
    rubricId: rubrics.get('pengumuman') ?? null,
    bodyHtml: paragraphs('Layanan SIM keliling hadir di Taman Samarendah hari ini pukul 08.00–12.00 WITA. Bawa KTP dan SIM lama.'),
    tags: ['layanan publik'],
    targets: targets('mastodon', 'bluesky', 'telegram', 'x', 'facebook', 'threads', 'linkedin'),
    scheduledAt: new Date(now.getTime() + 3 * 60_000).toISOString(),
  }, asEditor, save);
  await submitPost(db, { postId: soon.post.id, caller: asEditor });
  await approvePost(db, { postId: soon.post.id, caller: asApprover });

  await createPost(db, {
    ...base,
    title: 'Festival Erau di Tenggarong',
    rubricId: rubrics.get('seputar-kaltim') ?? null,
    bodyHtml: paragraphs('Festival adat Erau kembali digelar di Tenggarong, Kutai Kartanegara.'),
    targets: targets('facebook', 'x'),
    scheduledAt: dayAt(now, 5, '19:00'),
  }, asEditor, save);
  return { channels: channels.size, posts: 6 };
}
