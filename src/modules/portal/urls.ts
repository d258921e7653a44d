/**
 * Where things live on the public portal. One place for every address, so pages, feeds, sitemaps,
 * share links and social variants agree. The base is the configured public URL, else where this
 * server listens (the demo on one machine).
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config/config.ts';
import { slugify } from '../units/slug.ts';

export function portalBase(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const host = config.host === '0.0.0.0' || config.host === '127.0.0.1' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

/** Paths, relative to the portal's base. */
export const portalPaths = {
  home: (): string => '/',
  article: (slug: string): string => `/berita/${encodeURIComponent(slug)}`,
  rubric: (slug: string): string => `/rubrik/${encodeURIComponent(slug)}`,
  tag: (tag: string): string => `/tag/${encodeURIComponent(tag)}`,
  unit: (slug: string): string => `/unit/${encodeURIComponent(slug)}`,
  search: (): string => '/cari',
  shortLink: (code: string): string => `/r/${code}`,
  shareImage: (slug: string): string => `/berita/${encodeURIComponent(slug)}/gambar.png`,
};

/**
 * An article's slug: the title as words, then eight characters of the post's id so that two posts
 * with one title never share an address. Given once and kept (see 0006_portal.sql).
 */
export function articleSlug(title: string, postId: string): string {
  // slugify() names an empty text "unit" (it was written for units): an article is "berita".
  const words = /[\p{L}\p{N}]/u.test(title) ? slugify(title).slice(0, 70).replace(/-+$/, '') : '';
  const tail = postId.replace(/-/g, '').slice(0, 8);
  return `${words === '' || (words === 'unit' && !/unit/i.test(title)) ? 'berita' : words}-${tail}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The short link code of a post on one network: derived from the two, so the composer knows it
 * before the post is saved and it never changes. 8 base-62 characters (47 bits).
 */
export function shortLinkCode(postId: string, network: string): string {
  const digest = createHash('sha256').update(`${postId}:${network}`).digest();
  let code = '';
  for (let i = 0; i < 8; i++) code += BASE62[digest[i]! % 62];
  return code;
}
