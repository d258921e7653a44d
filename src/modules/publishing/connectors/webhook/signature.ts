/**
 * How Siar signs what it sends to a webhook, and how a receiver checks it: HMAC-SHA256 of
 * `<timestamp>.<raw body>` with the channel's secret, sent as
 *
 *   X-Siar-Timestamp: 1795840000
 *   X-Siar-Signature: sha256=<hex>
 *
 * The timestamp is part of what is signed, so a receiver can refuse old deliveries (replays); the
 * comparison is constant-time. `verifyWebhook` is what a receiver in Node would run; it is also
 * what the tests use to receive.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-siar-signature';
export const TIMESTAMP_HEADER = 'x-siar-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when the signature is the secret's over this body and the timestamp is within `toleranceSeconds` of now. */
export function verifyWebhook(options: { secret: string; body: string; signature: string | undefined; timestamp: string | undefined; now?: number; toleranceSeconds?: number }): boolean {
  const timestamp = Number(options.timestamp);
  if (!options.signature || !Number.isInteger(timestamp)) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(options.secret, timestamp, options.body));
  const given = Buffer.from(options.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
