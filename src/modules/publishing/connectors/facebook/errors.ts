/**
 * Facebook Pages answers mapped to ConnectorError: the shared Graph rules (graph/errors.ts) plus
 * the few codes only the Pages API gives (link and photo refusals).
 */
import { ConnectorError } from '../../connector.ts';
import type { Exchange } from '../failure.ts';
import type { GraphHttpError } from '../graph/client.ts';
import { graphFailure } from '../graph/errors.ts';
import type { GraphNetwork } from '../graph/errors.ts';

const NAME = 'Facebook';

function classify(error: GraphHttpError): ConnectorError | undefined {
  const options = { status: error.status, cause: error };
  const said = error.said.slice(0, 200);
  // 368/1390008 "misusing this feature by going too fast": Facebook's undocumented posting cap. It
  // lifts after hours, not minutes; other 368s (policy blocks) keep the shared wording.
  if (error.code === 368 && error.subcode === 1390008) {
    return new ConnectorError('permanent', 'daily_cap', {
      id: `Facebook untuk sementara menghentikan kiriman dari Halaman ini karena terlalu banyak postingan dalam waktu singkat. Tunggu beberapa jam, lalu kirim ulang. Facebook: "${said}"`,
      en: `Facebook has paused posting from this Page for a while because of too many posts in a short time. Wait a few hours, then send again. Facebook: "${said}"`,
    }, options);
  }
  // 1609005: "Error posting link" — Facebook could not read or refused the linked page.
  if (error.code === 1609005) {
    return new ConnectorError('permanent', 'link_rejected', {
      id: `Facebook menolak tautan di postingan ini (halaman tautan tidak bisa dibaca atau diblokir Facebook). Facebook: "${said}"`,
      en: `Facebook refused the link in this post (the linked page could not be read or is blocked by Facebook). Facebook: "${said}"`,
    }, options);
  }
  // 324: missing or invalid image file; 1366046: the photo upload failed processing.
  if (error.code === 324 || error.subcode === 1366046 || error.code === 100 && /photo|image|source|file/i.test(error.said)) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `Facebook menolak foto (format atau ukurannya tidak diterima). Facebook: "${said}"`,
      en: `Facebook refused the photo (format or size not accepted). Facebook: "${said}"`,
    }, options);
  }
  if (error.code === 100 && /too long|maximum length|exceeds/i.test(error.said)) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'Facebook menolak teks: terlalu panjang (maks. 63.206 karakter).',
      en: 'Facebook refused the text: too long (up to 63,206 characters).',
    }, options);
  }
  return undefined;
}

export const FACEBOOK: GraphNetwork = {
  name: NAME,
  authReason: {
    id: 'Facebook menolak token Halaman ini (kedaluwarsa, kata sandi admin diganti, izin dicabut, atau admin dikeluarkan dari Halaman). Sambungkan ulang kanal.',
    en: 'Facebook refused this Page token (expired, the admin changed their password, permission was revoked, or the admin left the Page). Reconnect the channel.',
  },
  classify,
};

export function facebookFailure(error: unknown, exchange: Exchange, signal: AbortSignal, network: GraphNetwork = FACEBOOK): ConnectorError {
  return graphFailure(error, exchange, signal, network);
}
