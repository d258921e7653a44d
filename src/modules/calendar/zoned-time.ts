/**
 * Wall-clock time in a unit's time zone. Times are stored in UTC; people pick and read them in their
 * unit's zone (WITA by default), shown with the zone's Indonesian name.
 */
const INDONESIAN_ZONES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    partsFormatter(name);
    return true;
  } catch {
    return false;
  }
}

const DAY = 86_400_000;
const QUARTER_HOUR = 15 * 60_000;
const offsetCache = new Map<string, number>();

function cached(key: string, compute: () => number): number {
  let value = offsetCache.get(key);
  if (value === undefined) {
    value = compute();
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, value);
  }
  return value;
}

/**
 * The zone's offset from UTC at that instant, in minutes (WITA: +480). Asking Intl costs
 * microseconds and a calendar month asks hundreds of times, so offsets are cached: per UTC day when
 * the offset is the same at both ends of the day (no change inside it), else per quarter hour
 * (offsets only ever change on quarter-hour instants).
 */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const day = Math.floor(instant.getTime() / DAY);
  const start = cached(`${timeZone}|d${day}`, () => computeOffset(new Date(day * DAY), timeZone));
  const end = cached(`${timeZone}|d${day + 1}`, () => computeOffset(new Date((day + 1) * DAY), timeZone));
  if (start === end) return start;
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR);
  return cached(`${timeZone}|q${quarter}`, () => computeOffset(new Date(quarter * QUARTER_HOUR), timeZone));
}

function computeOffset(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-12-01T09:00" read in the zone → the UTC instant. Returns null for a malformed value. For a
 * wall time that a daylight-saving change skips or repeats, the first matching instant is taken
 * (Indonesia has no daylight saving; other zones are handled for completeness).
 */
export function zonedToUtc(local: string, timeZone: string): Date | null {
  const match = LOCAL.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The instant as wall-clock time in the zone: "2026-12-01T09:00". */
export function utcToZoned(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** WITA, WIB, WIT for Indonesia's zones; otherwise the zone's own short name ("GMT+8"). */
export function zoneName(timeZone: string, instant = new Date()): string {
  const known = INDONESIAN_ZONES[timeZone];
  if (known) return known;
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

export interface ZonedTime {
  /** ISO 8601 in UTC. */
  utc: string;
  /** Wall-clock time in the zone, "YYYY-MM-DDTHH:mm". */
  local: string;
  timeZone: string;
  zoneName: string;
}

export function describeInstant(instant: Date, timeZone: string): ZonedTime {
  return { utc: instant.toISOString(), local: utcToZoned(instant, timeZone), timeZone, zoneName: zoneName(timeZone, instant) };
}
