/**
 * Portal search over 100,000 synthetic Indonesian articles, on the embedded default and on a
 * PostgreSQL server: p50/p95 of searchArticles (the ranked page of 12, the total count and the
 * highlighted snippets, exactly what /cari runs) over a mix of queries — single common words,
 * rare words, two-word phrases, inflected forms that need stemming, quoted phrases, filters.
 * Target: p95 < 50 ms on PostgreSQL. Articles are written in bulk SQL (the benchmark measures
 * reading); the words follow a skewed (Zipf-like) distribution, so common words match many rows.
 */
import { sql } from 'kysely';
import { postgresAvailable } from '../test/backends.ts';
import { topUnitId } from '../test/people.ts';
import { startTestServer } from '../test/server.ts';
import { searchArticles } from '../src/modules/portal/queries.ts';
import { percentiles } from './stats.ts';

/** The most frequent words of Indonesian news (stop words: the search ignores them), then topical words. */
const STOP = `yang dan di ke dari untuk dengan ini itu pada dalam akan tidak juga sebagai oleh bahwa ada karena telah
atau bisa sudah lebih saat kami kita mereka para agar serta namun hingga masih dapat menjadi antara tersebut`.split(/\s+/);

const WORDS = `pemerintah provinsi kalimantan timur kabupaten kota samarinda balikpapan bontang kutai kartanegara berau paser
penajam mahakam jalan jembatan pembangunan dibangun membangun bangunan infrastruktur banjir bencana longsor kebakaran hutan lahan
kesehatan puskesmas rumah sakit vaksinasi imunisasi stunting gizi anak ibu hamil posyandu pendidikan sekolah guru murid beasiswa
universitas pelatihan kerja pengangguran investasi ekonomi pasar harga beras minyak goreng inflasi bantuan sosial warga masyarakat
informasi menginformasikan diinformasikan penginformasian pengumuman mengumumkan kegiatan acara peresmian meresmikan diresmikan
gubernur wakil bupati wali camat lurah kepala dinas badan bidang sekretariat daerah dprd peraturan perda pergub regulasi kebijakan
anggaran belanja pendapatan pajak retribusi kinerja capaian target realisasi program layanan pelayanan publik perizinan
air bersih listrik sampah lingkungan sungai drainase irigasi pertanian perkebunan sawit perikanan nelayan peternakan pariwisata
budaya festival olahraga pemuda perempuan disabilitas lansia transportasi angkutan bandara pelabuhan kapal bus tol ibu kota nusantara
ikn hari ini besok minggu bulan tahun pagi siang malam rapat koordinasi evaluasi pemantauan pengawasan penertiban keamanan ketertiban
polisi tni relawan posko pengungsi logistik distribusi sembako subsidi digital internet aplikasi data satu statistik survei
kantor gedung taman lapangan stadion masjid gereja pura vihara perbaikan memperbaiki diperbaiki rusak berlubang macet lancar
berhasil meningkat menurun naik turun persen ribu juta miliar rupiah warga rangka`.split(/\s+/);

/** Vocabulary size: the stop words, the topical words, then made-up words of Indonesian syllables for the long tail. */
const VOCABULARY = 30_000;
const SYLLABLE_ARRAY = `array['ba','ka','ma','sa','ta','la','ra','pa','na','ga','ri','tu','ngan','kan','lu','mi','da']`;

const QUERIES = [
  'pemerintah', 'banjir', 'jalan rusak', 'menginformasikan', 'informasi beasiswa', 'vaksinasi anak', 'pembangunan jembatan mahakam',
  '"air bersih"', 'stunting posyandu', 'pajak', 'peresmian', 'diperbaiki', 'ikn nusantara', 'harga beras naik', 'kinerja capaian target',
  'dprd perda', 'festival budaya', 'nelayan perikanan', 'bandara', 'sampah -sungai', 'pelatihan kerja pemuda', 'listrik', 'drainase macet',
];

const round = (n: number) => Math.round(n * 100) / 100;

