// Helpers shared by the content-studio screens: status words and colours, networks, wall-clock
// time in a unit's zone, a rough instant character count, and tokenising post text for previews.
import type { Locale, NetworkId, PostStatus, Unit, Me, Role } from './api.ts';
import { NETWORK_IDS } from './api.ts';
import type { MessageKey } from './messages.ts';

export const STATUS_KEYS: Record<PostStatus, MessageKey> = {
  draft: 'status.draft',
  in_review: 'status.in_review',
  changes_requested: 'status.changes_requested',
  approved: 'status.approved',
  scheduled: 'status.scheduled',
  publishing: 'status.publishing',
  published: 'status.published',
  partly_published: 'status.partly_published',
  failed: 'status.failed',
  cancelled: 'status.cancelled',
};

export type Tone = 'neutral' | 'green' | 'amber' | 'red' | 'blue';
export const STATUS_TONES: Record<PostStatus, Tone> = {
  draft: 'neutral',
  in_review: 'blue',
  changes_requested: 'amber',
  approved: 'green',
  scheduled: 'green',
  publishing: 'blue',
  published: 'green',
  partly_published: 'amber',
  failed: 'red',
  cancelled: 'neutral',
};

export function statusKey(s: string): MessageKey {
  return STATUS_KEYS[s as PostStatus] ?? 'status.draft';
}
export function statusTone(s: string): Tone {
  return STATUS_TONES[s as PostStatus] ?? 'neutral';
}

export const NETWORK_NAMES: Record<NetworkId, string> = {
  facebook: 'Facebook', instagram: 'Instagram', threads: 'Threads', x: 'X', tiktok: 'TikTok',
  youtube: 'YouTube', linkedin: 'LinkedIn', telegram: 'Telegram', mastodon: 'Mastodon', bluesky: 'Bluesky', webhook: 'Webhook',
};
/** Two-letter marks used as network "icons" (text, so no icon font is needed). */
export const NETWORK_SHORT: Record<NetworkId, string> = {
  facebook: 'FB', instagram: 'IG', threads: 'TH', x: 'X', tiktok: 'TT',
  youtube: 'YT', linkedin: 'IN', telegram: 'TG', mastodon: 'MA', bluesky: 'BS', webhook: 'WH',
};
export function networkName(n: string): string {
  return NETWORK_NAMES[n as NetworkId] ?? n;
}
export function networkShort(n: string): string {
  return NETWORK_SHORT[n as NetworkId] ?? n.slice(0, 2).toUpperCase();
}
export function isNetwork(n: string): n is NetworkId {
  return (NETWORK_IDS as readonly string[]).includes(n);
}

export const bi = (m: { id: string; en: string } | undefined, locale: Locale): string => (m ? (locale === 'en' ? m.en : m.id) : '');

// ---------- Roles ----------

const RANK: Record<Role, number> = { viewer: 0, editor: 1, approver: 2, admin: 3 };

/** Units (with those below them) where the person has at least `min`. */
export function unitsWithRole(me: Me, units: Unit[], min: Role): Unit[] {
  const byParent = new Map<string | null, Unit[]>();
  for (const u of units) {
    const l = byParent.get(u.parentId) ?? [];
    l.push(u);
    byParent.set(u.parentId, l);
  }
  const out = new Set<string>();
  const stack = me.memberships.filter((m) => RANK[m.role] >= RANK[min]).map((m) => m.unitId);
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const c of byParent.get(id) ?? []) stack.push(c.id);
  }
  return units.filter((u) => out.has(u.id));
}

export function hasRoleAnywhere(me: Me, min: Role): boolean {
  return me.memberships.some((m) => RANK[m.role] >= RANK[min]);
}

// ---------- Time in a zone ----------

const partsFmt = new Map<string, Intl.DateTimeFormat>();
function fmtParts(tz: string): Intl.DateTimeFormat {
  let f = partsFmt.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFmt.set(tz, f);
  }
  return f;
}

