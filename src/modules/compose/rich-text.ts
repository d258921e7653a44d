// Owns: the post body's rich text. The body is stored as sanitized HTML (a small
// allowlist, nothing executable) plus a plain-text form derived from it, which
// is what social networks receive. Also the cleaner for fields that are stored
// as plain text (titles, summaries, alt text, comments) and escaped when shown.
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'a', 'ul', 'ol', 'li',
  'blockquote', 'h2', 'h3', 'h4', 'code', 'pre', 'hr',
];
const LINK_SCHEMES = ['http', 'https', 'mailto'];
const LINK_REL = 'noopener noreferrer nofollow';
// A tag name that is not allowed: transforming an <a> into it drops the tag but keeps its text.
const UNWRAP = 'siar-unwrap';

// C0/C1 controls except tab and newline; CR is handled separately (CRLF → LF).
const CONTROL_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidi embeddings/overrides/isolates: invisible and used to make text read differently than it is stored.
const BIDI_RE = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Our own scheme check, run before sanitize-html's (which runs as well). The
 * parser has already decoded entities; browsers also ignore control characters
 * and whitespace inside a scheme, so they are removed before looking at it.
 * Relative and protocol-relative links are refused: a post body links out with a full URL.
 */
function safeHref(href: string | undefined): string | null {
  if (href === undefined) return null;
  const trimmed = href.trim();
  const squeezed = trimmed.replace(/[\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\uFEFF]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squeezed)?.[1]?.toLowerCase();
  if (scheme === undefined || !LINK_SCHEMES.includes(scheme)) return null;
  // The literal value must start with that same scheme (no hidden characters inside it).
  if (!trimmed.toLowerCase().startsWith(`${scheme}:`)) return null;
  if (scheme !== 'mailto' && !URL.canParse(trimmed)) return null;
  return trimmed;
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: LINK_SCHEMES,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowedClasses: {},
  allowedStyles: {},
  parseStyleAttributes: false,
  disallowedTagsMode: 'discard',
  // Content of these is dropped entirely, not kept as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'noembed', 'noframes', 'xmp', 'title', 'svg', 'math', 'object'],
  enforceHtmlBoundary: false,
  transformTags: {
    // Headings outside h2–h4 (pasted from Word or another site) keep being headings.
    h1: 'h2',
    h5: 'h4',
    h6: 'h4',
    a: (_tagName, attribs) => {
      const href = safeHref(attribs.href);
      if (href === null) return { tagName: UNWRAP, attribs: {} };
      const out: Record<string, string> = { href, rel: LINK_REL };
      if (attribs.target === '_blank') out.target = '_blank';
      return { tagName: 'a', attribs: out };
    },
  },
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function preClean(text: string): string {
  return text.toWellFormed().normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL_RE, '').replace(BIDI_RE, '');
}

/**
 * Sanitizes rich text to the allowlist. Run to a fixed point (at most three
 * passes) so that sanitize(sanitize(x)) === sanitize(x) even for malformed input
 * the parser repairs differently on a second reading.
 */
export function sanitizeBody(html: string): string {
  try {
    let out = sanitizeHtml(preClean(String(html)), OPTIONS);
    for (let i = 0; i < 3; i++) {
      const again = sanitizeHtml(out, OPTIONS);
      if (again === out) break;
      out = again;
    }
    return out.trim();
  } catch {
    // sanitize-html is not known to throw; if it ever does, show the input as inert text.
    return escapeHtml(preClean(String(html)));
  }
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const cp = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set(['p', 'blockquote', 'h2', 'h3', 'h4', 'pre', 'hr']);
const TAG_RE = /<(\/?)([a-z0-9-]+)((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi;

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(attrs);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
}

/** Comparable form of a link target or link text: no scheme, mailto:, www. or trailing slash. */
function linkKey(s: string): string {
  return s.trim().toLowerCase().replace(/^(https?:\/\/|mailto:)/, '').replace(/^www\./, '').replace(/\/+$/, '');
}

/**
 * Plain text for social networks: blank line between paragraphs, <br> as a
 * newline, list items as "• item" / "1. item", links as "text (url)" unless the
 * text already is the URL, entities decoded, whitespace collapsed.
 */
export function htmlToPlainText(html: string): string {
  const clean = sanitizeBody(html);
  let out = '';
  let pending = 0; // newlines owed before the next text
  let preDepth = 0;
  const lists: { ordered: boolean; n: number }[] = [];
  let link: { href: string; start: number } | null = null;

  const emit = (raw: string): void => {
    let text = preDepth > 0 ? raw : raw.replace(/\s+/g, ' ');
    if (out === '' || pending > 0 || out.endsWith('\n')) text = preDepth > 0 ? text : text.replace(/^ +/, '');
    if (out.endsWith(' ') && text.startsWith(' ')) text = text.slice(1);
    if (text === '') return;
    if (out !== '' && pending > 0) {
      out = out.replace(/[ \t]+$/, '') + '\n'.repeat(Math.min(pending, 2));
    }
    pending = 0;
    out += text;
  };
  const brk = (n: number): void => {
    pending = Math.max(pending, n);
  };

  let last = 0;
  for (const m of clean.matchAll(TAG_RE)) {
    if (m.index > last) emit(decodeEntities(clean.slice(last, m.index)));
    last = m.index + m[0].length;
    const closing = m[1] === '/';
    const tag = (m[2] ?? '').toLowerCase();
    const attrs = m[3] ?? '';
    if (tag === 'br') {
      // Consecutive <br> add up; a blank line at most.
      if (out !== '') pending = Math.min(pending + 1, 2);
    } else if (BLOCK_TAGS.has(tag)) {
      if (tag === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
      brk(2);
    } else if (tag === 'ul' || tag === 'ol') {
      if (closing) {
        lists.pop();
        brk(lists.length > 0 ? 1 : 2);
      } else {
        brk(lists.length > 0 ? 1 : 2);
        lists.push({ ordered: tag === 'ol', n: 0 });
      }
    } else if (tag === 'li') {
      brk(1);
      if (!closing) {
        const list = lists.at(-1);
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        if (list) list.n += 1;
        // Written directly (not via emit) so the nesting indent survives.
        if (out !== '') out = out.replace(/[ \t]+$/, '') + '\n'.repeat(Math.min(Math.max(pending, 1), 2));
        pending = 0;
        out += `${indent}${list?.ordered ? `${list.n}.` : '•'} `;
      }
    } else if (tag === 'a') {
      if (!closing) {
        link = { href: attr(attrs, 'href') ?? '', start: out.length };
      } else if (link) {
        const text = out.slice(link.start).trim();
        if (link.href !== '' && linkKey(text) !== linkKey(link.href)) {
          emit(text === '' ? link.href : ` (${link.href})`);
        }
        link = null;
      }
    }
  }
  if (last < clean.length) emit(decodeEntities(clean.slice(last)));
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * For text stored as plain text (titles, summaries, alt text, comments): NFC,
 * no control characters except newline and tab, no bidi overrides/isolates,
 * lone surrogates replaced by U+FFFD, trimmed. `<` and `&` stay as typed: every
 * renderer escapes them.
 */
export function cleanPlainText(s: string): string {
  return preClean(String(s)).trim();
}