async function benchOne(backend: 'pglite' | 'postgres', articles: number, runs: number, inspect?: (db: import('kysely').Kysely<import('../src/db/schema.ts').DB>) => Promise<void>) {
  const server = await startTestServer({ backend, demo: false, listen: false });
  try {
    const db = server.siar.services.db;
    const province = await topUnitId(server);
    const author = (await db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const seedStart = performance.now();
    await sql`insert into units (parent_id, kind, name, slug) select ${province}, 'agency', 'Dinas Cari ' || g, 'dinas-cari-' || g from generate_series(1, 40) g`.execute(db);
    await sql`insert into rubrics (slug, name) select 'rubrik-cari-' || g, 'Rubrik ' || g from generate_series(1, 8) g on conflict do nothing`.execute(db);
    await sql`select setseed(0.42)`.execute(db);
    // Word i (from 1): a log-uniform draw (Zipf-like: word i about as frequent as 1/i) picks it.
    // (A plain function, not pg_temp: the pool may run the inserts on another connection.)
    await sql.raw(`create or replace function bench_word(i int, w text[]) returns text language sql immutable as $$
      select case when i <= array_length(w, 1) then w[i]
        else s[1 + i % 17] || s[1 + (i / 17) % 17] || s[1 + (i / 289) % 17] end
      from (select ${SYLLABLE_ARRAY} as s) x $$`).execute(db);
    const words = sql.val([...STOP, ...WORDS]);
    // In chunks: one statement of 100,000 rows holds every generated text in memory at once.
    for (let from = 1; from <= articles; from += 10_000) {
      const to = Math.min(articles, from + 9_999);
      await sql`
        with src as (
          select g,
            (select string_agg(bench_word(floor(exp(random() * ln(${VOCABULARY})))::int + 0 * k, w), ' ') from generate_series(1, 6 + g % 5) k) as title,
            (select string_agg(bench_word(floor(exp(random() * ln(${VOCABULARY})))::int + 0 * k, w), ' ') from generate_series(1, 18 + g % 7) k) as lead,
            (select string_agg(bench_word(floor(exp(random() * ln(${VOCABULARY})))::int + 0 * k, w), ' ') from generate_series(1, 90 + g % 80) k) as body
          from generate_series(${from}::int, ${to}::int) g, (select ${words}::text[] as w) v
        ), p as (
          insert into posts (unit_id, author_id, rubric_id, title, body_text, summary, status, scheduled_at)
          select u.ids[1 + (g % 40)], ${author}, r.ids[1 + (g % 8)], src.title, src.body, src.lead, 'published', now() - (g || ' minutes')::interval
          from src, (select array_agg(id order by slug) as ids from units where slug like 'dinas-cari-%') u,
               (select array_agg(id order by slug) as ids from rubrics where slug like 'rubrik-cari-%') r
          returning id, unit_id, rubric_id, title, summary, body_text, scheduled_at
        )
        insert into articles (post_id, slug, unit_id, rubric_id, title, lead, body_html, body_text, live, published_at)
        select id, 'cari-' || id, unit_id, rubric_id, title, summary, '<p>' || body_text || '</p>', body_text, true, scheduled_at from p`.execute(db);
    }
    await sql`analyze articles`.execute(db);
    const seedMs = performance.now() - seedStart;
    if (inspect) await inspect(db);
    const rubric = 'rubrik-cari-3';
    const units = (await db.selectFrom('units').select('id').where('slug', 'like', 'dinas-cari-1%').execute()).map((u) => u.id);
    const plan = (i: number) => ({
      q: QUERIES[i % QUERIES.length]!,
      // Every fourth search filters by rubric, every fifth by units, every sixth by the last 30 days.
      ...(i % 4 === 3 ? { rubricSlug: rubric } : {}),
      ...(i % 5 === 4 ? { unitIds: units } : {}),
      ...(i % 6 === 5 ? { from: new Date(Date.now() - 30 * 86_400_000) } : {}),
      ...(i % 7 === 6 ? { page: 3 } : {}),
    });
    for (let i = 0; i < QUERIES.length; i += 1) await searchArticles(db, plan(i));
    const samples: number[] = [];
    let matched = 0;
    for (let i = 0; i < runs; i += 1) {
      const start = performance.now();
      const page = await searchArticles(db, plan(i));
      samples.push(performance.now() - start);
      matched += page.total;
    }
    const stats = percentiles(samples);
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      articles, runs, seedSeconds: round(seedMs / 1000), meanMatches: Math.round(matched / runs),
      medianMs: round(stats.median), p95Ms: round(sorted[Math.ceil(0.95 * sorted.length) - 1]!), p99Ms: round(stats.p99), maxMs: round(stats.max),
    };
  } finally {
    await server.close();
  }
}

export { benchOne as benchSearchOn };

export async function benchPortalSearch(options: { articles?: number; runs?: number } = {}) {
  const articles = options.articles ?? 100_000;
  const runs = options.runs ?? 230;
  const out: Record<string, unknown> = { targetP95MsOnPostgres: 50 };
  out.postgres = (await postgresAvailable()) ? await benchOne('postgres', articles, runs) : 'skipped: no PostgreSQL server';
  out.embedded = await benchOne('pglite', articles, runs);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await benchPortalSearch({ articles: Number(process.argv[2] ?? 100_000) }), null, 2)}\n`);
}
