/**
 * A post that stopped halfway: the first part (or the post itself) is on the network, a later
 * part (a thread reply, the first comment) was refused for good. Reported as permanent, naming
 * what did go out, so that nobody re-sends the whole thing and doubles the first part. Transient
 * and uncertain failures halfway are not wrapped: the engine tries again, and `publish` continues
 * from the parts it finds on the account.
 */
import { ConnectorError } from '../../connector.ts';
import type { PublishedPart } from '../../connector.ts';

export class PartialPublishError extends ConnectorError {
  readonly published: PublishedPart[];

  constructor(network: string, published: PublishedPart[], total: number, failure: ConnectorError, what: 'thread' | 'first_comment') {
    const where = published[0]?.url ? ` (${published[0].url})` : '';
    super('permanent', what === 'thread' ? 'thread_incomplete' : 'first_comment_failed', what === 'thread' ? {
      id: `Utas ${network} berhenti di tengah: ${published.length} dari ${total} bagian sudah terbit${where}. Kirim sisanya secara manual. Penyebab: ${failure.reason.id}`,
      en: `The ${network} thread stopped halfway: ${published.length} of ${total} parts are published${where}. Send the rest by hand. Cause: ${failure.reason.en}`,
    } : {
      id: `Postingan ${network} sudah terbit${where}, tetapi komentar pertamanya ditolak. Tambahkan komentar itu secara manual. Penyebab: ${failure.reason.id}`,
      en: `The ${network} post is published${where}, but its first comment was refused. Add that comment by hand. Cause: ${failure.reason.en}`,
    }, { status: failure.status, cause: failure });
    this.published = published;
  }
}

/** Rethrows a failure halfway: permanent ones become a PartialPublishError, the rest stay as they are. */
export function halfway(network: string, published: PublishedPart[], total: number, error: unknown, what: 'thread' | 'first_comment'): unknown {
  if (published.length === 0 || !(error instanceof ConnectorError) || error.kind !== 'permanent') return error;
  return new PartialPublishError(network, published, total, error, what);
}
