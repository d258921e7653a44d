import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeInstant, offsetMinutes, utcToZoned, zonedToUtc, zoneName } from './zoned-time.ts';

describe('zoned time', () => {
  test('WITA wall time to UTC and back', () => {
    const utc = zonedToUtc('2026-12-01T09:00', 'Asia/Makassar');
    assert.equal(utc?.toISOString(), '2026-12-01T01:00:00.000Z');
    assert.equal(utcToZoned(utc!, 'Asia/Makassar'), '2026-12-01T09:00');
    assert.equal(zonedToUtc('2026-12-01T06:30', 'Asia/Jayapura')?.toISOString(), '2026-11-30T21:30:00.000Z');
    assert.equal(zonedToUtc('2026-12-01T07:00', 'Asia/Jakarta')?.toISOString(), '2026-12-01T00:00:00.000Z');
  });

  test('offsets and Indonesian zone names', () => {
    assert.equal(offsetMinutes(new Date('2026-06-01T00:00:00Z'), 'Asia/Makassar'), 480);
    assert.equal(offsetMinutes(new Date('2026-06-01T00:00:00Z'), 'Europe/Amsterdam'), 120);
    assert.equal(offsetMinutes(new Date('2026-01-01T00:00:00Z'), 'Europe/Amsterdam'), 60);
    assert.equal(zoneName('Asia/Makassar'), 'WITA');
    assert.equal(zoneName('Asia/Pontianak'), 'WIB');
    assert.equal(zoneName('Asia/Jayapura'), 'WIT');
    assert.deepEqual(describeInstant(new Date('2026-12-01T01:00:00Z'), 'Asia/Makassar'), {
      utc: '2026-12-01T01:00:00.000Z', local: '2026-12-01T09:00', timeZone: 'Asia/Makassar', zoneName: 'WITA',
    });
  });

  test('a zone with daylight saving converts on both sides of the change', () => {
    assert.equal(zonedToUtc('2026-07-01T12:00', 'Europe/Amsterdam')?.toISOString(), '2026-07-01T10:00:00.000Z');
    assert.equal(zonedToUtc('2026-12-01T12:00', 'Europe/Amsterdam')?.toISOString(), '2026-12-01T11:00:00.000Z');
  });

  test('malformed wall times are refused', () => {
    for (const bad of ['2026-13-01T09:00', '2026-02-30T09:00', '2026-12-01 09:00', '2026-12-01T24:00', 'besok pagi', '']) {
      assert.equal(zonedToUtc(bad, 'Asia/Makassar'), null, bad);
    }
  });
});

describe('cached offsets', () => {
  test('every quarter hour around a daylight-saving change matches Intl', () => {
    const intl = (instant: Date) => {
      const part = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Amsterdam', timeZoneName: 'longOffset' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')!.value;
      const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
      return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
    };
    for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z']) {
      for (let minutes = -26 * 60; minutes <= 26 * 60; minutes += 15) {
        const instant = new Date(Date.parse(change) + minutes * 60_000);
        assert.equal(offsetMinutes(instant, 'Europe/Amsterdam'), intl(instant), instant.toISOString());
      }
    }
  });
});
