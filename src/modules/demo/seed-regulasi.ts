/**
 * The demo's regulation records (regulasi): a Perda on waste, a Pergub on plastic bags, a Perda on
 * regional taxes whose explanation is still being written, a governor's circular on flood
 * preparedness, and a draft Perda (rancangan) that the portal keeps private — so /regulasi and the
 * admin app's regulation pages have something to show on the first start.
 *
 * Numbers, dates and JDIH addresses are illustrative demo values, not the province's official
 * legal documents; the explanations are written as a humas unit would write them for citizens.
 * The two recent ones are dated relative to the first start, as the demo posts about them are:
 * the Pergub on plastic comes into force next month, the circular was signed before the rains.
 *
 * Records are written through the regulasi module's own operation (createRegulation: the input
 * checked by the API's schema, one record per regulation, the slug made once, audited, the portal
 * told). Two existing demo posts are linked to the regulation they talk about (linkPost), only
 * where the link keeps the explanation rule: a post past drafting is linked only to a regulation
 * whose purpose and reasons are written. Safe to run again: a record with the same unit and
 * title is left as it is, and linking twice changes nothing.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB, PostStatus } from '../../db/schema.ts';
import { isAppError } from '../../errors/errors.ts';
import { systemActor } from '../audit/record.ts';
import { utcToZoned } from '../calendar/zoned-time.ts';
import { formatDate } from '../infographics/format.ts';
import { missingExplanation } from '../regulasi/explanation.ts';
import { linkPost } from '../regulasi/link-posts.ts';
import { createRegulation } from '../regulasi/save-regulation.ts';
import { createRegulationBody } from '../regulasi/schemas.ts';
import { kaltimUnits } from './kaltim.ts';
import { demoArticles } from './seed-portal.ts';

const TIME_ZONE = 'Asia/Makassar';
const JDIH = 'https://jdih.kaltimprov.go.id/produk-hukum';

/** What the regulations API accepts, with the unit named by its key in kaltim.ts. */
type RegulationInput = Omit<z.input<typeof createRegulationBody>, 'unitId'>;

export interface DemoRegulation extends RegulationInput {
  key: string;
  unit: string;
  title: string;
}

export interface DemoLink {
  regulation: string;
  post: { unit: string; title: string };
}

/** A calendar day `days` after (or before) `day`, both YYYY-MM-DD. */
function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The first day of the month `months` after the month of `day`. */
function firstOfMonthAfter(day: string, months: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 10);
}

const yearOf = (day: string): number => Number(day.slice(0, 4));

