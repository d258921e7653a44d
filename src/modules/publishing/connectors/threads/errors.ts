/**
 * Threads answers mapped to ConnectorError: the shared Graph rules (graph/errors.ts) plus the
 * refusals Threads words in its message (text over 500, more than 5 links, media it cannot use).
 */
import { ConnectorError } from '../../connector.ts';
import type { Exchange } from '../failure.ts';
import type { GraphHttpError } from '../graph/client.ts';
import { graphFailure, isPermissionCode } from '../graph/errors.ts';
import type { GraphNetwork } from '../graph/errors.ts';

const NAME = 'Threads';

function classify(error: GraphHttpError): ConnectorError | undefined {
  if (error.status >= 500 || isPermissionCode(error.code) || error.code === 190) return undefined;
  const options = { status: error.status, cause: error };
  // The same code and subcode as Instagram's: the 24-hour publishing limit (250 posts, 1,000 replies).
  if (error.code === 9 || error.subcode === 2207042) {
    return new ConnectorError('permanent', 'daily_cap', {
      id: `Threads menolak: batas kiriman lewat API untuk 24 jam terakhir sudah tercapai (250 postingan dan 1.000 balasan). Kuota ini bergulir; kirim ulang setelah kiriman tertua keluar dari jendela 24 jam. Threads: "${error.said.slice(0, 200)}"`,
      en: `Threads refused: the limit of API posts for the last 24 hours is reached (250 posts and 1,000 replies). The quota rolls; send again once the oldest post leaves the 24-hour window. Threads: "${error.said.slice(0, 200)}"`,
    }, options);
  }
  const said = error.said;
  if (/too long|500 char|text length|exceeds? (the )?(maximum|limit)/i.test(said)) {
    return new ConnectorError('permanent', 'text_too_long', {
      id: 'Threads menolak teks: terlalu panjang (maks. 500 karakter per bagian; emoji dihitung lebih dari satu).',
      en: 'Threads refused the text: too long (up to 500 characters per part; emoji count as more than one).',
    }, options);
  }
  if (/link/i.test(said) && /many|limit|maximum|5/i.test(said)) {
    return new ConnectorError('permanent', 'too_many_links', {
      id: 'Threads menolak: satu bagian berisi lebih dari 5 tautan.',
      en: 'Threads refused: one part contains more than 5 links.',
    }, options);
  }
  if (/image|media|video|download|format|aspect/i.test(said) && error.code !== 4 && error.code !== 17) {
    return new ConnectorError('permanent', 'media_rejected', {
      id: `Threads menolak media (tidak bisa diambil dari alamat publiknya, atau format/ukurannya tidak diterima). Threads: "${said.slice(0, 200)}"`,
      en: `Threads refused the media (it could not be fetched from its public address, or its format/size is not accepted). Threads: "${said.slice(0, 200)}"`,
    }, options);
  }
  return undefined;
}

export const THREADS: GraphNetwork = {
  name: NAME,
  authReason: {
    id: 'Threads menolak token akses akun ini (kedaluwarsa setelah 60 hari, kata sandi diganti, atau izin Siar dicabut). Sambungkan ulang kanal.',
    en: 'Threads refused this account\'s access token (expired after 60 days, password changed, or Siar\'s access revoked). Reconnect the channel.',
  },
  classify,
};

export function threadsFailure(error: unknown, exchange: Exchange, signal: AbortSignal, network: GraphNetwork = THREADS): ConnectorError {
  return graphFailure(error, exchange, signal, network);
}
