/**
 * Every error Siar shows to a person or an API client: a stable code, an HTTP status and a message in
 * Indonesian and English. Handlers throw `AppError`s; the HTTP layer turns them into
 * `{ error: { code, message, details } }`. Code never matches on message text.
 */
export type Locale = 'id' | 'en';

interface ErrorSpec {
  status: number;
  id: string;
  en: string;
}

export const errorCatalog = {
  'validation.invalid': { status: 400, id: 'Data yang dikirim tidak valid.', en: 'The request data is invalid.' },
  'request.malformed_json': { status: 400, id: 'Isi permintaan bukan JSON yang benar.', en: 'The request body is not valid JSON.' },
  'request.unsupported_media_type': { status: 415, id: 'Jenis isi permintaan tidak didukung.', en: 'Unsupported request content type.' },
  'request.body_too_large': { status: 413, id: 'Isi permintaan terlalu besar.', en: 'The request body is too large.' },
  'request.bad': { status: 400, id: 'Permintaan tidak dapat diproses.', en: 'The request could not be processed.' },
  'route.not_found': { status: 404, id: 'Alamat tidak ditemukan.', en: 'No such route.' },
  'method.not_allowed': { status: 405, id: 'Metode tidak diizinkan.', en: 'Method not allowed.' },
  not_found: { status: 404, id: 'Data tidak ditemukan.', en: 'Not found.' },
  forbidden: { status: 403, id: 'Anda tidak berwenang melakukan ini.', en: 'You are not allowed to do this.' },
  conflict: { status: 409, id: 'Data bertabrakan dengan data lain.', en: 'Conflicts with existing data.' },
  'auth.required': { status: 401, id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' },
  'auth.invalid_credentials': { status: 401, id: 'Email atau kata sandi salah.', en: 'Wrong email or password.' },
  'auth.invalid_token': { status: 401, id: 'Token API tidak valid atau sudah kedaluwarsa.', en: 'The API token is invalid or expired.' },
  'auth.locked': { status: 429, id: 'Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.', en: 'Too many failed login attempts. Try again in {minutes} minutes.' },
  'auth.user_disabled': { status: 403, id: 'Akun ini dinonaktifkan. Hubungi admin unit Anda.', en: 'This account is disabled. Contact your unit administrator.' },
  'auth.totp_required': { status: 401, id: 'Masukkan kode 6 angka dari aplikasi autentikator.', en: 'Enter the 6-digit code from your authenticator app.' },
  'auth.totp_invalid': { status: 401, id: 'Kode autentikator salah atau kedaluwarsa.', en: 'The authenticator code is wrong or expired.' },
  'auth.totp_not_started': { status: 400, id: 'Mulai penyiapan verifikasi dua langkah terlebih dahulu.', en: 'Start the two-factor setup first.' },
  'auth.totp_setup_required': { status: 403, id: 'Unit Anda mewajibkan verifikasi dua langkah. Aktifkan terlebih dahulu.', en: 'Your unit requires two-factor authentication. Set it up first.' },
  'auth.weak_password': { status: 400, id: 'Kata sandi terlalu lemah.', en: 'The password is too weak.' },
  'auth.password_change_required': { status: 403, id: 'Ganti kata sandi sementara Anda terlebih dahulu.', en: 'Change your temporary password first.' },
  'auth.csrf': { status: 403, id: 'Token keamanan (CSRF) tidak ada atau salah. Muat ulang halaman.', en: 'Missing or wrong security (CSRF) token. Reload the page.' },
  'user.email_taken': { status: 409, id: 'Email ini sudah dipakai pengguna lain.', en: 'This email is already used by another user.' },
  'user.last_admin': { status: 409, id: 'Tidak bisa: ini admin terakhir unit teratas.', en: 'Not possible: this is the last administrator of the top unit.' },
  'unit.invalid_parent': { status: 400, id: 'Unit induk tidak cocok untuk jenis unit ini.', en: 'The parent unit does not fit this kind of unit.' },
  'unit.slug_taken': { status: 409, id: 'Nama unit ini sudah dipakai.', en: 'A unit with this name already exists.' },
  'backup.not_empty': { status: 409, id: 'Basis data tujuan tidak kosong.', en: 'The target database is not empty.' },
  'backup.invalid_file': { status: 400, id: 'Berkas cadangan tidak valid.', en: 'Invalid backup file.' },
  // posts, approvals, calendar
  'post.illegal_transition': { status: 409, id: 'Tindakan "{action}" tidak bisa dilakukan pada status "{status}". Yang bisa: {allowed}.', en: 'Action "{action}" is not possible while the post is "{status}". Possible: {allowed}.' },
  'post.version_conflict': { status: 409, id: 'Postingan ini sudah diubah orang lain (versi {current}). Bandingkan dengan versi terbaru sebelum menyimpan; isian Anda tidak hilang.', en: 'Someone else changed this post (version {current}). Compare with the newest version before saving; your input is kept.' },
  'post.rules_failed': { status: 422, id: 'Postingan belum memenuhi aturan jaringan: {count} masalah harus diperbaiki.', en: 'The post breaks network rules: {count} problems must be fixed.' },
  'post.needs_second_look': { status: 422, id: 'Ada kata yang perlu ditinjau ulang (SARA, ujaran kebencian, atau klaim belum terverifikasi). Periksa lalu tandai sudah ditinjau.', en: 'Some wording needs a second look (SARA, hate speech or unverified claims). Check it and mark it reviewed.' },
  'publish.network_failed': { status: 502, id: 'Jaringan tidak menjalankan permintaan ini: {reason}', en: 'The network did not carry out this request: {reasonEn}' },
  'post.self_approval': { status: 403, id: 'Anda tidak bisa menyetujui postingan Anda sendiri.', en: 'You cannot approve your own post.' },
  'post.not_your_tier': { status: 403, id: 'Tahap persetujuan ini bukan wewenang Anda.', en: 'This approval tier is not yours to decide.' },
  'post.already_decided': { status: 409, id: 'Anda sudah menyetujui putaran ini; tahap berikutnya perlu penyetuju lain.', en: 'You already approved this round; the next tier needs another approver.' },
  'post.schedule_in_past': { status: 400, id: 'Waktu tayang harus di masa depan.', en: 'The publishing time must be in the future.' },
  'post.schedule_missing': { status: 400, id: 'Tentukan waktu tayang terlebih dahulu.', en: 'Choose a publishing time first.' },
  'post.no_networks': { status: 400, id: 'Pilih minimal satu jaringan atau akun tujuan.', en: 'Choose at least one network or account.' },
  'post.serta_merta_incomplete': { status: 400, id: 'Informasi serta-merta wajib berisi: apa yang terjadi, wilayah, apa yang harus dilakukan warga, tempat bantuan, dan kontak.', en: 'Urgent (serta-merta) information must state what happened, which areas, what people should do, where to get help, and a contact.' },
  'post.direct_publish_not_allowed': { status: 403, id: 'Peran Anda tidak ditunjuk untuk menayangkan serta-merta tanpa persetujuan.', en: 'Your role is not designated to publish urgent information without approval.' },
  'portal.no_live_article': { status: 409, id: 'Postingan ini tidak punya artikel yang sedang tayang di portal (belum tayang, atau sudah ditarik).', en: 'This post has no live article on the portal (not live yet, or already withdrawn).' },
  // regulations (regulasi)
  'regulation.explanation_incomplete': { status: 422, id: 'Postingan ini terkait {regulation} yang penjelasannya belum lengkap: {fields} wajib diisi sebelum diajukan.', en: 'This post is linked to {regulation}, whose explanation is incomplete: {fieldsEn} must be filled before submitting.' },
  'regulation.explanation_missing': { status: 422, id: 'Penjelasan {regulation} belum lengkap: {fields} wajib diisi sebelum dijelaskan ke publik.', en: 'The explanation of {regulation} is incomplete: {fieldsEn} must be filled before it is explained to the public.' },
  'regulation.version_conflict': { status: 409, id: 'Regulasi ini sudah diubah orang lain (versi {current}). Muat versi terbaru sebelum menyimpan; isian Anda tidak hilang.', en: 'Someone else changed this regulation (version {current}). Load the newest version before saving; your input is kept.' },
  'regulation.duplicate': { status: 409, id: '{regulation} sudah dicatat oleh {unit}. Tautkan postingan ke catatan itu, tidak perlu membuat baru.', en: '{regulation} is already recorded by {unit}. Link posts to that record instead of creating a new one.' },
  // media
  'media.empty': { status: 400, id: 'Berkas yang dikirim kosong (0 byte). Pilih berkas foto atau video lalu unggah lagi.', en: 'The uploaded file is empty (0 bytes). Choose a photo or video file and upload it again.' },
  'media.unsupported_type': { status: 415, id: 'Jenis berkas ini tidak diterima. Unggah foto JPEG, PNG, WebP, AVIF atau HEIC, GIF, atau video MP4, MOV atau WebM. Foto HEIC dari iPhone yang ditolak bisa disimpan ulang sebagai JPEG.', en: 'This file type is not accepted. Upload a JPEG, PNG, WebP, AVIF or HEIC photo, a GIF, or an MP4, MOV or WebM video. An iPhone HEIC photo that is refused can be saved again as JPEG.' },
  'media.too_large': { status: 413, id: 'Berkas terlalu besar. Batas ukuran: foto {image}, GIF {gif}, video {video}. Perkecil atau potong berkasnya lalu unggah lagi.', en: 'The file is too large. Size limits: photo {image}, GIF {gif}, video {video}. Make it smaller or shorter and upload it again.' },
  'media.corrupt': { status: 400, id: 'Berkas rusak atau tidak lengkap sehingga tidak bisa dibuka. Periksa apakah berkas bisa dibuka di perangkat Anda, simpan ulang, lalu unggah lagi.', en: 'The file is damaged or incomplete and cannot be opened. Check that it opens on your device, save it again and upload it again.' },
  'media.in_use': { status: 409, id: 'Media ini masih dipakai di postingan. Lepaskan dari postingan tersebut terlebih dahulu, lalu hapus.', en: 'This media is still used in a post. Remove it from that post first, then delete it.' },
  'media.missing_file': { status: 400, id: 'Tidak ada berkas yang dikirim. Pilih satu berkas foto atau video di kolom "file".', en: 'No file was sent. Choose one photo or video file in the "file" field.' },
  // kinerja
  'kinerja.missing_file': { status: 400, id: 'Tidak ada berkas yang dikirim. Pilih berkas CSV atau XLSX di kolom "file".', en: 'No file was sent. Choose a CSV or XLSX file in the "file" field.' },
  'kinerja.file_too_large': { status: 413, id: 'Berkas terlalu besar: batasnya {limit} MB. Pisahkan per tahun atau per unit, lalu unggah lagi.', en: 'The file is too large: the limit is {limit} MB. Split it by year or by unit and upload again.' },
  'kinerja.unsupported_file': { status: 415, id: 'Berkas ini bukan CSV atau XLSX. Berkas Excel lama (.xls) bisa disimpan ulang sebagai .xlsx atau CSV.', en: 'This file is not CSV or XLSX. An old Excel file (.xls) can be saved again as .xlsx or CSV.' },
  'kinerja.unreadable_file': { status: 400, id: 'Berkas tidak bisa dibaca sebagai tabel: {reason}. Buka di Excel, simpan ulang, lalu unggah lagi.', en: 'The file cannot be read as a table: {reasonEn}. Open it in Excel, save it again and upload it again.' },
  'kinerja.no_header': { status: 422, id: 'Baris judul kolom tidak ditemukan di 20 baris pertama. Pastikan ada kolom seperti "Sasaran", "Indikator", "Target", "Realisasi".', en: 'No header row found in the first 20 rows. Make sure there are columns such as "Sasaran", "Indikator", "Target", "Realisasi".' },
  'kinerja.mapping_incomplete': { status: 422, id: 'Pemetaan kolom belum lengkap: {fields}.', en: 'The column mapping is incomplete: {fieldsEn}.' },
  'kinerja.import_invalid': { status: 422, id: 'Impor dibatalkan: ada {count} kesalahan pada baris data. Tidak ada data yang disimpan; perbaiki berkas atau pemetaan lalu coba lagi.', en: 'Import stopped: {count} errors in the data rows. Nothing was saved; fix the file or the mapping and try again.' },
  'kinerja.import_applied': { status: 409, id: 'Impor ini sudah diterapkan. Unggah berkasnya lagi untuk impor baru.', en: 'This import was already applied. Upload the file again for a new import.' },
  'kinerja.version_conflict': { status: 409, id: 'Data ini sudah diubah orang lain (versi {current}). Muat ulang untuk melihat nilai terbaru; isian Anda tidak hilang.', en: 'Someone else changed this (version {current}). Reload to see the newest values; your input is kept.' },
  'rate_limited': { status: 429, id: 'Terlalu banyak permintaan. Coba lagi sebentar lagi.', en: 'Too many requests. Try again shortly.' },
  internal: { status: 500, id: 'Terjadi kesalahan pada server. Kami sudah mencatatnya.', en: 'Something went wrong on the server. It has been logged.' },
  unavailable: { status: 503, id: 'Layanan belum siap.', en: 'The service is not ready.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly params: Record<string, string | number>;

  constructor(code: ErrorCode, options: { details?: Record<string, unknown>; params?: Record<string, string | number>; cause?: unknown } = {}) {
    super(`${code}: ${errorCatalog[code].en}`, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.details = options.details;
    this.params = options.params ?? {};
  }

  localized(locale: Locale): string {
    return errorMessage(this.code, locale, this.params);
  }
}

export function errorMessage(code: ErrorCode, locale: Locale, params: Record<string, string | number> = {}): string {
  const template: string = errorCatalog[code][locale];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function notFound(): AppError {
  return new AppError('not_found');
}

export function forbidden(): AppError {
  return new AppError('forbidden');
}

/** A field-level validation error in the same shape as schema failures. */
export function invalidField(path: string, message: string): AppError {
  return new AppError('validation.invalid', { details: { issues: [{ path, message }] } });
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export function errorBody(error: AppError, locale: Locale): ErrorBody {
  return { error: { code: error.code, message: error.localized(locale), ...(error.details ? { details: error.details } : {}) } };
}
