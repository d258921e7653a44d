// bench/content.bench.ts — measures the content rules (src/modules/networks) on one core: how long
// `validateAll` takes to check one post against all ten networks, the call the composer makes on
// every edit. Each call is timed on its own after a warm-up; median and p99 are reported in
// microseconds and milliseconds. Target: median < 1 ms for a realistic post. Reported, never asserted.
// Run alone: `node bench/content.bench.ts` prints JSON.
import { fileURLToPath } from 'node:url';
import { NETWORKS, validateAll, validatePost } from '../src/modules/networks/index.ts';
import type { MediaItem, Post } from '../src/modules/networks/index.ts';
import { codePoints, countHashtags, countLinks } from '../src/modules/networks/measure.ts';
import { percentiles } from './stats.ts';

const TARGET_MEDIAN_MS = 1;

const photo = (alt: string): MediaItem => ({ kind: 'image', mime: 'image/jpeg', bytes: 1_450_000, width: 1080, height: 1350, alt });

/** An Indonesian regional-news post as humas staff write them: ~600 characters, 2 links, 3 hashtags, a flag emoji. */
const NEWS_TEXT = [
  'Samarinda – Gubernur Kalimantan Timur meresmikan Jembatan Mahakam IV yang menghubungkan Samarinda Seberang',
  'dengan pusat kota, Jumat (28/11/2026). Jembatan sepanjang 400 meter ini diharapkan mengurangi kemacetan di',
  'Jembatan Mahakam I dan mempercepat distribusi barang ke wilayah hulu. “Pembangunan ini wujud komitmen',
  'pemerintah untuk pemerataan infrastruktur,” ujar Gubernur dalam sambutannya. Warga dapat melintas mulai Sabtu pagi.',
  'Rekayasa lalu lintas: https://dishub.kaltimprov.go.id/rekayasa-lalin',
  'Berita lengkap: https://kaltimprov.go.id/berita/2026/11/28/jembatan-mahakam-iv 🇮🇩',
  '#KaltimBerdaulat #Samarinda #JembatanMahakamIV',
].join('\n');

const NEWS_POST: Post = {
  text: NEWS_TEXT,
  media: [photo('Gubernur menggunting pita di Jembatan Mahakam IV'), photo('Kendaraan pertama melintasi Jembatan Mahakam IV')],
};

/** The same news repeated to exactly 5,000 characters (code points): a long press release pasted whole. */
function longPost(chars: number): Post {
  const paragraph = `${NEWS_TEXT}\n\n`;
  let text = '';
  while (codePoints(text) < chars) text += paragraph;
  return { text: [...text].slice(0, chars).join(''), media: NEWS_POST.media };
}

const us = (ns: bigint): number => Number(ns) / 1_000;
const round = (v: number, digits: number): number => Number(v.toFixed(digits));

/** Times `calls` single calls of `fn` after `warmup` untimed ones; returns each call's microseconds. */
function timeCalls(fn: () => number, warmup: number, calls: number): { samples: number[]; sink: number } {
  let sink = 0; // consumed below so the calls cannot be optimised away
  for (let i = 0; i < warmup; i++) sink += fn();
  const samples = new Array<number>(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    sink += fn();
    samples[i] = us(process.hrtime.bigint() - t0);
  }
  return { samples, sink };
}

function figures(post: Post, warmup: number, calls: number): Record<string, number | boolean | string> {
  globalThis.gc?.();
  const { samples, sink } = timeCalls(() => validateAll(NETWORKS, post).length, warmup, calls);
  if (sink !== (warmup + calls) * NETWORKS.length) throw new Error('validateAll returned the wrong number of results');
  const p = percentiles(samples);
  const results = validateAll(NETWORKS, post);
  return {
    chars: codePoints(post.text),
    links: countLinks(post.text),
    hashtags: countHashtags(post.text),
    images: post.media.length,
    networks: NETWORKS.length,
    okOn: results.filter((r) => r.ok).map((r) => r.network).join(' '),
    warmupCalls: warmup,
    calls: p.count,
    medianUs: round(p.median, 1),
    p90Us: round(p.p90, 1),
    p99Us: round(p.p99, 1),
    maxUs: round(p.max, 1),
    meanUs: round(p.mean, 1),
    medianMs: round(p.median / 1_000, 4),
    p99Ms: round(p.p99 / 1_000, 4),
    targetMedianMs: TARGET_MEDIAN_MS,
    meetsTarget: p.median / 1_000 < TARGET_MEDIAN_MS,
  };
}

/** Median microseconds of `validatePost` per network, to show where the time goes. */
function perNetwork(post: Post, warmup: number, calls: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const network of NETWORKS) {
    const { samples } = timeCalls(() => validatePost(network, post).issues.length, warmup, calls);
    out[network] = round(percentiles(samples).median, 1);
  }
  return out;
}

export async function benchContent(options: { calls?: number; longCalls?: number } = {}): Promise<Record<string, unknown>> {
  const calls = options.calls ?? 20_000;
  const longCalls = options.longCalls ?? 5_000;
  const long = longPost(5_000);
  return {
    newsPost: figures(NEWS_POST, 2_000, calls),
    longPost: figures(long, 1_000, longCalls),
    newsPostPerNetworkMedianUs: perNetwork(NEWS_POST, 500, 2_000),
    longPostPerNetworkMedianUs: perNetwork(long, 200, 1_000),
    timer: 'process.hrtime.bigint per call, nearest-rank percentiles',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchContent(), null, 2));
}
