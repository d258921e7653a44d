/**
 * Calendar month query on the embedded default: 10,000 posts across 50 units over twelve months
 * (two networks each, a third with a target channel), read as a month for a province-wide viewer
 * (all 50 units) and for one unit, through the query and through GET /api/v1/calendar. Target: p95
 * under 50 ms for the month query.
 */
import { sql } from 'kysely';
import { startTestServer } from '../test/server.ts';
import { makePerson, topUnitId } from '../test/people.ts';
import { calendarItems } from '../src/modules/calendar/calendar.ts';
import { zonedToUtc } from '../src/modules/calendar/zoned-time.ts';
import { percentiles } from './stats.ts';

const POSTS = 10_000;
const UNITS = 50;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

async function timed(runs: number, run: () => Promise<unknown>) {
  for (let i = 0; i < 5; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  const stats = percentiles(samples);
  return { runs, medianMs: round(stats.median), p95Ms: round(p95(samples)), p99Ms: round(stats.p99), maxMs: round(stats.max) };
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function benchCalendar() {
  const server = await startTestServer({ demo: false, listen: false });
  try {
    const db = server.siar.services.db;
    const province = await topUnitId(server);
    const author = (await db.selectFrom('users').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const seedStart = performance.now();
    // Units, posts, variants and targets in bulk SQL: the benchmark measures reading, not writing.
    await sql`
      insert into units (parent_id, kind, name, slug)
      select ${province}, 'agency', 'Dinas Bench ' || g, 'dinas-bench-' || g from generate_series(1, ${UNITS}) g`.execute(db);
    const units = (await db.selectFrom('units').select('id').where('slug', 'like', 'dinas-bench-%').execute()).map((u) => u.id);
    await sql`
      insert into channels (unit_id, network, name, handle)
      select id, 'x', 'Akun ' || slug, '@' || slug from units where slug like 'dinas-bench-%'`.execute(db);
    const year = new Date().getUTCFullYear() + 1;
    const start = zonedToUtc(`${year}-01-01T00:00`, 'Asia/Makassar')!;
    await sql`
      insert into posts (unit_id, author_id, title, body_text, status, scheduled_at)
      select u.ids[1 + (g % ${UNITS})], ${author}, 'Berita ' || g, 'Isi berita ' || g,
             (array['draft','in_review','approved','scheduled','published'])[1 + (g % 5)],
             ${start}::timestamptz + ((g * 3153.6) || ' seconds')::interval
      from generate_series(1, ${POSTS}) g, (select array_agg(id order by id) as ids from units where slug like 'dinas-bench-%') u`.execute(db);
    await sql`insert into post_variants (post_id, network, text) select id, 'facebook', body_text from posts`.execute(db);
    await sql`insert into post_variants (post_id, network, text) select id, 'x', body_text from posts`.execute(db);
    await sql`update posts set networks = array['facebook', 'x']`.execute(db);
    await sql`insert into post_targets (post_id, channel_id, network) select p.id, c.id, 'x' from posts p join channels c on c.unit_id = p.unit_id`.execute(db);
    await sql`analyze`.execute(db);
    const seedMs = Math.round(performance.now() - seedStart);

    const month = { from: zonedToUtc(`${year}-06-01T00:00`, 'Asia/Makassar')!, to: zonedToUtc(`${year}-07-01T00:00`, 'Asia/Makassar')! };
    const allUnits = [province, ...units];
    const monthAll = await calendarItems(db, { ...month, unitIds: allUnits });
    if (monthAll.items.length < 700) throw new Error(`expected a month of posts, got ${monthAll.items.length}`);
    const queryAllUnits = await timed(200, () => calendarItems(db, { ...month, unitIds: allUnits }));
    const queryOneUnit = await timed(200, () => calendarItems(db, { ...month, unitIds: [units[7]!] }));
    const queryFiltered = await timed(200, () => calendarItems(db, { ...month, unitIds: allUnits, network: 'x', statuses: ['scheduled', 'approved'] }));

    const viewer = await makePerson(server, province, 'viewer');
    const url = `/api/v1/calendar?from=${year}-06-01&to=${year}-07-01`;
    const check = await viewer.client.get(url);
    if (check.statusCode !== 200) throw new Error(`calendar answered ${check.statusCode}: ${check.body.slice(0, 200)}`);
    const httpAllUnits = await timed(100, () => viewer.client.get(url));
    return {
      dataset: { posts: POSTS, units: UNITS, variantsPerPost: 2, seedMs, postsInMonth: monthAll.items.length },
      queryAllUnits,
      queryOneUnit,
      queryFilteredNetworkStatus: queryFiltered,
      httpAllUnits: { ...httpAllUnits, note: 'GET /api/v1/calendar through the app, with sign-in, visibility, crowding and serialisation' },
      targetP95Ms: 50,
      meetsTarget: queryAllUnits.p95Ms < 50,
      httpMeetsTarget: httpAllUnits.p95Ms < 50,
    };
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchCalendar(), null, 2));
}
