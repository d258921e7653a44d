// Date formatting in Indonesian time zones (WITA by default).
import type { Locale } from './api.ts';

export const TIMEZONES = [
  { id: 'Asia/Jakarta', abbr: 'WIB' },
  { id: 'Asia/Makassar', abbr: 'WITA' },
  { id: 'Asia/Jayapura', abbr: 'WIT' },
] as const;

export const DEFAULT_TZ = 'Asia/Makassar';
const TZ_KEY = 'siar.admin.tz';

export function tzAbbr(tz: string): string {
  return TIMEZONES.find((z) => z.id === tz)?.abbr ?? tz;
}

export function loadDisplayTz(): string {
  try {
    const v = localStorage.getItem(TZ_KEY);
    if (v && TIMEZONES.some((z) => z.id === v)) return v;
  } catch {
    /* storage may be unavailable */
  }
  return DEFAULT_TZ;
}

export function saveDisplayTz(tz: string): void {
  try {
    localStorage.setItem(TZ_KEY, tz);
  } catch {
    /* ignore */
  }
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: Locale, tz: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${tz}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', {
      timeZone: tz,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined, locale: Locale, tz: string = DEFAULT_TZ): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${fmt(locale, tz, true).format(d)} ${tzAbbr(tz)}`;
}

export function formatDate(iso: string | null | undefined, locale: Locale, tz: string = DEFAULT_TZ): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(locale, tz, false).format(d);
}

const OFFSETS: Record<string, string> = { 'Asia/Jakarta': '+07:00', 'Asia/Makassar': '+08:00', 'Asia/Jayapura': '+09:00' };

/** "2026-11-27" (a calendar day in tz) → ISO instant at the start or end of that day. */
export function dayBoundaryIso(day: string, tz: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const off = OFFSETS[tz] ?? '+08:00';
  const d = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}${off}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
