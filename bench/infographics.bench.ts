// bench/infographics.bench.ts — generated images: how many per second each template and size
// draws on one process (satori layout and text fitting on the main thread, resvg drawing off it),
// after a warm-up, and the peak resident memory while drawing. Reported, never asserted.
// Run alone: `node bench/infographics.bench.ts` prints JSON.
import { fileURLToPath } from 'node:url';
import { kinerjaCardSizes, renderKinerjaCard, renderRegulasiSlides, type KinerjaCardData, type RegulasiExplainerData } from '../src/modules/infographics/index.ts';
import { percentiles } from './stats.ts';

const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="44" fill="#0e7490"/><path d="M28 60 L48 24 L68 60 Z" fill="#fde047"/></svg>';

const kinerja: KinerjaCardData = {
  indicator: 'Persentase balita stunting yang mendapatkan intervensi gizi spesifik dan sensitif secara terpadu di seluruh kabupaten dan kota se-Provinsi Kalimantan Timur',
  goal: 'Meningkatnya derajat kesehatan masyarakat melalui pelayanan kesehatan dasar yang merata',
  unitName: 'Dinas Kesehatan Provinsi Kalimantan Timur',
  unitLogo: Buffer.from(LOGO),
  period: 'Triwulan III 2025',
  satuan: '%',
  target: '18',
  realisasi: '17.2',
  capaian: { computable: true, value: '104.44', band: { key: 'sangat_baik', label: 'Sangat Baik' } },
  polarity: 'lower',
  source: 'Survei Status Gizi Indonesia (SSGI) 2025, Kementerian Kesehatan',
  siteName: 'Pemerintah Provinsi Kalimantan Timur',
};

const regulasi: RegulasiExplainerData = {
  typeName: 'Pergub', number: '5', year: 2025, title: 'Pengelolaan Sampah Rumah Tangga dan Sampah Sejenis Sampah Rumah Tangga',
  summary: 'Setiap rumah tangga wajib memilah sampah organik dan anorganik sebelum diangkut petugas, dengan jadwal pengangkutan per kelurahan.',
  purpose: 'Mengurangi sampah yang dibuang ke TPA dan menjaga saluran air tetap bersih.',
  reasons: ['TPA Sambutan hampir penuh', 'Banjir karena saluran tersumbat sampah', 'Sampah organik bisa diolah menjadi kompos'],
  affected: 'Semua rumah tangga, pengelola pasar, dan pelaku usaha di Kalimantan Timur.',
  effectiveDate: '2026-01-01',
  changes: 'Sampah yang tidak dipilah tidak diangkut; pelanggar mendapat teguran tertulis.',
  faq: [{ question: 'Apakah ada denda?', answer: 'Tahun pertama hanya teguran tertulis; denda berlaku mulai 2027.' }],
  siteName: 'Pemerintah Provinsi Kalimantan Timur',
};

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Renders `count` images after `warmUp`, one after another; images per second and latencies in ms. */
async function measure(draw: () => Promise<number>, count: number, warmUp = 2): Promise<Record<string, number>> {
  for (let i = 0; i < warmUp; i++) await draw();
  const samples: number[] = [];
  let images = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    images += await draw();
    samples.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  const p = percentiles(samples);
  return { images, imagesPerSecond: round((images / elapsed) * 1000, 2), meanMs: round(p.mean), p90Ms: round(p.p90), maxMs: round(p.max) };
}

export async function benchInfographics(count = 20): Promise<Record<string, unknown>> {
  let peakRss = process.memoryUsage().rss;
  const rssBefore = peakRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
  try {
    const coldStart = performance.now();
    await renderKinerjaCard(kinerja, 'portrait');
    const firstImageMs = round(performance.now() - coldStart);
    const kinerjaResults: Record<string, Record<string, number>> = {};
    for (const size of kinerjaCardSizes) {
      kinerjaResults[size] = await measure(async () => { await renderKinerjaCard(kinerja, size); return 1; }, count);
    }
    const carousel = await measure(async () => (await renderRegulasiSlides(regulasi)).length, Math.max(2, Math.round(count / 4)), 1);
    return {
      imagesPerRun: count,
      firstImageMs,
      kinerja: kinerjaResults,
      regulasiCarousel: { slidesPerCarousel: (await renderRegulasiSlides(regulasi)).length, ...carousel },
      rssBeforeMb: round(rssBefore / 2 ** 20),
      peakRssMb: round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20),
    };
  } finally {
    clearInterval(sampler);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchInfographics(), null, 2)}\n`);
}
