/**
 * A post scheduled for 09:00 WITA is due at 01:00 UTC whatever time zone the server itself runs in:
 * the same code runs in child processes with other TZ settings.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../../test/settings.ts';

const script = `
  const { parseScheduleTime } = await import(${JSON.stringify(fileURLToPath(new URL('../posts/save-post.ts', import.meta.url)))});
  const { describeInstant, zonedToUtc } = await import(${JSON.stringify(fileURLToPath(new URL('./zoned-time.ts', import.meta.url)))});
  const due = parseScheduleTime('2027-01-05T09:00', 'Asia/Makassar');
  const fromDay = zonedToUtc('2027-01-05T00:00', 'Asia/Makassar');
  console.log(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, due: due.toISOString(), shown: describeInstant(due, 'Asia/Makassar'), dayStart: fromDay.toISOString() }));
`;

for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC', 'Asia/Jakarta']) {
  test(`09:00 WITA is 01:00 UTC on a server running in ${tz}`, () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: childEnv({ TZ: tz }), encoding: 'utf8' }));
    assert.equal(out.tz, tz === 'UTC' ? 'UTC' : tz);
    assert.equal(out.due, '2027-01-05T01:00:00.000Z');
    assert.deepEqual(out.shown, { utc: '2027-01-05T01:00:00.000Z', local: '2027-01-05T09:00', timeZone: 'Asia/Makassar', zoneName: 'WITA' });
    assert.equal(out.dayStart, '2027-01-04T16:00:00.000Z');
  });
}
