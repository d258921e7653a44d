/**
 * Waiting for a Meta media container (Instagram, Threads) to be ready: the network fetches and
 * processes the media after the container is created, and `…_publish` only works once the
 * container says FINISHED. ERROR and EXPIRED are final; a container still IN_PROGRESS when our
 * patience ends is retried later with a new container (an unpublished container is invisible and
 * expires by itself after 24 hours).
 */
import { ConnectorError } from '../../connector.ts';
import { pause } from '../failure.ts';

export interface ContainerStatus {
  /** IN_PROGRESS, FINISHED, ERROR, EXPIRED or PUBLISHED. */
  status: string | undefined;
  /** What the network said about an error (Instagram's `status`, Threads' `error_message`). */
  detail: string | undefined;
}

export interface WaitForContainerOptions {
  network: string;
  read: () => Promise<ContainerStatus>;
  pollMs: number;
  timeoutMs: number;
  signal: AbortSignal;
  now?: () => number;
}

export async function waitForContainer(options: WaitForContainerOptions): Promise<'FINISHED' | 'PUBLISHED'> {
  const now = options.now ?? Date.now;
  const name = options.network;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const { status, detail } = await options.read();
    const said = detail ? ` ${name}: "${detail.slice(0, 200)}"` : '';
    switch (status) {
      case 'FINISHED':
      case 'PUBLISHED':
        return status;
      case 'ERROR':
        throw new ConnectorError('permanent', 'media_rejected', {
          id: `${name} gagal memproses media postingan ini (gambar tidak bisa diambil dari alamat publiknya, formatnya tidak diterima, atau ukurannya terlalu besar).${said}`,
          en: `${name} could not process this post's media (the image could not be fetched from its public address, its format is not accepted, or it is too large).${said}`,
        });
      case 'EXPIRED':
        throw new ConnectorError('permanent', 'container_expired', {
          id: `Wadah media ${name} kedaluwarsa sebelum diterbitkan (lebih dari 24 jam). Kirim ulang postingan ini.${said}`,
          en: `${name}'s media container expired before it was published (over 24 hours). Send this post again.${said}`,
        });
      default:
        break;
    }
    if (now() >= deadline) {
      throw new ConnectorError('transient', 'media_processing_timeout', {
        id: `${name} belum selesai memproses media; akan dicoba lagi.`,
        en: `${name} has not finished processing the media; will try again.`,
      });
    }
    await pause(options.pollMs, options.signal);
  }
}
