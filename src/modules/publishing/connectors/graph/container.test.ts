// Waiting on a Meta media container: finished, refused, expired, or still busy when patience ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../connector.ts';
import { waitForContainer } from './container.ts';

const live = new AbortController().signal;
const statuses = (...list: string[]) => {
  let i = 0;
  return async () => ({ status: list[Math.min(i++, list.length - 1)], detail: 'ERROR: Media download has failed.' });
};

test('polls until FINISHED', async () => {
  assert.equal(await waitForContainer({ network: 'Instagram', read: statuses('IN_PROGRESS', 'IN_PROGRESS', 'FINISHED'), pollMs: 1, timeoutMs: 1_000, signal: live }), 'FINISHED');
});

test('ERROR and EXPIRED are permanent with what the network said', async () => {
  const refused = await waitForContainer({ network: 'Threads', read: statuses('IN_PROGRESS', 'ERROR'), pollMs: 1, timeoutMs: 1_000, signal: live }).catch((e: unknown) => e);
  assert.ok(refused instanceof ConnectorError);
  assert.equal(refused.kind, 'permanent');
  assert.equal(refused.code, 'media_rejected');
  assert.match(refused.reason.en, /Media download has failed/);
  const expired = await waitForContainer({ network: 'Instagram', read: statuses('EXPIRED'), pollMs: 1, timeoutMs: 1_000, signal: live }).catch((e: unknown) => e);
  assert.equal((expired as ConnectorError).code, 'container_expired');
});

test('still busy at the deadline: transient, tried again later with a new container', async () => {
  let clock = 0;
  const busy = await waitForContainer({ network: 'Instagram', read: statuses('IN_PROGRESS'), pollMs: 1, timeoutMs: 50, signal: live, now: () => (clock += 20) }).catch((e: unknown) => e);
  assert.equal((busy as ConnectorError).kind, 'transient');
  assert.equal((busy as ConnectorError).code, 'media_processing_timeout');
});
