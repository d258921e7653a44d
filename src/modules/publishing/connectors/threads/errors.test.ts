// Threads answers mapped to ConnectorError, from fabricated responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphHttpError } from '../graph/client.ts';
import type { GraphErrorBody } from '../graph/client.ts';
import { threadsFailure } from './errors.ts';

const live = new AbortController().signal;
const answer = (body: GraphErrorBody, status = 400) => new GraphHttpError(status, new Headers(), body, JSON.stringify({ error: body }));

test('text and link refusals are permanent with Threads\' own limits in the reason', () => {
  const long = threadsFailure(answer({ message: 'The text is too long. Maximum 500 characters.', code: 100 }), 'read', live);
  assert.equal(long.kind, 'permanent');
  assert.equal(long.code, 'text_too_long');
  assert.match(long.reason.id, /500 karakter/);
  const links = threadsFailure(answer({ message: 'Too many links: a post may contain at most 5 links.', code: 100 }), 'read', live);
  assert.equal(links.code, 'too_many_links');
  const media = threadsFailure(answer({ message: 'Media download has failed.', code: 100 }), 'read', live);
  assert.equal(media.code, 'media_rejected');
});

test('tokens, throttles and server faults follow the shared rules', () => {
  assert.equal(threadsFailure(answer({ message: 'Session has expired', code: 190, error_subcode: 463 }), 'write', live).kind, 'auth');
  assert.equal(threadsFailure(answer({ message: 'Application request limit reached', code: 4 }), 'write', live).kind, 'transient');
  assert.equal(threadsFailure(answer({ message: 'Service temporarily unavailable', code: 2 }, 503), 'write', live).kind, 'transient');
});

test('the 24-hour publishing limit (code 9, subcode 2207042) is a permanent daily cap', () => {
  const cap = threadsFailure(answer({ message: 'Application request limit reached', code: 9, error_subcode: 2207042, error_user_msg: 'You reached the maximum number of posts (250) that can be published through the API in 24 hours.' }), 'write', live);
  assert.equal(cap.kind, 'permanent');
  assert.equal(cap.code, 'daily_cap');
  assert.match(cap.reason.id, /250 postingan/);
});
