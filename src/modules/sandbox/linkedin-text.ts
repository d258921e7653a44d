/**
 * LinkedIn's "little text" format for post commentary: `| { } @ [ ] ( ) < > # \ * _ ~` are reserved and must be
 * escaped with a backslash; `@[Name](urn:li:…)` is a mention and `{hashtag|\#|Tag}` a hashtag. An unescaped reserved
 * character that starts no template makes LinkedIn keep the commentary only up to that point, silently: the sandbox
 * does the same, so a client that forgets to escape sees its post cut short, as it would on LinkedIn.
 */

const reserved = new Set(['|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '\\', '*', '_', '~']);
const mention = /^@\[([^\]]*)\]\((urn:li:[A-Za-z]+:[^)\s]+)\)/;
const hashtag = /^\{hashtag\|\\#\|([^}|]+)\}/;

export interface LittleText {
  /** The commentary LinkedIn keeps (cut at the first stray reserved character). */
  stored: string;
  /** What readers see: escapes removed, mentions shown by name, hashtags with their #. */
  text: string;
}

export function readLittleText(raw: string): LittleText {
  let text = '';
  let i = 0;
  while (i < raw.length) {
    const rest = raw.slice(i);
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      if (next === undefined) break;
      text += next;
      i += 2;
      continue;
    }
    const named = mention.exec(rest);
    if (named) {
      text += named[1] ?? '';
      i += named[0].length;
      continue;
    }
    const tag = hashtag.exec(rest);
    if (tag) {
      text += `#${tag[1] ?? ''}`;
      i += tag[0].length;
      continue;
    }
    if (reserved.has(ch)) break;
    text += ch;
    i += 1;
  }
  return { stored: raw.slice(0, i), text };
}

/** Escapes plain text so LinkedIn keeps it whole (what a careful client sends). */
export function escapeLittleText(plain: string): string {
  return [...plain].map((ch) => (reserved.has(ch) ? `\\${ch}` : ch)).join('');
}
