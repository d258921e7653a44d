/**
 * Times as the portal shows them: relative in Indonesian ("5 menit lalu", "kemarin"), absolute in
 * WITA (Asia/Makassar, UTC+8 all year: no daylight saving, so a fixed offset is exact). Written out
 * here rather than through Intl so pages read the same whatever ICU data the server has.
 */

const WITA_OFFSET_MS = 8 * 3_600_000;
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];

function wita(at: Date): Date {
  return new Date(at.getTime() + WITA_OFFSET_MS);
}

const two = (n: number): string => String(n).padStart(2, '0');

/** "12 Nov 2026" (the day in WITA). */
export function shortDate(at: Date): string {
  const w = wita(at);
  return `${w.getUTCDate()} ${MONTHS_SHORT[w.getUTCMonth()]} ${w.getUTCFullYear()}`;
}

/** "12 November 2026". */
export function longDate(at: Date): string {
  const w = wita(at);
  return `${w.getUTCDate()} ${MONTHS[w.getUTCMonth()]} ${w.getUTCFullYear()}`;
}

/** "Kamis, 12 November 2026 09.00 WITA" (Indonesian writes hours and minutes with a dot). */
export function fullDateTime(at: Date): string {
  const w = wita(at);
  return `${DAYS[w.getUTCDay()]}, ${longDate(at)} ${two(w.getUTCHours())}.${two(w.getUTCMinutes())} WITA`;
}

/** "2026-11-12" in WITA (date inputs of the search form). */
export function witaDay(at: Date): string {
  const w = wita(at);
  return `${w.getUTCFullYear()}-${two(w.getUTCMonth() + 1)}-${two(w.getUTCDate())}`;
}

/** The start of a WITA day given as YYYY-MM-DD, or undefined when it is not a real date. */
export function startOfWitaDay(day: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (y < 1970 || y > 9999 || check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return new Date(utc - WITA_OFFSET_MS);
}

/**
 * How long ago, as a reader says it: "baru saja", "5 menit lalu", "3 jam lalu", "kemarin",
 * "2 hari lalu", "3 minggu lalu", then the date ("12 Nov 2026"). A time in the future (clocks a
 * little apart) is "baru saja".
 */
export function relativeTime(at: Date, now: Date): string {
  const seconds = Math.floor((now.getTime() - at.getTime()) / 1000);
  if (seconds < 60) return 'baru saja';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} menit lalu`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} jam lalu`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'kemarin';
  if (days < 7) return `${days} hari lalu`;
  if (days < 30) return `${Math.floor(days / 7)} minggu lalu`;
  return shortDate(at);
}
