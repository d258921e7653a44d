/**
 * The little XML the feeds and sitemaps need: text escaped for content and attributes, CDATA that
 * survives a `]]>` inside, and nothing XML 1.0 forbids (control characters, lone surrogates, the
 * two non-characters U+FFFE/U+FFFF), which would make a whole feed unreadable to a strict parser.
 */

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text with the characters XML cannot carry removed. */
export function xmlClean(text: string): string {
  return text.toWellFormed().replace(NOT_XML, '');
}

/** Escaped for element content and double- or single-quoted attributes. */
export function xmlEscape(text: string): string {
  return xmlClean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A CDATA section; a `]]>` in the text is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlClean(text).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** RFC 822 (as RSS 2.0 asks, four-digit year): "Thu, 12 Nov 2026 01:00:00 GMT". */
export function rfc822(at: Date): string {
  return at.toUTCString();
}

/** RFC 3339 (Atom, JSON Feed, sitemaps): "2026-11-12T01:00:00Z". */
export function rfc3339(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
