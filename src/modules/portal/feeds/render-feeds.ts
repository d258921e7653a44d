/**
 * One feed in three formats: RSS 2.0 (with content:encoded for the article's HTML), Atom 1.0 and
 * JSON Feed 1.1. Pure functions of a `Feed`, so the same data gives byte-identical output and the
 * ETag (a digest of the body) only changes when the feed does.
 */
import { cdata, rfc3339, rfc822, xmlEscape } from './xml.ts';
import { feedPath, type Feed, type FeedFormat } from './feed-data.ts';

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

const GENERATOR = 'Siar';

const selfUrl = (feed: Feed, format: FeedFormat) => feed.base + feedPath(feed.scope, format);

export function rssFeed(feed: Feed): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${xmlEscape(feed.title)}</title>`,
    `<link>${xmlEscape(feed.pageUrl)}</link>`,
    `<description>${xmlEscape(feed.description)}</description>`,
    '<language>id</language>',
    `<lastBuildDate>${rfc822(feed.updatedAt)}</lastBuildDate>`,
    `<generator>${GENERATOR}</generator>`,
    `<atom:link href="${xmlEscape(selfUrl(feed, 'rss'))}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const item of feed.items) {
    out.push(
      '<item>',
      `<title>${xmlEscape(item.title)}</title>`,
      `<link>${xmlEscape(item.url)}</link>`,
      `<guid isPermaLink="true">${xmlEscape(item.url)}</guid>`,
      `<pubDate>${rfc822(item.publishedAt)}</pubDate>`,
      `<dc:creator>${xmlEscape(item.unitName)}</dc:creator>`,
      ...(item.rubric ? [`<category>${xmlEscape(item.rubric.name)}</category>`] : []),
      ...item.tags.map((tag) => `<category>${xmlEscape(tag)}</category>`),
      ...(item.summary ? [`<description>${xmlEscape(item.summary)}</description>`] : []),
      `<content:encoded>${cdata(item.contentHtml)}</content:encoded>`,
      ...(item.image ? [`<enclosure url="${xmlEscape(item.image.url)}" length="${item.image.bytes}" type="${xmlEscape(item.image.mime)}"/>`] : []),
      '</item>',
    );
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

export function atomFeed(feed: Feed): string {
  const self = selfUrl(feed, 'atom');
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">',
    `<id>${xmlEscape(self)}</id>`,
    `<title type="text">${xmlEscape(feed.title)}</title>`,
    `<subtitle type="text">${xmlEscape(feed.description)}</subtitle>`,
    `<updated>${rfc3339(feed.updatedAt)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(self)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(feed.pageUrl)}"/>`,
    `<author><name>${xmlEscape(feed.siteName)}</name></author>`,
    `<generator>${GENERATOR}</generator>`,
  ];
  for (const item of feed.items) {
    out.push(
      '<entry>',
      `<id>${xmlEscape(item.url)}</id>`,
      `<title type="text">${xmlEscape(item.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlEscape(item.url)}"/>`,
      `<published>${rfc3339(item.publishedAt)}</published>`,
      `<updated>${rfc3339(item.modifiedAt)}</updated>`,
      `<author><name>${xmlEscape(item.unitName)}</name></author>`,
      ...(item.rubric ? [`<category term="${xmlEscape(item.rubric.slug)}" label="${xmlEscape(item.rubric.name)}"/>`] : []),
      ...item.tags.map((tag) => `<category term="${xmlEscape(tag)}"/>`),
      ...(item.summary ? [`<summary type="text">${xmlEscape(item.summary)}</summary>`] : []),
      `<content type="html">${xmlEscape(item.contentHtml)}</content>`,
      ...(item.image ? [`<link rel="enclosure" type="${xmlEscape(item.image.mime)}" length="${item.image.bytes}" href="${xmlEscape(item.image.url)}"/>`] : []),
      '</entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}

export function jsonFeed(feed: Feed): string {
  return `${JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.pageUrl,
    feed_url: selfUrl(feed, 'json'),
    description: feed.description,
    language: 'id',
    authors: [{ name: feed.siteName }],
    items: feed.items.map((item) => ({
      id: item.url,
      url: item.url,
      title: item.title,
      content_html: item.contentHtml,
      ...(item.summary ? { summary: item.summary } : {}),
      image: item.image?.url ?? item.shareImageUrl,
      date_published: rfc3339(item.publishedAt),
      date_modified: rfc3339(item.modifiedAt),
      authors: [{ name: item.unitName }],
      tags: [...(item.rubric ? [item.rubric.name] : []), ...item.tags],
      ...(item.image ? { attachments: [{ url: item.image.url, mime_type: item.image.mime, size_in_bytes: item.image.bytes, title: item.image.alt }] } : {}),
    })),
  })}\n`;
}

export function renderFeed(feed: Feed, format: FeedFormat): string {
  return format === 'rss' ? rssFeed(feed) : format === 'atom' ? atomFeed(feed) : jsonFeed(feed);
}
