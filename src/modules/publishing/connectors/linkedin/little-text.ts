/**
 * LinkedIn's "little text" format of a post's `commentary`: the characters `| { } @ [ ] ( ) < > # \ * _ ~`
 * start mentions (`@[Name](urn)`), hashtag templates (`{hashtag|#|tag}`) and other elements, so
 * every one of them that is meant as plain text is escaped with a backslash; an unescaped one makes
 * LinkedIn cut the post short without an error. The escaping itself is the networks module's, the
 * same one whose warning tells the author "these characters will be escaped so they show as typed".
 *
 * Reading back (to recognise our post) undoes the escaping, and also turns hashtag templates and
 * mentions into what a reader sees, in case LinkedIn hands the commentary back normalised.
 */
import { escapeLinkedInText } from '../../../networks/index.ts';

export function toLittleText(text: string): string {
  return escapeLinkedInText(text);
}

export function fromLittleText(little: string): string {
  return little
    .replace(/\{hashtag\|\\?([#\uFF03])\|([^}]*)\}/g, '$1$2')
    .replace(/@\[([^\]]*)\]\([^)]*\)/g, '@$1')
    .replace(/\\([\\|{}@[\]()<>#*_~])/g, '$1');
}

/** Equal for our purpose: same characters after NFC, ignoring how whitespace was laid out. */
export function sameText(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

/** Whether a commentary read back from LinkedIn is the text we sent (escaped, or already plain). */
export function sameCommentary(commentary: string | undefined, sent: string): boolean {
  if (typeof commentary !== 'string') return sent.trim() === '';
  return sameText(fromLittleText(commentary), sent) || sameText(commentary, sent);
}
