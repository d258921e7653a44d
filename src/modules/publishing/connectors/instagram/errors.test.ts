// Instagram's publishing answers (2207xxx subcodes) mapped to ConnectorError, from fabricated responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphHttpError } from '../graph/client.ts';
import type { GraphErrorBody } from '../graph/client.ts';
import { instagramFailure } from './errors.ts';

const live = new AbortController().signal;
const answer = (body: GraphErrorBody, status = 400) => new GraphHttpError(status, new Headers(), body, JSON.stringify({ error: body }));

test('the 24-hour publishing limit is a permanent daily cap', () => {
  const cap = instagramFailure(answer({ message: 'Application request limit reached', code: 9, error_subcode: 2207042, error_user_msg: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.' }), 'write', live);
  assert.equal(cap.kind, 'permanent');
  assert.equal(cap.code, 'daily_cap');
  assert.match(cap.reason.id, /24 jam/);
});

test('an image Instagram could not fetch, or not JPEG, is refused with what to fix', () => {
  const unfetched = instagramFailure(answer({ message: 'Media download has failed. The media URI doesn\'t meet our requirements.', code: 9004, error_subcode: 2207052 }), 'read', live);
  assert.equal(unfetched.kind, 'permanent');
  assert.equal(unfetched.code, 'media_rejected');
  assert.match(unfetched.reason.id, /tidak bisa mengambil gambar dari alamat publiknya/);
  // The same code without a subcode means the same thing.
  assert.equal(instagramFailure(answer({ message: 'Only photo or video can be accepted as media type.', code: 9004 }), 'read', live).code, 'media_rejected');
  assert.match(instagramFailure(answer({ message: 'The image format is not supported.', code: 36001, error_subcode: 2207005 }), 'read', live).reason.id, /hanya JPEG/);
  assert.equal(instagramFailure(answer({ message: 'The caption was too long.', code: 36004, error_subcode: 2207010 }), 'read', live).code, 'text_too_long');
});

test('Instagram server errors: transient on a container, uncertain on media_publish', () => {
  const body = { message: 'Instagram server error. Try again.', code: -1, error_subcode: 2207001 };
  assert.equal(instagramFailure(answer(body), 'read', live).kind, 'transient');
  assert.equal(instagramFailure(answer(body), 'write', live).kind, 'uncertain');
  // An expired container: a new one next time.
  assert.equal(instagramFailure(answer({ message: 'The media you are trying to access has expired.', code: -2, error_subcode: 2207020 }), 'write', live).kind, 'transient');
});

test('shared rules still apply: an expired token is auth, a throttle is transient', () => {
  assert.equal(instagramFailure(answer({ message: 'Error validating access token', code: 190, error_subcode: 463 }), 'write', live).kind, 'auth');
  assert.equal(instagramFailure(answer({ message: 'Application request limit reached', code: 4 }, 403), 'read', live).code, 'rate_limited');
});
