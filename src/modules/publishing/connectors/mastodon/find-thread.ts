/**
 * Recognising our own statuses on a Mastodon account: the statuses made since the first attempt
 * whose text is exactly a part we sent, chained by in_reply_to_id. Used by `findPublished` and
 * before a retry whose Idempotency-Key may have expired (Mastodon keeps keys about an hour).
 *
 * The list API gives HTML (`content`), not the source text; we read the HTML back to plain text
 * (Mastodon only adds markup around links, mentions and hashtags and turns line breaks into
 * <br>/<p>), and ask for `/statuses/:id/source` only when that comparison is not conclusive.
 */
import type { mastodon } from 'masto';

/** Servers' and our clocks differ a little; a status stamped this much before firstAttemptAt still counts. */
const CLOCK_SKEW_MS = 2 * 60_000;
const MAX_PAGES = 3;
const MAX_SOURCE_LOOKUPS = 5;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
      if (entity[0] === '#') {
        const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[entity.toLowerCase()] ?? whole;
    });
}

/** Equal for our purpose: same characters after NFC, ignoring how whitespace was laid out. */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

export interface FindThreadOptions {
  api: mastodon.rest.Client;
  accountId: string;
  texts: readonly string[];
  since: Date;
}

/**
 * The prefix of `texts` already on the account, in order (empty when part 1 is not there). The
 * client carries the request's signal and deadline (masto's paginator ignores per-call options).
 */
export async function findThread(options: FindThreadOptions): Promise<mastodon.v1.Status[]> {
  const { api, accountId, texts } = options;
  const since = options.since.getTime() - CLOCK_SKEW_MS;
  const candidates: mastodon.v1.Status[] = [];
  let pages = 0;
  for await (const page of api.v1.accounts.$select(accountId).statuses.list({ limit: 40, excludeReblogs: true })) {
    const recent = page.filter((s) => Date.parse(s.createdAt) >= since);
    candidates.push(...recent);
    pages++;
    if (recent.length < page.length || page.length === 0 || pages >= MAX_PAGES) break;
  }
  // Oldest first, so that a double (made outside Siar) resolves to the first one we made.
  candidates.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));

  let lookups = 0;
  const matches = async (status: mastodon.v1.Status, text: string): Promise<boolean> => {
    if (typeof status.text === 'string') return sameText(status.text, text);
    if (sameText(htmlToText(status.content), text)) return true;
    // Inconclusive only when the HTML differs by markup Mastodon adds (remote mentions shortened);
    // confirm against the source when the visible text is close.
    if (lookups >= MAX_SOURCE_LOOKUPS || !roughlySame(htmlToText(status.content), text)) return false;
    lookups++;
    try {
      const source = await api.v1.statuses.$select(status.id).source.fetch();
      return sameText(source.text, text);
    } catch {
      return false;
    }
  };

  const found: mastodon.v1.Status[] = [];
  for (const [index, text] of texts.entries()) {
    const parentId = index === 0 ? null : found[index - 1]!.id;
    let hit: mastodon.v1.Status | undefined;
    for (const status of candidates) {
      if ((status.inReplyToId ?? null) !== parentId) continue;
      if (await matches(status, text)) { hit = status; break; }
    }
    if (!hit) break;
    found.push(hit);
  }
  return found;
}

/** Same words apart from @-mentions, which Mastodon renders without the remote domain. */
function roughlySame(html: string, text: string): boolean {
  const strip = (s: string): string => s.replace(/@([\w.]+)@[\w.-]+/g, '@$1').normalize('NFC').replace(/\s+/g, ' ').trim();
  return strip(html) === strip(text);
}
