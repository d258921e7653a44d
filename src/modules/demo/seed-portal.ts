/**
 * The portal's demo newsroom: two dozen articles of the province, its agencies and a few regencies
 * and cities, published over the last 30 days across every rubric, and one serta-merta notice from
 * the last hours. They are written as posts that already went out on the portal alone (no social
 * accounts): the post row, its first version, and its article through syncArticle, in one
 * transaction each, so the post and its article agree. Safe to run again: a title already there is
 * skipped.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { utcToZoned, zonedToUtc } from '../calendar/zoned-time.ts';
import { htmlToPlainText, sanitizeBody } from '../compose/rich-text.ts';
import { syncArticle } from '../portal/articles.ts';
import { commitVersion } from '../posts/save-post.ts';
import { kaltimUnits } from './kaltim.ts';

const TIME_ZONE = 'Asia/Makassar';

interface DemoArticle {
  unit: string;
  author: string;
  rubric: string;
  /** Days before today (WITA) and the wall time; or minutes before now. */
  when: { daysAgo: number; at: string } | { minutesAgo: number };
  title: string;
  summary: string;
  body: string[];
  tags: string[];
  sertaMerta?: { what: string; areas: string; actions: string; help: string; contact: string };
}

const EDITOR = 'editor.diskominfo@demo.siar.id';
const SMD = 'editor.samarinda@demo.siar.id';
const DINKES = 'admin.dinkes@demo.siar.id';

