// Facebook Pages answers mapped to ConnectorError, from fabricated responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphHttpError } from '../graph/client.ts';
import type { GraphErrorBody } from '../graph/client.ts';
import { facebookFailure } from './errors.ts';

const live = new AbortController().signal;
const answer = (body: GraphErrorBody, status = 400) => new GraphHttpError(status, new Headers(), body, JSON.stringify({ error: body }));

test('a refused Page token asks for reconnecting, in both languages', () => {
  const refused = facebookFailure(answer({ message: 'Error validating access token: The user has not authorized application.', type: 'OAuthException', code: 190, error_subcode: 458 }), 'write', live);
  assert.equal(refused.kind, 'auth');
  assert.match(refused.reason.id, /Sambungkan ulang kanal/);
  assert.match(refused.reason.en, /Reconnect the channel/);
});

test('link and photo refusals say what was refused', () => {
  const link = facebookFailure(answer({ message: 'Error posting link', code: 1609005 }), 'write', live);
  assert.equal(link.kind, 'permanent');
  assert.equal(link.code, 'link_rejected');
  const photo = facebookFailure(answer({ message: '(#324) Requires upload file', code: 324 }), 'read', live);
  assert.equal(photo.code, 'media_rejected');
  assert.equal(facebookFailure(answer({ message: '(#506) Duplicate status message', code: 506 }), 'write', live).code, 'duplicate_content');
});

test('a Page throttle is transient even as HTTP 403', () => {
  const throttled = facebookFailure(answer({ message: '(#32) Page request limit reached', code: 32 }, 403), 'write', live);
  assert.equal(throttled.kind, 'transient');
  assert.ok(throttled.retryAfterMs !== undefined && throttled.retryAfterMs > 0);
});

test('"going too fast" (368/1390008) is Facebook\'s posting cap; other 368 blocks keep their own code', () => {
  const cap = facebookFailure(answer({ message: 'It looks like you were misusing this feature by going too fast.', code: 368, error_subcode: 1390008 }), 'write', live);
  assert.equal(cap.kind, 'permanent');
  assert.equal(cap.code, 'daily_cap');
  assert.match(cap.reason.id, /beberapa jam/);
  assert.equal(facebookFailure(answer({ message: 'You have been temporarily blocked.', code: 368 }), 'write', live).code, 'temporarily_blocked');
});
