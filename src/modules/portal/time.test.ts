import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullDateTime, longDate, relativeTime, shortDate, startOfWitaDay, witaDay } from './time.ts';

const now = new Date('2026-11-12T01:00:00Z'); // Kamis, 12 November 2026 09.00 WITA

test('relative times read as Indonesian readers expect', () => {
  const ago = (ms: number) => relativeTime(new Date(now.getTime() - ms), now);
  assert.equal(ago(0), 'baru saja');
  assert.equal(ago(59_000), 'baru saja');
  assert.equal(ago(-30_000), 'baru saja', 'a time a little ahead of this clock');
  assert.equal(ago(60_000), '1 menit lalu');
  assert.equal(ago(5 * 60_000), '5 menit lalu');
  assert.equal(ago(59 * 60_000 + 59_000), '59 menit lalu');
  assert.equal(ago(3 * 3_600_000), '3 jam lalu');
  assert.equal(ago(23 * 3_600_000 + 59 * 60_000), '23 jam lalu');
  assert.equal(ago(24 * 3_600_000), 'kemarin');
  assert.equal(ago(2 * 86_400_000), '2 hari lalu');
  assert.equal(ago(6 * 86_400_000), '6 hari lalu');
  assert.equal(ago(7 * 86_400_000), '1 minggu lalu');
  assert.equal(ago(21 * 86_400_000), '3 minggu lalu');
  assert.equal(ago(29 * 86_400_000), '4 minggu lalu');
  assert.equal(ago(30 * 86_400_000), '13 Okt 2026');
});

test('absolute times are in WITA, whatever the server zone', () => {
  assert.equal(fullDateTime(now), 'Kamis, 12 November 2026 09.00 WITA');
  // 23:30 UTC is already the next day in WITA.
  const late = new Date('2026-08-16T23:30:00Z');
  assert.equal(shortDate(late), '17 Agu 2026');
  assert.equal(longDate(late), '17 Agustus 2026');
  assert.equal(fullDateTime(late), 'Senin, 17 Agustus 2026 07.30 WITA');
  assert.equal(witaDay(late), '2026-08-17');
});

test('a day typed in the search form starts at midnight WITA; impossible dates are refused', () => {
  assert.equal(startOfWitaDay('2026-11-12')?.toISOString(), '2026-11-11T16:00:00.000Z');
  for (const bad of ['2026-02-30', '2026-13-01', '12-11-2026', '2026-1-1', '', 'kemarin', "2026-11-12'; --"]) {
    assert.equal(startOfWitaDay(bad), undefined, bad);
  }
});