export const demoArticles: DemoArticle[] = [
  {
    unit: 'samarinda', author: SMD, rubric: 'pengumuman', when: { minutesAgo: 150 },
    title: 'Banjir di Sempaja Utara: warga bantaran Sungai Karang Mumus diminta mengungsi',
    summary: 'Air setinggi 40–70 cm merendam permukiman di Sempaja Utara dan Gunung Lingai sejak pukul 04.00 WITA.',
    body: [
      'Hujan deras sejak tengah malam membuat Sungai Karang Mumus meluap. Air setinggi 40 hingga 70 sentimeter merendam permukiman di Kelurahan Sempaja Utara dan Gunung Lingai sejak pukul 04.00 WITA.',
      'BPBD Kota Samarinda membuka posko pengungsian di Kantor Camat Samarinda Utara dan SDN 015 Sempaja. Perahu karet disiagakan di Jalan Pramuka dan Jalan D.I. Panjaitan.',
      'Warga diminta mematikan listrik di rumah yang mulai tergenang dan membawa dokumen penting. Informasi ketinggian air diperbarui di halaman ini.',
    ],
    tags: ['banjir', 'Samarinda', 'BPBD'],
    sertaMerta: {
      what: 'Banjir setinggi 40–70 cm akibat luapan Sungai Karang Mumus',
      areas: 'Kelurahan Sempaja Utara dan Gunung Lingai, Kecamatan Samarinda Utara',
      actions: 'Matikan listrik rumah yang tergenang, bawa dokumen penting, mengungsi ke posko terdekat',
      help: 'Posko Kantor Camat Samarinda Utara dan SDN 015 Sempaja (makanan, selimut, layanan kesehatan)',
      contact: 'BPBD Kota Samarinda 112 atau 0541-741 112',
    },
  },
  {
    unit: 'diskominfo', author: EDITOR, rubric: 'seputar-kaltim', when: { minutesAgo: 320 },
    title: 'Gubernur resmikan 12 menara internet desa di Kutai Barat dan Mahakam Ulu',
    summary: 'Dua belas desa di hulu Mahakam kini tersambung internet 4G, bagian dari program desa terang dan terhubung.',
    body: [
      'Gubernur Kalimantan Timur meresmikan dua belas menara telekomunikasi di Kabupaten Kutai Barat dan Mahakam Ulu. Desa-desa di hulu Sungai Mahakam itu sebelumnya hanya bisa dijangkau sinyal di titik tertentu.',
      'Menurut Dinas Komunikasi dan Informatika, menara tersebut melayani sekitar 9.400 warga, sekolah dan puskesmas pembantu. Layanan administrasi kependudukan daring kini bisa diakses dari kantor desa.',
      'Tahun depan pemerintah provinsi menargetkan 30 desa lagi, diprioritaskan desa yang memiliki sekolah menengah.',
    ],
    tags: ['internet desa', 'Mahakam Ulu', 'Kutai Barat'],
  },
  {
    unit: 'dinkes', author: DINKES, rubric: 'pengumuman', when: { daysAgo: 1, at: '08:30' },
    title: 'Imunisasi campak dan rubela anak sekolah dimulai Senin depan',
    summary: 'Siswa SD kelas 1 dan 2 di seluruh Kaltim mendapat imunisasi gratis di sekolah masing-masing.',
    body: [
      'Dinas Kesehatan Provinsi Kalimantan Timur memulai Bulan Imunisasi Anak Sekolah pada Senin depan. Imunisasi campak dan rubela diberikan gratis kepada siswa kelas 1 dan 2 sekolah dasar.',
      'Petugas puskesmas datang ke sekolah sesuai jadwal yang dibagikan melalui wali kelas. Orang tua diminta mengisi formulir persetujuan dan menyampaikan bila anak sedang demam.',
      'Anak yang tidak hadir pada hari imunisasi dapat datang ke puskesmas terdekat hingga akhir bulan.',
    ],
    tags: ['imunisasi', 'kesehatan anak'],
  },
  {
    unit: 'bappeda', author: EDITOR, rubric: 'kinerja', when: { daysAgo: 2, at: '10:00' },
    title: 'Angka kemiskinan Kaltim turun menjadi 5,78 persen',
    summary: 'Capaian indikator kinerja utama kemiskinan melampaui target RPJMD tahun ini.',
    body: [
      'Badan Perencanaan Pembangunan Daerah mencatat persentase penduduk miskin Kalimantan Timur turun menjadi 5,78 persen, dari 6,11 persen pada periode yang sama tahun lalu.',
      'Target indikator kinerja utama tahun ini 5,90 persen, sehingga capaiannya 102 persen. Penurunan terbesar terjadi di perdesaan, seiring program bantuan bibit dan jalan usaha tani.',
      'Bappeda mengingatkan bahwa kemiskinan di kota Samarinda dan Balikpapan masih perlu perhatian, terutama pada rumah tangga pekerja informal.',
    ],
    tags: ['kinerja kaltim', 'kemiskinan', 'IKU'],
  },
  {
    unit: 'biro-adpim', author: EDITOR, rubric: 'regulasi', when: { daysAgo: 3, at: '14:00' },
    title: 'Pergub baru atur jam operasional angkutan batu bara di jalan umum',
    summary: 'Truk angkutan tambang dilarang melintas jalan umum pukul 06.00–09.00 dan 16.00–18.00 WITA.',
    body: [
      'Peraturan Gubernur tentang pengaturan angkutan hasil tambang di jalan umum mulai berlaku bulan depan. Truk pengangkut batu bara dilarang melintas pada jam berangkat sekolah dan pulang kerja.',
      'Tujuannya menurunkan kecelakaan dan kerusakan jalan provinsi. Aturan ini dibuat karena dalam dua tahun terakhir tercatat 41 kecelakaan yang melibatkan angkutan tambang di ruas Samarinda–Bontang.',
      'Perusahaan wajib memasang pelacak posisi pada armadanya. Pelanggaran dikenai sanksi administratif hingga pencabutan izin pengangkutan.',
    ],
    tags: ['regulasi', 'Pergub', 'angkutan tambang'],
  },
  {
    unit: 'kukar', author: EDITOR, rubric: 'seputar-kaltim', when: { daysAgo: 4, at: '19:30' },
    title: 'Erau Adat Kutai dibuka, ribuan warga padati Tenggarong',
    summary: 'Festival adat tertua di Nusantara berlangsung sepekan dengan upacara, seni dan kuliner.',
    body: [
      'Festival Erau Adat Kutai resmi dibuka di halaman Museum Mulawarman, Tenggarong. Ribuan warga dan wisatawan memadati tepian Sungai Mahakam sejak sore.',
      'Selama sepekan digelar upacara adat, pertunjukan seni pedalaman dan pasar kuliner. Puncaknya adalah prosesi Mengulur Naga dan Belimbur pada hari terakhir.',
      'Pemerintah Kabupaten Kutai Kartanegara menyediakan bus gratis dari Samarinda setiap jam selama festival.',
    ],
    tags: ['Erau', 'budaya', 'Kutai Kartanegara'],
  },
  {
    unit: 'disdikbud', author: EDITOR, rubric: 'pengumuman', when: { daysAgo: 5, at: '09:00' },
    title: 'Pendaftaran Beasiswa Kaltim Tuntas tahap kedua dibuka',
    summary: 'Beasiswa untuk mahasiswa S1 hingga S3 asal Kaltim dibuka sampai akhir bulan.',
    body: [
      'Dinas Pendidikan dan Kebudayaan membuka pendaftaran Beasiswa Kaltim Tuntas tahap kedua bagi mahasiswa asal Kalimantan Timur, dari jenjang sarjana hingga doktor.',
      'Pendaftaran dilakukan daring. Syaratnya antara lain kartu tanda penduduk Kaltim, surat keterangan aktif kuliah dan transkrip nilai terakhir.',
      'Hasil seleksi administrasi diumumkan dua pekan setelah pendaftaran ditutup. Pendaftar diminta waspada terhadap pihak yang meminta biaya: seluruh proses tidak dipungut bayaran.',
    ],
    tags: ['beasiswa', 'Kaltim Tuntas', 'pendidikan'],
  },
  {
    unit: 'pupr', author: EDITOR, rubric: 'kinerja', when: { daysAgo: 6, at: '11:00' },
    title: 'Jalan provinsi dalam kondisi mantap capai 82 persen',
    summary: 'Perbaikan ruas Muara Wahau–Kelay menjadi penyumbang terbesar kenaikan kemantapan jalan.',
    body: [
      'Dinas PUPR-PERA Kalimantan Timur melaporkan kemantapan jalan provinsi mencapai 82 persen, naik dari 76 persen tahun lalu. Targetnya 80 persen.',
      'Kenaikan terbesar berasal dari rampungnya perbaikan ruas Muara Wahau–Kelay sepanjang 38 kilometer yang menghubungkan Kutai Timur dan Berau.',
      'Tahun depan perbaikan difokuskan pada ruas menuju Ibu Kota Nusantara dan jalan penghubung di Paser.',
    ],
    tags: ['infrastruktur', 'jalan provinsi', 'kinerja kaltim'],
  },
  {
    unit: 'mahulu', author: EDITOR, rubric: 'sosok', when: { daysAgo: 7, at: '16:00' },
    title: 'Bidan Maria, empat jam berperahu demi ibu hamil di hulu Mahakam',
    summary: 'Setiap pekan ia menyusuri riam Mahakam untuk memeriksa ibu hamil di kampung-kampung terjauh.',
    body: [
      'Setiap Selasa pagi, Maria menyiapkan tas berisi alat periksa, vitamin dan buku catatan. Perjalanan perahu ke kampung terjauh di wilayah kerjanya memakan waktu empat jam, melewati riam yang deras saat musim hujan.',
      'Selama sebelas tahun bertugas, ia mencatat tidak ada ibu melahirkan yang meninggal di kampung-kampung binaannya. Ia juga melatih kader posyandu agar bisa mengenali tanda bahaya kehamilan.',
      '“Yang penting ibu-ibu tahu kapan harus segera dibawa ke puskesmas,” katanya.',
    ],
    tags: ['tenaga kesehatan', 'Mahakam Ulu'],
  },
  {
    unit: 'balikpapan', author: EDITOR, rubric: 'seputar-kaltim', when: { daysAgo: 8, at: '10:30' },
    title: 'Balikpapan uji coba bus listrik rute bandara–Pelabuhan Semayang',
    summary: 'Uji coba tiga bus listrik berlangsung tiga bulan dengan tarif gratis.',
    body: [
      'Pemerintah Kota Balikpapan menguji coba tiga bus listrik pada rute Bandara Sultan Aji Muhammad Sulaiman Sepinggan hingga Pelabuhan Semayang.',
      'Selama tiga bulan uji coba, penumpang tidak dipungut biaya. Bus berangkat setiap 30 menit mulai pukul 06.00 hingga 21.00 WITA.',
      'Hasil uji coba menjadi dasar pengadaan angkutan umum rendah emisi yang terhubung dengan Ibu Kota Nusantara.',
    ],
    tags: ['transportasi', 'Balikpapan', 'bus listrik'],
  },
  {
    unit: 'diskominfo', author: EDITOR, rubric: 'nusantara', when: { daysAgo: 9, at: '13:00' },
    title: 'Kaltim ikuti gerakan nasional literasi digital untuk pelajar',
    summary: 'Sebanyak 120 sekolah menengah di Kaltim menjadi peserta kelas cakap digital tahun ini.',
    body: [
      'Kalimantan Timur bergabung dalam gerakan nasional literasi digital yang diselenggarakan bersama pemerintah pusat. Sebanyak 120 SMA dan SMK menjadi peserta kelas cakap digital.',
      'Materinya meliputi mengenali hoaks, menjaga data pribadi dan beretika di media sosial. Guru pendamping dilatih lebih dulu agar materi berlanjut setelah program selesai.',
      'Diskominfo Kaltim juga menyiapkan modul berbahasa daerah untuk sekolah di pedalaman.',
    ],
    tags: ['literasi digital', 'narasi tunggal'],
  },
  {
    unit: 'samarinda', author: SMD, rubric: 'pengumuman', when: { daysAgo: 10, at: '08:00' },
    title: 'Penutupan sementara Jalan Gajah Mada untuk perbaikan drainase',
    summary: 'Jalan Gajah Mada ditutup bertahap selama tiga pekan; pengendara diarahkan lewat Jalan Awang Long.',
    body: [
      'Pemerintah Kota Samarinda menutup sementara sebagian Jalan Gajah Mada untuk perbaikan saluran drainase utama mulai Senin.',
      'Penutupan dilakukan bertahap per segmen selama tiga pekan. Pengendara dari arah Jembatan Mahakam diarahkan melalui Jalan Awang Long dan Jalan Pulau Sebatik.',
      'Perbaikan ini bagian dari pengendalian banjir di pusat kota. Petugas perhubungan berjaga di setiap simpang pengalihan.',
    ],
    tags: ['lalu lintas', 'Samarinda', 'drainase'],
  },
  {
    unit: 'berau', author: EDITOR, rubric: 'seputar-kaltim', when: { daysAgo: 11, at: '15:00' },
    title: 'Penyu hijau kembali bertelur di Pulau Sangalaki',
    summary: 'Petugas konservasi mencatat 86 sarang baru dalam sebulan terakhir.',
    body: [
      'Petugas konservasi di Pulau Sangalaki, Kabupaten Berau, mencatat 86 sarang penyu hijau baru dalam sebulan terakhir, lebih banyak dari periode yang sama tahun lalu.',
      'Telur dipindahkan ke area penetasan yang dijaga untuk menghindari pemangsa dan pencurian. Tukik dilepas ke laut pada sore hari bersama wisatawan yang mendaftar.',
      'Pemerintah Kabupaten Berau mengingatkan bahwa memperjualbelikan telur penyu dilarang dan dapat dipidana.',
    ],
    tags: ['konservasi', 'Berau', 'pariwisata'],
  },
  {
    unit: 'dinkes', author: DINKES, rubric: 'kinerja', when: { daysAgo: 12, at: '10:00' },
    title: 'Prevalensi stunting Kaltim turun jadi 19,8 persen',
    summary: 'Penurunan terbesar di Kutai Timur dan Penajam Paser Utara berkat pendampingan keluarga.',
    body: [
      'Dinas Kesehatan mencatat prevalensi stunting Kalimantan Timur turun menjadi 19,8 persen dari 22,9 persen. Target tahun ini 20 persen, sehingga capaiannya melampaui target.',
      'Penurunan terbesar terjadi di Kutai Timur dan Penajam Paser Utara, yang menjalankan pendampingan keluarga berisiko oleh kader dan bidan desa.',
      'Pemeriksaan kehamilan dan pemberian makanan tambahan akan diperluas ke seluruh posyandu tahun depan.',
    ],
    tags: ['stunting', 'kesehatan anak', 'kinerja kaltim'],
  },
  {
    unit: 'biro-adpim', author: EDITOR, rubric: 'regulasi', when: { daysAgo: 13, at: '09:30' },
    title: 'Perda perlindungan nelayan kecil disahkan: asuransi dan akses BBM',
    summary: 'DPRD dan Pemprov Kaltim mengesahkan perda yang menjamin asuransi jiwa bagi nelayan kecil.',
    body: [
      'Peraturan Daerah tentang Perlindungan dan Pemberdayaan Nelayan Kecil disahkan dalam rapat paripurna DPRD Kalimantan Timur.',
      'Tujuannya melindungi nelayan dengan perahu di bawah 10 GT dari risiko kecelakaan dan kenaikan harga bahan bakar. Perda ini dibuat karena sebagian besar nelayan pesisir belum memiliki asuransi jiwa.',
      'Pemerintah provinsi akan membayar premi asuransi nelayan yang terdaftar dan membuka stasiun BBM khusus nelayan di enam pelabuhan perikanan.',
    ],
    tags: ['regulasi', 'Perda', 'nelayan'],
  },
  {
    unit: 'ppu', author: EDITOR, rubric: 'nusantara', when: { daysAgo: 14, at: '11:00' },
    title: 'Penajam Paser Utara siapkan 2.000 tenaga kerja lokal untuk proyek IKN',
    summary: 'Pelatihan kerja gratis bidang konstruksi dan perhotelan dibuka untuk warga PPU.',
    body: [
      'Pemerintah Kabupaten Penajam Paser Utara menyiapkan 2.000 tenaga kerja lokal melalui pelatihan gratis di bidang konstruksi, kelistrikan dan perhotelan.',
      'Pelatihan bekerja sama dengan balai latihan kerja dan perusahaan yang membangun Ibu Kota Nusantara. Peserta yang lulus mendapat sertifikat kompetensi.',
      'Pendaftaran dibuka di kantor kecamatan dan dinas tenaga kerja setempat.',
    ],
    tags: ['IKN', 'tenaga kerja', 'Penajam Paser Utara'],
  },
  {
    unit: 'disdikbud', author: EDITOR, rubric: 'sosok', when: { daysAgo: 15, at: '16:30' },
    title: 'Pak Yusran, guru honorer yang membangun perpustakaan perahu',
    summary: 'Perahunya membawa 600 buku ke kampung-kampung pesisir Kutai Kartanegara setiap akhir pekan.',
    body: [
      'Setiap Sabtu, perahu kayu milik Yusran merapat di dermaga kampung pesisir Muara Badak. Anak-anak berlarian menyambut, bukan untuk ikan, melainkan buku.',
      'Guru honorer itu mengumpulkan 600 buku dari sumbangan alumni dan penerbit. Ia meminjamkannya gratis dan mengajak anak-anak membaca bersama di geladak.',
      'Dinas Pendidikan dan Kebudayaan kini membantu bahan bakar dan buku baru agar perpustakaan perahu menjangkau lebih banyak kampung.',
    ],
    tags: ['pendidikan', 'literasi', 'Kutai Kartanegara'],
  },
  {
    unit: 'diskominfo-smd', author: SMD, rubric: 'seputar-kaltim', when: { daysAgo: 17, at: '10:00' },
    title: 'Layanan adminduk keliling hadir di 10 kecamatan Samarinda',
    summary: 'Warga bisa mengurus KTP elektronik, kartu keluarga dan akta lahir tanpa ke kantor dinas.',
    body: [
      'Mobil layanan administrasi kependudukan keliling akan hadir bergiliran di sepuluh kecamatan di Samarinda selama bulan ini.',
      'Warga dapat merekam KTP elektronik, memperbarui kartu keluarga dan mengurus akta kelahiran. Bawa fotokopi kartu keluarga dan dokumen pendukung.',
      'Jadwal lengkap per kecamatan diumumkan melalui akun resmi Pemkot Samarinda dan kantor kelurahan.',
    ],
    tags: ['layanan publik', 'adminduk', 'Samarinda'],
  },
  {
    unit: 'bappeda', author: EDITOR, rubric: 'kinerja', when: { daysAgo: 18, at: '14:00' },
    title: 'Realisasi APBD Kaltim triwulan III capai 78 persen',
    summary: 'Belanja infrastruktur jalan dan jembatan menjadi yang tertinggi dengan realisasi 84 persen.',
    body: [
      'Pemerintah Provinsi Kalimantan Timur mencatat realisasi anggaran triwulan III sebesar 78 persen dari target 75 persen.',
      'Capaian tertinggi ada pada belanja infrastruktur jalan dan jembatan yang mencapai 84 persen. Belanja pendidikan mencapai 76 persen dan kesehatan 72 persen.',
      'Perangkat daerah dengan realisasi di bawah target diminta menyampaikan rencana percepatan sebelum akhir bulan.',
    ],
    tags: ['APBD', 'kinerja kaltim'],
  },
  {
    unit: 'dinkes', author: DINKES, rubric: 'pengumuman', when: { daysAgo: 20, at: '09:00' },
    title: 'Waspada demam berdarah di musim hujan: lakukan 3M Plus',
    summary: 'Kasus DBD naik di lima kabupaten/kota; warga diminta menguras, menutup dan mendaur ulang.',
    body: [
      'Dinas Kesehatan mencatat kenaikan kasus demam berdarah dengue di lima kabupaten dan kota sejak awal musim hujan.',
      'Warga diminta melakukan 3M Plus: menguras dan menutup tempat penampungan air, mendaur ulang barang bekas, serta memakai lotion antinyamuk.',
      'Segera bawa anggota keluarga ke puskesmas bila demam tinggi lebih dari dua hari disertai bintik merah atau mimisan. Pemeriksaan di puskesmas tidak dipungut biaya bagi peserta JKN.',
    ],
    tags: ['DBD', 'kesehatan', 'musim hujan'],
  },
  {
    unit: 'kutim', author: EDITOR, rubric: 'seputar-kaltim', when: { daysAgo: 22, at: '11:30' },
    title: 'Petani Kutai Timur panen raya jagung di lahan 1.200 hektare',
    summary: 'Produksi diperkirakan 7.000 ton, sebagian dipasok ke industri pakan ternak di Samarinda.',
    body: [
      'Petani di Kecamatan Kaubun dan Karangan, Kutai Timur, memulai panen raya jagung di lahan seluas 1.200 hektare.',
      'Produksi diperkirakan mencapai 7.000 ton. Sebagian hasil panen telah dikontrak industri pakan ternak di Samarinda dengan harga yang disepakati sebelum tanam.',
      'Pemerintah kabupaten membantu pengering jagung agar kadar air memenuhi syarat pembeli.',
    ],
    tags: ['pertanian', 'Kutai Timur', 'jagung'],
  },
  {
    unit: 'diskominfo', author: EDITOR, rubric: 'nusantara', when: { daysAgo: 24, at: '10:00' },
    title: 'Pemerintah pusat tetapkan cuti bersama akhir tahun; layanan publik tetap buka',
    summary: 'Puskesmas, rumah sakit, pemadam kebakaran dan layanan darurat tetap beroperasi seperti biasa.',
    body: [
      'Pemerintah pusat menetapkan cuti bersama aparatur sipil negara pada akhir tahun. Pemerintah Provinsi Kalimantan Timur mengikuti ketetapan tersebut.',
      'Layanan yang menyangkut keselamatan dan kesehatan, seperti rumah sakit, puskesmas rawat inap, pemadam kebakaran dan layanan darurat 112, tetap beroperasi.',
      'Layanan perizinan daring tetap dapat diakses; permohonan diproses pada hari kerja berikutnya.',
    ],
    tags: ['cuti bersama', 'layanan publik', 'narasi tunggal'],
  },
  {
    unit: 'bontang', author: EDITOR, rubric: 'sosok', when: { daysAgo: 26, at: '15:30' },
    title: 'Kelompok ibu-ibu Bontang Kuala olah sampah plastik jadi paving',
    summary: 'Dalam setahun mereka mengolah 14 ton sampah plastik warga kampung atas air.',
    body: [
      'Di kampung atas air Bontang Kuala, sekelompok ibu rumah tangga mengumpulkan sampah plastik dari rumah ke rumah setiap pagi.',
      'Plastik dicacah dan dicetak menjadi paving blok yang kini dipakai di jalan setapak kampung. Dalam setahun mereka mengolah 14 ton sampah plastik.',
      'Pemerintah Kota Bontang memberi mesin cacah kedua dan membeli paving untuk taman kota.',
    ],
    tags: ['lingkungan', 'Bontang', 'sampah plastik'],
  },
  {
    unit: 'paser', author: EDITOR, rubric: 'pengumuman', when: { daysAgo: 28, at: '08:00' },
    title: 'Pasar murah jelang akhir tahun digelar di 10 kecamatan Paser',
    summary: 'Beras, minyak goreng, gula dan telur dijual di bawah harga pasar, maksimal dua paket per KTP.',
    body: [
      'Pemerintah Kabupaten Paser menggelar pasar murah di sepuluh kecamatan menjelang akhir tahun.',
      'Beras, minyak goreng, gula pasir dan telur dijual di bawah harga pasar. Setiap warga dapat membeli maksimal dua paket dengan menunjukkan KTP.',
      'Jadwal dan lokasi diumumkan melalui kantor kecamatan dan radio daerah.',
    ],
    tags: ['pasar murah', 'Paser', 'harga pangan'],
  },
];

