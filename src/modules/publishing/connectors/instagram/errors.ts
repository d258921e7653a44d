/**
 * Instagram answers mapped to ConnectorError: Instagram's publishing errors carry a subcode in
 * the 2207xxx range (Instagram Platform "Error Codes" reference) that says far more than the code;
 * everything else follows the shared Graph rules (graph/errors.ts).
 */
import { ConnectorError } from '../../connector.ts';
import type { Exchange } from '../failure.ts';
import type { GraphHttpError } from '../graph/client.ts';
import { graphFailure } from '../graph/errors.ts';
import type { GraphNetwork } from '../graph/errors.ts';

const NAME = 'Instagram';

export const DAILY_CAP_REASON = {
  id: 'Instagram menolak: batas kiriman lewat API untuk 24 jam terakhir sudah tercapai. Kuota ini bergulir; kirim ulang setelah kiriman tertua keluar dari jendela 24 jam.',
  en: 'Instagram refused: the limit of API posts for the last 24 hours is reached. The quota rolls; send again once the oldest post leaves the 24-hour window.',
};

function classify(error: GraphHttpError, exchange: Exchange): ConnectorError | undefined {
  const options = { status: error.status, cause: error };
  const said = error.said.slice(0, 200);
  const mediaRefused = (id: string, en: string, code = 'media_rejected') => new ConnectorError('permanent', code, {
    id: `${id} Instagram: "${said}"`,
    en: `${en} Instagram: "${said}"`,
  }, options);
  // 9004 without a subcode is the same "media could not be fetched" as 2207052.
  const subcode = error.subcode ?? (error.code === 9004 ? 2207052 : undefined);
  switch (subcode) {
    case 2207042:
      return new ConnectorError('permanent', 'daily_cap', DAILY_CAP_REASON, options);
    case 2207052:
      return mediaRefused(
        'Instagram tidak bisa mengambil gambar dari alamat publiknya. Pastikan alamat media Siar bisa dibuka dari internet (HTTPS, tanpa login).',
        'Instagram could not fetch the image from its public address. Make sure Siar\'s media address is reachable from the internet (HTTPS, no login).',
      );
    case 2207005:
    case 2207023:
      return mediaRefused('Instagram menolak format gambar: hanya JPEG yang diterima.', 'Instagram refused the image format: only JPEG is accepted.');
    case 2207004:
      return mediaRefused('Instagram menolak gambar: ukurannya lebih dari 8 MB.', 'Instagram refused the image: it is larger than 8 MB.');
    case 2207009:
      return mediaRefused('Instagram menolak rasio gambar: harus antara 4:5 (tegak) dan 1,91:1 (melebar).', 'Instagram refused the image ratio: it must be between 4:5 (portrait) and 1.91:1 (landscape).');
    case 2207026:
      return mediaRefused('Instagram menolak format video ini.', 'Instagram refused this video format.');
    case 2207010:
      return new ConnectorError('permanent', 'text_too_long', {
        id: 'Instagram menolak keterangan: terlalu panjang (maks. 2.200 karakter, 30 tagar, 20 sebutan akun).',
        en: 'Instagram refused the caption: too long (up to 2,200 characters, 30 hashtags, 20 mentions).',
      }, options);
    case 2207051:
      return new ConnectorError('permanent', 'restricted', {
        id: `Instagram membatasi tindakan ini karena dianggap spam. Bila ini keliru, laporkan lewat aplikasi Instagram, lalu kirim ulang. Instagram: "${said}"`,
        en: `Instagram restricted this action as suspected spam. If that is a mistake, report it in the Instagram app, then send again. Instagram: "${said}"`,
      }, options);
    case 2207050:
      return new ConnectorError('permanent', 'account_restricted', {
        id: 'Instagram menolak: akun ini tidak aktif atau dibatasi. Buka aplikasi Instagram untuk melihat pemberitahuannya.',
        en: 'Instagram refused: this account is inactive or restricted. Open the Instagram app to see its notice.',
      }, options);
    case 2207001:
      // "Instagram server error. Try again." On media_publish the post may have gone out anyway.
      return new ConnectorError(exchange === 'write' ? 'uncertain' : 'transient', 'server_error', exchange === 'write' ? {
        id: 'Server Instagram gagal saat menerbitkan; postingan mungkin sudah terbit.',
        en: 'Instagram\'s server failed while publishing; the post may have gone out.',
      } : {
        id: 'Server Instagram sedang bermasalah; akan dicoba lagi.',
        en: 'Instagram\'s server is having trouble; will try again.',
      }, options);
    case 2207003:
    case 2207020:
    case 2207027:
    case 2207032:
    case 2207053:
    case 2207006:
    case 2207008:
      // A download that timed out, an expired or missing container, one not ready yet: a new container later.
      return new ConnectorError('transient', 'media_not_ready', {
        id: `Instagram belum bisa memakai media ini sekarang; akan dicoba lagi dengan wadah baru. Instagram: "${said}"`,
        en: `Instagram cannot use this media right now; will try again with a new container. Instagram: "${said}"`,
      }, options);
    default:
      break;
  }
  // Code 9 without a known subcode is the same publishing limit.
  if (error.code === 9) return new ConnectorError('permanent', 'daily_cap', DAILY_CAP_REASON, options);
  return undefined;
}

export const INSTAGRAM: GraphNetwork = {
  name: NAME,
  authReason: {
    id: 'Instagram menolak token akses akun ini (kedaluwarsa setelah 60 hari, kata sandi diganti, atau izin Siar dicabut). Sambungkan ulang kanal.',
    en: 'Instagram refused this account\'s access token (expired after 60 days, password changed, or Siar\'s access revoked). Reconnect the channel.',
  },
  classify,
};

export function instagramFailure(error: unknown, exchange: Exchange, signal: AbortSignal, network: GraphNetwork = INSTAGRAM): ConnectorError {
  return graphFailure(error, exchange, signal, network);
}