export function demoRegulations(now: Date): DemoRegulation[] {
  const today = utcToZoned(now, TIME_ZONE).slice(0, 10);
  const plasticEnacted = addDays(today, -12);
  const plasticInForce = firstOfMonthAfter(today, 1);
  const marketsFrom = firstOfMonthAfter(today, 7);
  const circularSigned = addDays(today, -24);
  return [
    {
      key: 'perda-sampah',
      unit: 'kaltim',
      type: 'perda',
      number: '2',
      year: 2024,
      title: 'Pengelolaan Sampah Rumah Tangga dan Sampah Sejenis Sampah Rumah Tangga',
      status: 'berlaku',
      enactedOn: '2024-03-14',
      inForceOn: '2024-03-14',
      jdihUrl: `${JDIH}/perda-2-2024-pengelolaan-sampah`,
      purpose: 'Mengurangi sampah yang dibuang ke tempat pemrosesan akhir dan ke sungai, dengan memilah dan mengolah sampah sejak dari rumah. Perda ini juga membagi tugas dengan jelas antara pemerintah provinsi, kabupaten dan kota, desa, pelaku usaha, dan warga.',
      reasons: 'Sampah di Kalimantan Timur terus bertambah seiring tumbuhnya kota dan pembangunan Ibu Kota Nusantara. Banyak tempat pemrosesan akhir hampir penuh. Sampah yang tidak tertangani menyumbat saluran air dan mencemari Sungai Mahakam. Aturan sebelumnya belum mengatur kewajiban memilah sampah dan tanggung jawab produsen kemasan.',
      affected: 'Semua rumah tangga, pengelola perumahan, pasar, pusat perbelanjaan, hotel, rumah makan, dan kawasan industri di Kalimantan Timur. Juga pemerintah kabupaten dan kota, yang wajib menyediakan tempat pengolahan sampah.',
      changes: 'Warga diminta memilah sampah menjadi tiga: sampah sisa makanan dan daun, sampah yang bisa didaur ulang, dan sampah lainnya. Pengelola kawasan wajib menyediakan tempat sampah terpilah. Produsen wajib menarik kembali kemasan tertentu. Bank sampah dan tempat pengolahan sampah di desa dan kelurahan mendapat pembinaan dan bantuan dari pemerintah provinsi.',
      starts: 'Perda ini berlaku sejak diundangkan pada 14 Maret 2024. Kewajiban menyediakan tempat sampah terpilah di pusat perbelanjaan, hotel, dan rumah makan berlaku satu tahun kemudian, mulai 14 Maret 2025.',
      faq: [
        { question: 'Apakah warga bisa didenda kalau tidak memilah sampah?', answer: 'Tidak. Bagi rumah tangga, Perda ini mengutamakan ajakan dan pembinaan. Teguran tertulis dan denda berlaku bagi pengelola kawasan dan pelaku usaha yang tidak menyediakan tempat sampah terpilah.' },
        { question: 'Ke mana saya bisa menyerahkan sampah yang bisa didaur ulang?', answer: 'Ke bank sampah di desa atau kelurahan Anda. Daftar bank sampah terdekat bisa ditanyakan di kantor kelurahan atau dinas lingkungan hidup kabupaten dan kota.' },
        { question: 'Siapa yang mengangkut sampah dari rumah saya?', answer: 'Pengangkutan dari rumah ke tempat penampungan sementara tetap diurus kabupaten, kota, atau pengelola perumahan. Pemerintah provinsi mengurus tempat pemrosesan akhir yang dipakai bersama beberapa daerah.' },
      ],
    },
    {
      key: 'pergub-plastik',
      unit: 'diskominfo',
      type: 'pergub',
      number: '27',
      year: yearOf(plasticEnacted),
      title: 'Pengurangan Penggunaan Kantong Plastik dan Plastik Sekali Pakai',
      status: 'berlaku',
      enactedOn: plasticEnacted,
      inForceOn: plasticInForce,
      // The same address the demo post about it links to.
      jdihUrl: `${JDIH}/pergub-pengurangan-sampah-plastik`,
      purpose: 'Agar Sungai Mahakam dan pesisir Kalimantan Timur bersih dari sampah plastik. Caranya dengan mengurangi kantong plastik, sedotan, dan wadah styrofoam sekali pakai di tempat belanja dan tempat makan.',
      reasons: 'Volume sampah plastik di Samarinda dan Balikpapan naik sekitar 20 persen dalam dua tahun terakhir. Plastik sekali pakai paling banyak ditemukan di saluran air dan sungai, ikut menyebabkan banjir, dan butuh puluhan tahun untuk terurai. Pergub ini menjalankan Perda Nomor 2 Tahun 2024 tentang Pengelolaan Sampah.',
      affected: 'Pusat perbelanjaan, toko modern, pasar rakyat milik pemerintah, rumah makan, kafe, dan layanan pesan-antar makanan. Juga warga yang berbelanja dan makan di tempat-tempat itu.',
      changes: 'Toko modern dan pusat perbelanjaan tidak lagi menyediakan kantong plastik sekali pakai, baik gratis maupun berbayar. Rumah makan dan kafe tidak lagi memakai sedotan plastik dan wadah styrofoam. Pedagang pasar rakyat diberi waktu menyesuaikan diri dan dibantu kantong yang bisa dipakai berulang. Pembeli dianjurkan membawa tas belanja sendiri.',
      starts: `Mulai ${formatDate(plasticInForce)} untuk pusat perbelanjaan, toko modern, rumah makan, dan kafe. Pasar rakyat menyusul enam bulan kemudian, mulai ${formatDate(marketsFrom)}.`,
      faq: [
        { question: 'Apakah saya masih boleh memakai kantong plastik sendiri?', answer: 'Boleh. Yang tidak boleh lagi adalah toko yang menyediakan kantong plastik sekali pakai. Kantong yang Anda bawa dari rumah dan dipakai berulang kali tidak dilarang.' },
        { question: 'Bagaimana dengan plastik pembungkus daging, ikan, atau sayur?', answer: 'Plastik pembungkus bahan makanan yang basah atau belum dikemas masih boleh dipakai, demi kebersihan makanan. Yang dikurangi adalah kantong untuk membawa belanjaan.' },
        { question: 'Apa akibatnya bagi toko yang melanggar?', answer: 'Pertama teguran lisan, lalu teguran tertulis. Bila tetap melanggar, nama usahanya diumumkan dan izin usahanya dapat ditinjau oleh pemerintah kabupaten atau kota.' },
      ],
    },
    {
      // Recorded with its official document; the explanation is still being written.
      key: 'perda-pajak',
      unit: 'kaltim',
      type: 'perda',
      number: '1',
      year: 2024,
      title: 'Pajak Daerah dan Retribusi Daerah',
      status: 'berlaku',
      enactedOn: '2024-01-05',
      inForceOn: '2024-01-05',
      jdihUrl: `${JDIH}/perda-1-2024-pajak-daerah-dan-retribusi-daerah`,
      purpose: 'Menyatukan semua aturan pajak daerah dan retribusi daerah Provinsi Kalimantan Timur dalam satu peraturan, sesuai undang-undang tentang hubungan keuangan pemerintah pusat dan daerah.',
      reasons: '',
      affected: '',
      changes: '',
      starts: '',
      faq: [],
    },
    {
      key: 'se-banjir',
      unit: 'kaltim',
      type: 'surat_edaran',
      number: '300.2/6120/BPBD',
      year: yearOf(circularSigned),
      title: 'Kesiapsiagaan Menghadapi Banjir dan Tanah Longsor pada Musim Hujan',
      status: 'berlaku',
      enactedOn: circularSigned,
      inForceOn: circularSigned,
      jdihUrl: `${JDIH}/se-gubernur-kesiapsiagaan-banjir-${yearOf(circularSigned)}`,
      purpose: 'Meminta bupati, wali kota, perangkat daerah, camat, lurah, dan kepala desa bersiap sebelum puncak musim hujan, agar banjir dan tanah longsor tidak menelan korban dan warga cepat mendapat pertolongan.',
      reasons: 'Menurut prakiraan BMKG, puncak musim hujan di Kalimantan Timur terjadi antara Desember dan Februari. Pada musim hujan lalu, banjir merendam permukiman di Samarinda, Kutai Kartanegara, dan Paser. Di beberapa tempat pertolongan terlambat karena posko dan peralatan belum siap.',
      affected: 'Pemerintah kabupaten dan kota, BPBD, perangkat daerah provinsi, camat, lurah, dan kepala desa. Warga di bantaran sungai dan di lereng bukit diminta ikut waspada.',
      changes: 'Setiap kabupaten dan kota menyiapkan posko siaga, perahu karet, dan jalur evakuasi, serta membersihkan saluran air dan anak sungai. Perangkat daerah menyiagakan petugas piket. Lurah dan kepala desa mendata warga yang perlu dibantu lebih dulu: lansia, penyandang disabilitas, ibu hamil, dan balita. Peringatan dini disebarkan melalui akun resmi pemerintah.',
      starts: `Berlaku sejak ditandatangani pada ${formatDate(circularSigned)} sampai musim hujan berakhir, paling lambat 31 Maret ${yearOf(circularSigned) + 1}.`,
      faq: [
        { question: 'Apa yang harus saya lakukan bila air mulai naik?', answer: 'Matikan listrik di rumah, bawa dokumen penting dan obat-obatan, lalu pergi ke posko atau tempat yang lebih tinggi. Hubungi 112 bila ada anggota keluarga yang perlu dievakuasi.' },
        { question: 'Di mana saya bisa mendapat peringatan dini banjir?', answer: 'Ikuti akun resmi BPBD dan pemerintah daerah, radio daerah, dan peringatan cuaca dari BMKG. Lurah dan ketua RT juga meneruskan peringatan kepada warga.' },
        { question: 'Apakah surat edaran ini memuat sanksi bagi warga?', answer: 'Tidak. Surat edaran berisi arahan kepada instansi pemerintah. Isinya tidak memberi sanksi kepada warga.' },
      ],
    },
    {
      // Not law yet: the portal does not show it. A draft has no number until it is enacted; its
      // place in the year's regional legislation programme (Propemperda) stands in for one.
      key: 'raperda-ktr',
      unit: 'dinkes',
      type: 'perda',
      number: 'Raperda 4',
      year: yearOf(today),
      title: 'Kawasan Tanpa Rokok',
      status: 'rancangan',
      enactedOn: null,
      inForceOn: null,
      jdihUrl: null,
      purpose: 'Melindungi warga, terutama anak-anak dan ibu hamil, dari asap rokok di tempat umum: fasilitas kesehatan, sekolah, tempat bermain anak, tempat ibadah, angkutan umum, dan kantor pemerintah.',
      reasons: 'Masih banyak pelajar di Kalimantan Timur yang merokok, dan banyak warga menghirup asap rokok orang lain di tempat umum. Sebagian kabupaten dan kota sudah punya perda kawasan tanpa rokok, tetapi belum ada aturan untuk gedung dan fasilitas milik provinsi.',
      affected: 'Pengelola fasilitas kesehatan, sekolah, tempat ibadah, angkutan umum, dan gedung milik pemerintah provinsi, serta semua orang yang berada di tempat-tempat itu.',
      changes: '',
      starts: '',
      faq: [
        { question: 'Apakah aturan ini sudah berlaku?', answer: 'Belum. Rancangan ini masih dibahas bersama DPRD dan isinya masih bisa berubah. Warga dapat memberi masukan saat konsultasi publik.' },
        { question: 'Apakah merokok akan dilarang di mana saja?', answer: 'Tidak. Rancangan ini hanya mengatur tempat-tempat tertentu yang harus bebas asap rokok. Pengelola gedung boleh menyediakan tempat merokok terbuka yang terpisah.' },
      ],
    },
  ];
}

