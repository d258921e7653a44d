/**
 * The demo's performance results on both databases: what the first start leaves, read through the
 * kinerja module's own queries and the portal's pages, and that seeding again adds nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import type { DB } from '../../db/schema.ts';
import { normaliseDecimal } from '../kinerja/decimal.ts';
import { kinerjaReport, kinerjaYears, listHistory, type KinerjaReport } from '../kinerja/queries.ts';
import { settingsFor } from '../kinerja/settings.ts';
import { unitPath } from '../units/queries.ts';
import { kaltimUnits } from './kaltim.ts';
import { demoKinerja, seedDemoKinerja, DEMO_KINERJA_YEARS } from './seed-kinerja.ts';

const html = { accept: 'text/html' };

async function unitOf(db: Kysely<DB>, key: string): Promise<{ id: string; slug: string }> {
  const name = kaltimUnits.find((u) => u.key === key)!.name;
  return db.selectFrom('units').select(['id', 'slug']).where('name', '=', name).executeTakeFirstOrThrow();
}

async function report(db: Kysely<DB>, key: string, year: number): Promise<KinerjaReport> {
  const unit = await unitOf(db, key);
  return kinerjaReport(db, { unitId: unit.id, year, settings: await settingsFor(db, await unitPath(db, unit.id)) });
}

const indicatorNamed = (r: KinerjaReport, name: string) => r.goals.flatMap((g) => g.indicators).find((i) => i.name === name)!;

for (const backend of backendNames) {
  describe(`the demo's performance results (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let db: Kysely<DB>;
    const get = (url: string) => server.app.inject({ method: 'GET', url, headers: html });
    before(async () => {
      server = await startTestServer({ backend, demo: true, listen: false });
      db = server.siar.services.db;
    });
    after(() => server.close());

    test('the province and three agencies, 2024 and 2025: 3–4 goals of 2–3 indicators, figures as written', async () => {
      assert.deepEqual(new Set(demoKinerja.map((d) => d.unit)), new Set(['kaltim', 'dinkes', 'disdikbud', 'pupr']));
      for (const item of demoKinerja) {
        const unit = await unitOf(db, item.unit);
        assert.deepEqual(await kinerjaYears(db, unit.id), [2025, 2024], item.unit);
        for (const year of DEMO_KINERJA_YEARS) {
          const r = await report(db, item.unit, year);
          assert.deepEqual(r.goals.map((g) => g.name), item.goals.map((g) => g.name), `${item.unit} ${year}: goals in file order`);
          assert.ok(r.goals.length >= 3 && r.goals.length <= 4);
          for (const [index, goal] of r.goals.entries()) {
            assert.ok(goal.indicators.length >= 2 && goal.indicators.length <= 3, `${goal.name}: 2–3 indicators`);
            for (const [n, indicator] of goal.indicators.entries()) {
              const written = item.goals[index]!.indicators[n]!;
              const [target, realisasi] = written.figures[year];
              assert.equal(indicator.name, written.name);
              assert.equal(indicator.target, target === null ? null : normaliseDecimal(target));
              assert.equal(indicator.realisasi, realisasi === null ? null : normaliseDecimal(realisasi));
              assert.equal(indicator.polarity, written.polaritas === 'turun' ? 'lower' : 'higher');
              assert.equal(indicator.dataSource, written.source);
            }
          }
        }
      }
    });

    test('lower-is-better, not computable and programme states are all there', async () => {
      const dinkes = await report(db, 'dinkes', 2025);
      const stunting = indicatorNamed(dinkes, 'Prevalensi balita stunting');
      assert.equal(stunting.polarity, 'lower');
      assert.deepEqual([stunting.target, stunting.realisasi, stunting.satuan], ['20', '19.8', '%']);
      // (2 × 20 − 19,8) / 20 × 100
      assert.ok(stunting.capaian.computable && Number(stunting.capaian.value) === 101 && stunting.capaian.band.key === 'sangat_baik');
      const dbd = indicatorNamed(dinkes, 'Angka kesakitan demam berdarah dengue');
      assert.ok(dbd.capaian.computable && dbd.capaian.value === '73.6' && dbd.capaian.band.key === 'cukup', 'a result short of its target');

      const iklh = indicatorNamed(await report(db, 'kaltim', 2025), 'Indeks Kualitas Lingkungan Hidup');
      assert.deepEqual(iklh.capaian, { computable: false, reason: 'realisasi_missing' });
      assert.match(iklh.notes ?? '', /belum dirilis/);
      const bridges = indicatorNamed(await report(db, 'pupr', 2025), 'Jumlah jembatan provinsi dalam kondisi kritis');
      assert.deepEqual(bridges.capaian, { computable: false, reason: 'target_zero' });

      const sources = new Set((await Promise.all(demoKinerja.map((d) => report(db, d.unit, 2025)))).flatMap((r) => r.goals.flatMap((g) => g.indicators.map((i) => i.dataSource))));
      assert.ok(sources.has('BPS Kaltim') && sources.has('Dinas Kesehatan'));

      const [nutrition] = dinkes.programmes;
      assert.equal(nutrition?.target, '367');
      assert.deepEqual(nutrition?.progress.at(-1), { asOf: '2025-09-30', value: '120', note: 'beroperasi; 85 lainnya dalam pembangunan' });
      assert.ok(nutrition?.capaian.computable && nutrition.capaian.value === '32.7');
      const [road] = (await report(db, 'pupr', 2025)).programmes;
      assert.equal(road?.progress.length, 4);
      assert.ok(road?.capaian.computable && Number(road.capaian.value) === 100);

      // Came in as an import: the history names it.
      const history = await listHistory(db, { unitId: (await unitOf(db, 'dinkes')).id }, { limit: 200 });
      assert.ok(history.some((h) => h.entityType === 'indicator' && h.action === 'create' && h.source === 'import' && h.importId !== null));
      assert.ok(history.some((h) => h.entityType === 'programme' && h.action === 'progress'));
    });

    test('the portal shows each unit, its years, figures in Indonesian and the states that cannot be computed', async () => {
      const index = await get('/kinerja');
      assert.equal(index.statusCode, 200);
      for (const item of demoKinerja) {
        const unit = await unitOf(db, item.unit);
        for (const year of DEMO_KINERJA_YEARS) assert.ok(index.body.includes(`href="/kinerja/${unit.slug}/${year}"`), `${item.unit} ${year} linked`);
      }

      const dinkes = await unitOf(db, 'dinkes');
      const page = await get(`/kinerja/${dinkes.slug}/2025`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('Realisasi 19,8% lebih rendah (lebih baik) dari target 20%; capaian 101% (Sangat Baik).'), page.body.slice(0, 200));
      assert.ok(page.body.includes('367 unit layanan ditargetkan, 120 tercapai per 30 September 2025 (32,7% dari target).'));
      assert.ok(page.body.includes('Sumber: Survei Kesehatan Indonesia'));
      assert.match(page.body, /Perkembangan dari tahun ke tahun/);

      const province = await get(`/kinerja/${(await unitOf(db, 'kaltim')).slug}/2025`);
      assert.equal(province.statusCode, 200);
      assert.ok(province.body.includes('Capaian belum dapat dihitung: realisasi belum tersedia (target 76,5 indeks).'));
      assert.ok(province.body.includes('Realisasi 5,78% lebih rendah (lebih baik) dari target 5,9%'));

      const pupr = (await unitOf(db, 'pupr')).slug;
      const roads = await get(`/kinerja/${pupr}/2025`);
      assert.equal(roads.statusCode, 200);
      assert.ok(roads.body.includes('Capaian belum dapat dihitung: target nol (target 0 jembatan, realisasi 3 jembatan).'));
      assert.ok(roads.body.includes('Realisasi 102,5% dari target: 82% dari 80% (Sangat Baik).'));
      assert.equal((await get(`/kinerja/${pupr}/2024`)).statusCode, 200);
      const csv = await get(`/kinerja/${pupr}/2025.csv`);
      assert.equal(csv.statusCode, 200);
      assert.ok(csv.body.includes('Persentase jalan provinsi dalam kondisi mantap,%,80,82,'));
    });

    test('seeding again adds nothing', async () => {
      const tables = ['kinerja_imports', 'kinerja_goals', 'kinerja_indicators', 'kinerja_programmes', 'kinerja_programme_progress', 'kinerja_history', 'audit_log'] as const;
      const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)])));
      const before = await counts();
      assert.ok(before.kinerja_indicators >= 60);
      assert.deepEqual(await seedDemoKinerja(db), { units: 0, indicators: 0, programmes: 0 });
      assert.deepEqual(await counts(), before);
    });
  });
}
