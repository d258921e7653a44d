/**
 * Recognising our own posts on an X account after an uncertain outcome: the account's posts made
 * since the first attempt whose text is a part we sent, chained as replies (part 1 replies to
 * nothing, part n to part n-1). X has no idempotency key, so this is the only protection against
 * a second post.
 *
 * X does not give the text back as sent: `&`, `<` and `>` come back as HTML entities, every link
 * is replaced by a t.co link (the original is in `entities.urls[].expanded_url`), a post with media
 * gains a trailing t.co link to the picture, and a reply may start with the @names it answers.
 * Texts are therefore compared with every link reduced to a placeholder: the words around the
 * links, the reply chain and the time window together are what identify our post.
 */
import twitter from 'twitter-text';

/** Server and our clocks differ a little; a post stamped this much before firstAttemptAt still counts. */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface XTweet {
  id: string;
  text: string;
  created_at?: string;
  author_id?: string;
  conversation_id?: string;
  referenced_tweets?: { type: string; id: string }[];
  entities?: { urls?: { url?: string; expanded_url?: string; display_url?: string; media_key?: string }[] };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const LINK = '\u0000link';

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** Every link reduced to one placeholder; NFC; whitespace runs collapsed; ends trimmed. */
function comparable(text: string): string {
  let out = '';
  let at = 0;
  for (const { indices } of twitter.extractUrlsWithIndices(text)) {
    out += text.slice(at, indices[0]) + LINK;
    at = indices[1];
  }
  out += text.slice(at);
  return out.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The visible text of a post as read back, without the link X appends for attached media. */
export function readableText(tweet: Pick<XTweet, 'text' | 'entities'>): string {
  let text = decodeEntities(tweet.text);
  for (const url of tweet.entities?.urls ?? []) {
    const isMedia = Boolean(url.media_key) || /^(pic\.x\.com|pic\.twitter\.com)\//.test(url.display_url ?? '');
    if (isMedia && url.url) text = text.split(url.url).join('');
  }
  return text;
}

/** Whether a post read back from X is the text we sent. */
export function sameTweetText(tweet: Pick<XTweet, 'text' | 'entities'>, sent: string): boolean {
  const got = comparable(readableText(tweet));
  const want = comparable(sent);
  if (got === want) return true;
  // A reply may carry the @names it answers in front of the text we wrote.
  const stripped = got.replace(/^(@\w{1,15}\s+)+/, '');
  return stripped !== got && stripped === want;
}

export function repliesTo(tweet: Pick<XTweet, 'referenced_tweets'>): string | null {
  return tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null;
}

/** X's start_time takes RFC 3339 to the second. */
export function startTime(since: Date): string {
  return new Date(Math.floor((since.getTime() - CLOCK_SKEW_MS) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The prefix of `texts` already on the account, in order (empty when part 1 is not there), from
 * the account's posts since the first attempt (`recent`, any order).
 */
export function matchThread(recent: readonly XTweet[], texts: readonly string[], since: Date): XTweet[] {
  const from = since.getTime() - CLOCK_SKEW_MS;
  const candidates = recent
    .filter((t) => !t.created_at || Date.parse(t.created_at) >= from)
    // Oldest first, so that a double made outside Siar resolves to the first one we made.
    .sort((a, b) => (Date.parse(a.created_at ?? '') || 0) - (Date.parse(b.created_at ?? '') || 0) || compareIds(a.id, b.id));
  const found: XTweet[] = [];
  for (const [index, text] of texts.entries()) {
    const parent = index === 0 ? null : found[index - 1]!.id;
    const hit = candidates.find((t) => repliesTo(t) === parent && !found.includes(t) && sameTweetText(t, text));
    if (!hit) break;
    found.push(hit);
  }
  return found;
}

/** Post ids are snowflakes: a longer id is newer; equal lengths compare as strings. */
function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}
