/**
 * Shared by the connector tests: a publish request for a sandbox account, a tiny image, and
 * `failureOf` to read the ConnectorError a call throws.
 */
import assert from 'node:assert/strict';
import { ConnectorError } from '../connector.ts';
import type { ConnectorChannel, OutgoingMedia, PublishRequest } from '../connector.ts';
import type { Network } from '../../networks/limits.ts';

export interface AccountLike {
  handle: string;
  baseUrl: string;
  credentials: Record<string, string>;
  externalAccountId: string;
}

/** A 1×1 JPEG header followed by padding: enough for a network to sniff it as an image. */
export const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]);

export function image(alt: string, bytes: Buffer = jpeg): OutgoingMedia {
  return { url: 'https://portal.example/foto.jpg', read: async () => bytes, mime: 'image/jpeg', alt, width: 1200, height: 800 };
}

export function channelFor(network: Network, account: AccountLike): ConnectorChannel {
  return { id: `ch-${account.handle}`, network, handle: account.handle, externalAccountId: account.externalAccountId, baseUrl: account.baseUrl };
}

let counter = 0;
export function uniqueTargetId(): string {
  counter += 1;
  return `target-${process.pid}-${Date.now()}-${counter}`;
}

export function requestFor(network: Network, account: AccountLike, overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    channel: channelFor(network, account),
    credentials: { ...account.credentials },
    targetId: uniqueTargetId(),
    attempt: 1,
    parts: ['Halo dari Siar.'],
    title: null,
    media: [],
    firstComment: null,
    firstAttemptAt: new Date(),
    signal: new AbortController().signal,
    ...overrides,
  };
}

export async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConnectorError, `expected a ConnectorError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
