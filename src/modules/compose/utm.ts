// Owns: UTM tagging of links to the organisation's own portal, so the portal's
// analytics can tell which network a visit came from. Other sites' links are
// never touched.

export type UtmParams = {
  /** The network id, e.g. 'facebook'. */
  source: string;
  /** Usually 'social'. */
  medium: string;
  campaign?: string | null | undefined;
};

/**
 * Adds utm_source / utm_medium / utm_campaign to an http(s) URL. The existing
 * query and fragment are kept; a utm_* key already present is left as it is.
 * Anything that is not a valid http(s) URL is returned unchanged.
 */
export function withUtm(url: string, params: UtmParams): string {
  const raw = String(url);
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return raw;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return raw;
  const wanted: [string, string | null | undefined][] = [
    ['utm_source', params.source],
    ['utm_medium', params.medium],
    ['utm_campaign', params.campaign],
  ];
  const present = new Set([...u.searchParams.keys()].map((k) => k.toLowerCase()));
  const add = wanted
    .filter(([key, value]) => typeof value === 'string' && value.trim() !== '' && !present.has(key))
    .map(([key, value]) => `${key}=${encodeURIComponent((value ?? '').trim())}`);
  if (add.length === 0) return raw;
  // Appended as a string so the existing query keeps its exact encoding.
  const existing = u.search.replace(/^\?/, '').replace(/&+$/, '');
  u.search = existing === '' ? add.join('&') : `${existing}&${add.join('&')}`;
  return u.href;
}

// http(s) links; trailing sentence punctuation is not part of the link.
const LINK_RE = /https?:\/\/[^\s<>"'`]+/giu;
const TRAILING_RE = /[.,;:!?…)\]}"'”’»]+$/u;

function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.includes('://')) {
    try {
      h = new URL(h).hostname;
    } catch {
      return '';
    }
  }
  return h.replace(/\/.*$/, '').replace(/:\d+$/, '').replace(/^www\./, '').replace(/\.$/, '');
}

/** Tags every http(s) link to `portalHost` (with or without "www.") inside `text`. */
export function tagLinks(text: string, portalHost: string, params: UtmParams): string {
  const host = normaliseHost(portalHost);
  if (host === '') return String(text);
  return String(text).replace(LINK_RE, (match) => {
    const link = match.replace(TRAILING_RE, '');
    const trailing = match.slice(link.length);
    let linkHost: string;
    try {
      linkHost = normaliseHost(new URL(link).hostname);
    } catch {
      return match;
    }
    return linkHost === host ? withUtm(link, params) + trailing : match;
  });
}