/** The regulasi-rubric post of the demo content (seed-content.ts) and the newsroom's flood notice. */
export const demoRegulationLinks: DemoLink[] = [
  { regulation: 'pergub-plastik', post: { unit: 'diskominfo', title: 'Pergub pengelolaan sampah plastik: tujuan dan alasannya' } },
  { regulation: 'se-banjir', post: { unit: 'samarinda', title: demoArticles.find((a) => a.sertaMerta)!.title } },
];

/** Posts still being drafted: linking them to a regulation without an explanation is allowed (they cannot be submitted). */
const DRAFTING: readonly PostStatus[] = ['draft', 'changes_requested', 'cancelled'];

export async function seedDemoRegulations(db: Kysely<DB>, now = new Date()): Promise<{ regulations: number; links: number }> {
  const unitNames = new Map(kaltimUnits.map((u) => [u.key, u.name]));
  const units = new Map((await db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  const unitOf = (key: string) => units.get(unitNames.get(key) ?? '');
  const actor = systemActor('seed-demo');
  const recorded = new Map<string, { id: string; explained: boolean }>();
  let created = 0;
  for (const item of demoRegulations(now)) {
    const unitId = unitOf(item.unit);
    if (!unitId) continue;
    const { key: _key, unit: _unit, ...fields } = item;
    const input = createRegulationBody.parse({ ...fields, unitId });
    const existing = await db.selectFrom('regulations').select(['id', 'purpose', 'reasons']).where('unit_id', '=', unitId).where('title', '=', input.title).executeTakeFirst();
    if (existing) {
      recorded.set(item.key, { id: existing.id, explained: missingExplanation(existing).length === 0 });
      continue;
    }
    try {
      const record = await createRegulation(db, input, actor);
      recorded.set(item.key, { id: record.id, explained: missingExplanation(record).length === 0 });
      created += 1;
    } catch (error) {
      // Someone already recorded this regulation under another title: theirs stands.
      if (isAppError(error) && error.code === 'regulation.duplicate') continue;
      throw error;
    }
  }
  let links = 0;
  for (const link of demoRegulationLinks) {
    const regulation = recorded.get(link.regulation);
    const unitId = unitOf(link.post.unit);
    if (!regulation || !unitId) continue;
    const post = await db.selectFrom('posts').select(['id', 'unit_id', 'status']).where('unit_id', '=', unitId).where('title', '=', link.post.title).executeTakeFirst();
    if (!post) continue;
    if (!regulation.explained && !DRAFTING.includes(post.status)) continue;
    if (await linkPost(db, { regulationId: regulation.id, postId: post.id, unitId: post.unit_id, actor })) links += 1;
  }
  return { regulations: created, links };
}