/** The instant as wall-clock "YYYY-MM-DDTHH:mm" in the zone. */
export function toZonedLocal(instant: Date | string, tz: string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  const p: Record<string, string> = {};
  for (const part of fmtParts(tz).formatToParts(d)) if (part.type !== 'literal') p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** The zone's UTC offset at the instant as "+08:00". */
export function offsetOf(instant: Date, tz: string): string {
  const local = toZonedLocal(instant, tz);
  const asUtc = Date.parse(`${local}:00Z`);
  const mins = Math.round((asUtc - Math.floor(instant.getTime() / 60000) * 60000) / 60000);
  const sign = mins < 0 ? '-' : '+';
  const a = Math.abs(mins);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Wall time "YYYY-MM-DDTHH:mm" in the zone → the same time with its offset ("…+08:00"). */
export function withOffset(local: string, tz: string): string {
  const guess = new Date(`${local}:00Z`);
  const off = offsetOf(guess, tz);
  return `${local}${off}`;
}

export function todayIn(tz: string): string {
  return toZonedLocal(new Date(), tz).slice(0, 10);
}

/** "YYYY-MM-DD" plus n days (calendar arithmetic, zone-free). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

const nameFmt = new Map<string, Intl.DateTimeFormat>();
export function formatDay(day: string, locale: Locale, opts: Intl.DateTimeFormatOptions): string {
  const key = `${locale}|${JSON.stringify(opts)}`;
  let f = nameFmt.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { timeZone: 'UTC', ...opts });
    nameFmt.set(key, f);
  }
  return f.format(new Date(`${day}T12:00:00Z`));
}

/** "2026-12-01T09:00" + zone name → "1 Des 2026, 09.00 WITA" style text. */
export function formatLocal(local: string, zoneName: string, locale: Locale): string {
  const day = local.slice(0, 10);
  const time = local.slice(11, 16);
  return `${formatDay(day, locale, { day: 'numeric', month: 'short', year: 'numeric' })}, ${time} ${zoneName}`;
}

// ---------- Text ----------

export type Token = { kind: 'text' | 'link' | 'hashtag' | 'mention'; text: string };

const TOKEN_RE = /(https?:\/\/[^\s]+)|(#[\p{L}\p{N}_]+)|(@[A-Za-z0-9_.]+(?:@[A-Za-z0-9_.-]+)?)/gu;

/** Splits post text into plain text, links, hashtags and mentions (for highlighting in previews). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const i = m.index ?? 0;
    if (i > last) out.push({ kind: 'text', text: text.slice(last, i) });
    out.push({ kind: m[1] ? 'link' : m[2] ? 'hashtag' : 'mention', text: m[0] });
    last = i + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * A quick local count while the server's exact one is on its way: X counts CJK/emoji double and
 * every link as 23; Bluesky counts graphemes; YouTube bytes; the rest code points.
 */
export function quickCount(network: string, text: string): number {
  if (network === 'youtube') return new TextEncoder().encode(text).length;
  if (network === 'x' || network === 'mastodon') {
    let n = 0;
    const noLinks = text.replace(/https?:\/\/[^\s]+/g, () => {
      n += 23;
      return '';
    });
    for (const ch of noLinks) {
      const cp = ch.codePointAt(0) ?? 0;
      n += network === 'x' && !(cp <= 0x10ff || (cp >= 0x2000 && cp <= 0x200d) || (cp >= 0x2010 && cp <= 0x201f) || (cp >= 0x2032 && cp <= 0x2037)) ? 2 : 1;
    }
    return n;
  }
  if (network === 'bluesky' && 'Segmenter' in Intl) {
    return [...new Intl.Segmenter().segment(text)].length;
  }
  return [...text].length;
}

/** Splits a customised thread typed as one text: parts are separated by a line "---". */
export const PART_SEPARATOR = '\n---\n';
export function splitParts(text: string): string[] {
  return text.split(/\n\s*---\s*\n/).map((p) => p.trim()).filter((p) => p !== '');
}
export function joinParts(parts: string[]): string {
  return parts.join(PART_SEPARATOR);
}

export function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('') || '?';
}
