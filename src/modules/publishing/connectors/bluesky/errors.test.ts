// Bluesky XRPC answers mapped to ConnectorError, from fabricated errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XRPCError } from '@atproto/api';
import { blueskyFailure } from './errors.ts';

const live = new AbortController().signal;

test('429: an hourly window waits, a daily window is a permanent cap', () => {
  const hourly = blueskyFailure(new XRPCError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', { 'ratelimit-policy': '5000;w=3600', 'retry-after': '30' }), 'write', live);
  assert.equal(hourly.kind, 'transient');
  assert.equal(hourly.retryAfterMs, 30_000);
  const daily = blueskyFailure(new XRPCError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', { 'ratelimit-policy': '35000;w=86400', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 600) }), 'write', live);
  assert.equal(daily.kind, 'permanent');
  assert.equal(daily.code, 'daily_cap');
});

test('expired and invalid tokens are auth; validation is permanent with a plain reason', () => {
  assert.equal(blueskyFailure(new XRPCError(400, 'ExpiredToken', 'Token has expired'), 'write', live).kind, 'auth');
  assert.equal(blueskyFailure(new XRPCError(401, 'AuthenticationRequired', 'Invalid identifier or password'), 'read', live).kind, 'auth');
  const long = blueskyFailure(new XRPCError(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes'), 'write', live);
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');
  assert.equal(blueskyFailure(new XRPCError(400, 'BlobTooLarge', 'This file is too large'), 'write', live).code, 'media_rejected');
});

test('server faults, gateways and lost connections', () => {
  assert.equal(blueskyFailure(new XRPCError(500, 'InternalServerError'), 'write', live).kind, 'transient');
  assert.equal(blueskyFailure(new XRPCError(502, 'UpstreamFailure'), 'write', live).kind, 'uncertain');
  const refused = XRPCError.from(new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }));
  assert.equal(blueskyFailure(refused, 'write', live).kind, 'transient');
  const reset = XRPCError.from(new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }));
  assert.equal(blueskyFailure(reset, 'write', live).kind, 'uncertain');
});
