// TikTok's error bodies mapped to the engine's kinds, and the privacy choice, from fabricated answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tiktokFailure } from './errors.ts';
import { TikTokHttpError, UnreadableAnswer, namedError } from './http.ts';
import { choosePrivacy, privacyNotice } from './api.ts';
import { captionOf, classifyMedia } from './connector.ts';
import { image } from '../test-support.ts';

const live = new AbortController().signal;
const tiktok = (status: number, code: string, message = 'message', headers: Record<string, string> = {}) =>
  new TikTokHttpError(status, new Headers(headers), { error: { code, message, log_id: '2024' } });

test('the daily post cap is permanent daily_cap; the per-minute limit is a short wait', () => {
  const capped = tiktokFailure(tiktok(403, 'spam_risk_too_many_posts'), 'write', live);
  assert.equal(capped.kind, 'permanent');
  assert.equal(capped.code, 'daily_cap');
  assert.match(capped.reason.id, /harian/);
  const limited = tiktokFailure(tiktok(429, 'rate_limit_exceeded'), 'write', live);
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.retryAfterMs, 60_000, 'TikTok sends no Retry-After; its windows are a minute');
  assert.equal(tiktokFailure(tiktok(429, 'rate_limit_exceeded', 'x', { 'retry-after': '7' }), 'write', live).retryAfterMs, 7_000);
});

test('a 403 from TikTok refuses the post, it is not about credentials; 401 is', () => {
  const unaudited = tiktokFailure(tiktok(403, 'unaudited_client_can_only_post_to_private_accounts'), 'write', live);
  assert.equal(unaudited.kind, 'permanent');
  assert.equal(unaudited.code, 'private_only');
  assert.match(unaudited.reason.id, /privat/);
  assert.equal(tiktokFailure(tiktok(403, 'url_ownership_unverified'), 'write', live).code, 'media_rejected');
  assert.equal(tiktokFailure(tiktok(403, 'spam_risk_user_banned_from_posting'), 'write', live).code, 'account_restricted');
  assert.equal(tiktokFailure(tiktok(403, 'something_new'), 'write', live).kind, 'permanent');
  assert.equal(tiktokFailure(tiktok(401, 'access_token_invalid'), 'write', live).kind, 'auth');
  assert.equal(tiktokFailure(tiktok(401, 'scope_not_authorized'), 'read', live).code, 'scope_missing');
});

test('OAuth answers: a refused refresh token needs reconnecting, even when TikTok answers it with 200', () => {
  const error = new TikTokHttpError(200, new Headers(), { error: 'invalid_grant', error_description: 'Refresh token is invalid or expired.', log_id: 'x' });
  assert.equal(namedError(error.body), 'invalid_grant');
  assert.equal(tiktokFailure(error, 'read', live).kind, 'auth');
  assert.equal(namedError({ data: {}, error: { code: 'ok', message: '' } }), undefined);
});

test('server trouble: 5xx before processing is transient, a gateway after a write is uncertain', () => {
  assert.equal(tiktokFailure(tiktok(500, 'internal_error'), 'write', live).kind, 'transient');
  assert.equal(tiktokFailure(new TikTokHttpError(504, new Headers(), '<html>'), 'write', live).kind, 'uncertain');
  assert.equal(tiktokFailure(new TikTokHttpError(504, new Headers(), '<html>'), 'read', live).kind, 'transient');
  assert.equal(tiktokFailure(new UnreadableAnswer('TikTok', 200, new SyntaxError('x')), 'write', live).kind, 'uncertain');
  assert.equal(tiktokFailure(tiktok(400, 'invalid_params', 'title too long'), 'write', live).code, 'validation_failed');
});

test('privacy: public when offered, else the most public option, and a notice says so', () => {
  assert.equal(choosePrivacy(['SELF_ONLY', 'PUBLIC_TO_EVERYONE', 'FOLLOWER_OF_CREATOR']), 'PUBLIC_TO_EVERYONE');
  assert.equal(choosePrivacy(['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR']), 'FOLLOWER_OF_CREATOR');
  assert.equal(choosePrivacy(['SELF_ONLY']), 'SELF_ONLY');
  assert.throws(() => choosePrivacy([]), /privacy/);
  assert.equal(privacyNotice('PUBLIC_TO_EVERYONE'), undefined);
  assert.match(privacyNotice('SELF_ONLY')!.id, /privat/);
  assert.match(privacyNotice('SELF_ONLY')!.en, /audit/);
});

test('media: one video or up to 35 photos, never mixed, never none', () => {
  const video = { ...image('v'), mime: 'video/mp4' };
  assert.equal(classifyMedia([video]).kind, 'video');
  assert.equal(classifyMedia([image('a'), image('b')]).kind, 'photo');
  assert.throws(() => classifyMedia([]), (e: unknown) => (e as { code?: string }).code === 'media_required');
  assert.throws(() => classifyMedia([video, image('a')]), (e: unknown) => (e as { code?: string }).code === 'media_rejected');
  assert.throws(() => classifyMedia(Array.from({ length: 36 }, () => image('x'))), /35/);
  assert.equal(captionOf({ parts: ['Satu', ' ', 'Dua'] }), 'Satu\n\nDua');
});