/** The wall time in WITA `daysAgo` days before today, or `minutesAgo` before now. */
function publishedAt(now: Date, when: DemoArticle['when']): Date {
  if ('minutesAgo' in when) return new Date(now.getTime() - when.minutesAgo * 60_000);
  const today = utcToZoned(now, TIME_ZONE).slice(0, 10);
  const midnight = zonedToUtc(`${today}T00:00`, TIME_ZONE)!;
  const day = utcToZoned(new Date(midnight.getTime() - when.daysAgo * 86_400_000 + 12 * 3_600_000), TIME_ZONE).slice(0, 10);
  return zonedToUtc(`${day}T${when.at}`, TIME_ZONE)!;
}

export async function seedPortalArticles(db: Kysely<DB>, now = new Date()): Promise<{ articles: number }> {
  const unitNames = new Map(kaltimUnits.map((u) => [u.key, u.name]));
  const units = new Map((await db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  const rubrics = new Map((await db.selectFrom('rubrics').select(['id', 'slug']).execute()).map((r) => [r.slug, r.id]));
  const people = new Map((await db.selectFrom('users').select(['id', 'email']).execute()).map((u) => [u.email, u.id]));
  let written = 0;
  for (const item of demoArticles) {
    const unitId = units.get(unitNames.get(item.unit) ?? '');
    const authorId = people.get(item.author);
    if (!unitId || !authorId) continue;
    if (await db.selectFrom('posts').select('id').where('unit_id', '=', unitId).where('title', '=', item.title).executeTakeFirst()) continue;
    const at = publishedAt(now, item.when);
    const bodyHtml = sanitizeBody(item.body.map((p) => `<p>${p}</p>`).join(''));
    await db.transaction().execute(async (trx) => {
      const post = await trx.insertInto('posts').values({
        unit_id: unitId,
        author_id: authorId,
        rubric_id: rubrics.get(item.rubric) ?? null,
        title: item.title,
        body_html: bodyHtml,
        body_text: htmlToPlainText(bodyHtml),
        summary: item.summary,
        language: 'id',
        tags: item.tags,
        urgent: item.sertaMerta !== undefined,
        serta_merta: item.sertaMerta ? JSON.stringify(item.sertaMerta) : null,
        status: 'published',
        review_round: 1,
        scheduled_at: at,
        submitted_at: new Date(at.getTime() - 2 * 3_600_000),
        approved_at: new Date(at.getTime() - 3_600_000),
        created_at: new Date(at.getTime() - 3 * 3_600_000),
        updated_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      const aggregate = await commitVersion(trx, post.id, authorId, 'create');
      // Written as of its publication time: the article is live from then, as if it had gone out then.
      await syncArticle(trx, aggregate, at);
    });
    written += 1;
  }
  return { articles: written };
}
