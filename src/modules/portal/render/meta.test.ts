import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, scriptJson, trustedHtml } from './html.ts';
import { clip, governmentOrganizationLd, metaTags, newsArticleLd, type PageMeta } from './meta.ts';

test('html escapes every value unless it is already markup', () => {
  const evil = `<script>alert("x")</script>&'`;
  assert.equal(html`<p title="${evil}">${evil}</p>`.value, `<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>`);
  assert.equal(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  assert.equal(html`${trustedHtml('<b>ok</b>')}`.value, '<b>ok</b>');
  assert.equal(escapeHtml('"'), '&quot;');
});

test('JSON for a script element cannot close it', () => {
  const out = scriptJson({ headline: '</script><script>alert(1)</script> <!-- & \u2028' }).value;
  assert.ok(!out.includes('<') && !out.includes('>') && !out.includes('&'));
  assert.deepEqual(JSON.parse(out), { headline: '</script><script>alert(1)</script> <!-- & \u2028' });
});

const publisher = { name: 'Pemerintah Provinsi Kalimantan Timur', url: 'https://portal.kaltimprov.go.id/', logoUrl: 'https://portal.kaltimprov.go.id/logo.png' };

test('an article describes itself as a NewsArticle by a government organisation', () => {
  const ld = newsArticleLd({
    title: 'Banjir di Sempaja', description: 'Air setinggi 50 cm.', canonical: 'https://portal.kaltimprov.go.id/berita/banjir-1a2b3c4d',
    image: 'https://portal.kaltimprov.go.id/berita/banjir-1a2b3c4d/gambar.png', publishedAt: new Date('2026-11-12T01:00:00Z'),
    modifiedAt: new Date('2026-11-12T03:00:00Z'), section: 'Pengumuman', tags: ['banjir', 'BPBD'], language: 'id',
    author: { name: 'Kota Samarinda', url: 'https://portal.kaltimprov.go.id/unit/kota-samarinda' }, publisher,
  }) as Record<string, unknown>;
  assert.equal(ld['@type'], 'NewsArticle');
  assert.equal(ld.headline, 'Banjir di Sempaja');
  assert.equal(ld.datePublished, '2026-11-12T01:00:00.000Z');
  assert.equal(ld.dateModified, '2026-11-12T03:00:00.000Z');
  assert.deepEqual(ld.author, { '@type': 'GovernmentOrganization', name: 'Kota Samarinda', url: 'https://portal.kaltimprov.go.id/unit/kota-samarinda' });
  assert.equal((ld.publisher as Record<string, unknown>)['@type'], 'GovernmentOrganization');
  assert.deepEqual(ld.image, ['https://portal.kaltimprov.go.id/berita/banjir-1a2b3c4d/gambar.png']);
  assert.deepEqual(ld.mainEntityOfPage, { '@type': 'WebPage', '@id': 'https://portal.kaltimprov.go.id/berita/banjir-1a2b3c4d' });
  assert.equal(ld.keywords, 'banjir, BPBD');
});

test('a long headline is cut at a word for search engines', () => {
  const long = 'Pemerintah Provinsi Kalimantan Timur menyampaikan informasi lengkap tentang jadwal imunisasi anak sekolah dasar di seluruh kabupaten dan kota';
  const cut = clip(long, 110);
  assert.ok(cut.length <= 110);
  assert.ok(cut.endsWith('…'));
  assert.ok(long.startsWith(cut.slice(0, -1)));
  assert.equal(clip('  pendek  ', 110), 'pendek');
});

test('a unit is a GovernmentOrganization with the contact it has', () => {
  const ld = governmentOrganizationLd({ name: 'Kabupaten Berau', url: 'https://p/unit/berau', email: 'humas@beraukab.go.id', website: 'https://beraukab.go.id', parentName: 'Pemerintah Provinsi Kalimantan Timur' }) as Record<string, unknown>;
  assert.equal(ld['@type'], 'GovernmentOrganization');
  assert.equal(ld.email, 'humas@beraukab.go.id');
  assert.deepEqual(ld.sameAs, ['https://beraukab.go.id']);
  assert.equal('telephone' in ld, false);
  assert.deepEqual(ld.parentOrganization, { '@type': 'GovernmentOrganization', name: 'Pemerintah Provinsi Kalimantan Timur' });
});

test('head tags: Open Graph, Twitter card, canonical, escaped values and JSON-LD', () => {
  const meta: PageMeta = {
    title: 'Judul "kutip" <b>', description: 'Ringkasan & isi', canonical: 'https://p/berita/x', siteName: 'Pemprov', type: 'article',
    image: 'https://p/berita/x/gambar.png', imageAlt: 'Judul',
    article: { publishedAt: new Date('2026-11-12T01:00:00Z'), modifiedAt: new Date('2026-11-12T01:00:00Z'), section: 'Kinerja', tags: ['a<b'] },
    jsonLd: [{ headline: '</script>' }],
    prev: 'https://p/rubrik/kinerja',
  };
  const out = metaTags(meta).value;
  assert.match(out, /<meta property="og:title" content="Judul &quot;kutip&quot; &lt;b&gt;">/);
  assert.match(out, /<meta property="og:type" content="article">/);
  assert.match(out, /<meta property="og:image" content="https:\/\/p\/berita\/x\/gambar.png">/);
  assert.match(out, /<meta name="twitter:card" content="summary_large_image">/);
  assert.match(out, /<link rel="canonical" href="https:\/\/p\/berita\/x">/);
  assert.match(out, /<link rel="prev" href="https:\/\/p\/rubrik\/kinerja">/);
  assert.match(out, /<meta property="article:published_time" content="2026-11-12T01:00:00.000Z">/);
  assert.match(out, /<meta property="article:tag" content="a&lt;b">/);
  assert.match(out, /<meta name="description" content="Ringkasan &amp; isi">/);
  assert.match(out, /<script type="application\/ld\+json">\{"headline":"\\u003c\/script\\u003e"\}<\/script>/);
  assert.ok(!out.includes('noindex'));
});
