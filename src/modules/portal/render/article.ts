/**
 * An article's page: label, title, lead, pictures, body, who and when (with any correction), tags,
 * plain share links, related articles and the citizens' feedback form; and the page that answers
 * for an article that was withdrawn (when, not the text).
 */
import { sanitizeBody } from '../../compose/rich-text.ts';
import { feedbackFormHtml } from '../feedback/form.ts';
import type { ArticleCard, ArticlePage } from '../queries.ts';
import { fullDateTime } from '../time.ts';
import { portalPaths } from '../urls.ts';
import { html, trustedHtml, type SafeHtml } from './html.ts';
import { layout, type Site } from './layout.ts';
import { sertaMertaFacts } from './home.ts';
import { clip, DEFAULT_SHARE_IMAGE, newsArticleLd } from './meta.ts';
import { card, rubricLabel, timeTag, unitName } from './parts.ts';

export function shareLinks(url: string, title: string): { name: string; href: string }[] {
  const u = encodeURIComponent(url);
  const text = encodeURIComponent(title);
  return [
    { name: 'WhatsApp', href: `https://wa.me/?text=${encodeURIComponent(`${title} ${url}`)}` },
    { name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { name: 'X', href: `https://x.com/intent/post?text=${text}&url=${u}` },
    { name: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${text}` },
    { name: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
  ];
}

function figures(site: Site, article: ArticlePage): SafeHtml {
  return html`${article.media.map((m, i) => {
    const size = m.width && m.height ? html` width="${m.width}" height="${m.height}"` : '';
    const caption = m.caption ? html`<figcaption>${m.caption}</figcaption>` : '';
    if (m.kind === 'video') {
      return html`<figure class="gambar"><video controls preload="none" src="${site.filesBase + m.storageKey}"${size} aria-label="${m.alt}"${m.thumbnailKey ? html` poster="${site.filesBase + m.thumbnailKey}"` : ''}></video>${caption}</figure>\n`;
    }
    return html`<figure class="gambar"><img src="${site.filesBase + (m.webKey ?? m.storageKey)}" alt="${m.alt}"${size}${i === 0 ? html` fetchpriority="high"` : html` loading="lazy"`} decoding="async">${caption}</figure>\n`;
  })}`;
}

export function articlePage(site: Site, now: Date, article: ArticlePage, related: readonly ArticleCard[]): string {
  const canonical = site.base + portalPaths.article(article.slug);
  const image = site.base + portalPaths.shareImage(article.slug);
  const unitUrl = site.base + portalPaths.unit(article.unit.slug);
  const modifiedAt = article.correctedAt ?? article.publishedAt;
  const main = html`<article class="berita">
<header class="berita-kepala">
<p>${rubricLabel(article.rubric)}${article.urgent ? html` <span class="label-darurat">Serta-merta</span>` : ''}</p>
<h1>${article.title}</h1>
${article.lead ? html`<p class="berita-ringkas">${article.lead}</p>` : ''}
<p class="berita-info"><a href="${portalPaths.unit(article.unit.slug)}">${article.unit.name}</a>${article.authorInitials ? html` · <abbr title="Inisial penulis">${article.authorInitials}</abbr>` : ''}<br>
<time datetime="${article.publishedAt.toISOString()}">${fullDateTime(article.publishedAt)}</time> (${timeTag(article.publishedAt, now)})</p>
${article.correctedAt ? html`<p class="berita-koreksi"><strong>Diperbarui <time datetime="${article.correctedAt.toISOString()}">${fullDateTime(article.correctedAt)}</time>.</strong>${article.correctionNote ? html` Koreksi: ${article.correctionNote}` : ''}</p>` : ''}
</header>
${article.sertaMerta ? html`<section class="darurat" aria-labelledby="darurat-judul"><h2 id="darurat-judul">Informasi serta-merta</h2>${sertaMertaFacts(article.sertaMerta)}</section>\n` : ''}${figures(site, article)}<div class="berita-isi">
${trustedHtml(sanitizeBody(article.bodyHtml))}
</div>
${article.tags.length > 0 ? html`<section class="berita-tag" aria-labelledby="tag-judul"><h2 id="tag-judul">Tag</h2><ul>${article.tags.map((tag) => html`<li><a href="${portalPaths.tag(tag)}">${tag}</a></li>`)}</ul></section>\n` : ''}<section class="bagikan" aria-labelledby="bagikan-judul">
<h2 id="bagikan-judul">Bagikan</h2>
<ul>${shareLinks(canonical, article.title).map((s) => html`<li><a href="${s.href}" rel="noopener noreferrer">${s.name}</a></li>`)}</ul>
<label for="tautan-berita">Tautan berita ini</label>
<input id="tautan-berita" type="text" readonly value="${canonical}">
</section>
</article>
${related.length > 0 ? html`<section class="terkait" aria-labelledby="terkait-judul">
<h2 id="terkait-judul" class="bagian-judul">Berita terkait</h2>
<div class="daftar">
${related.map((item) => card(site, item, now, { level: 3 }))}</div>
</section>
` : ''}<div class="umpan-balik-bagian">
${trustedHtml(feedbackFormHtml(article.slug))}
</div>`;
  const author = { name: article.unit.name, url: unitUrl };
  const publisher = { name: site.name, url: `${site.base}/`, logoUrl: site.home.logoUrl };
  const description = article.lead || clip(article.bodyText, 200);
  return layout({
    site,
    main,
    rubricSlug: article.rubric?.slug,
    meta: {
      title: `${article.title} | ${site.shortName ?? site.name}`,
      description,
      canonical,
      siteName: site.name,
      type: 'article',
      image,
      imageAlt: article.title,
      article: { publishedAt: article.publishedAt, modifiedAt, section: article.rubric?.name, tags: article.tags },
      jsonLd: [newsArticleLd({
        title: article.title, description, canonical, image, publishedAt: article.publishedAt, modifiedAt,
        section: article.rubric?.name, tags: article.tags, language: article.language, author, publisher,
      })],
    },
  });
}

export function withdrawnPage(site: Site, article: ArticlePage): string {
  const withdrawnAt = article.withdrawnAt ?? article.updatedAt;
  const reason = article.withdrawnReason === 'cancelled' ? 'Penerbitannya dibatalkan oleh unit yang menerbitkannya.' : article.withdrawnReason;
  const main = html`<section class="pesan-halaman">
<h1>Berita ini telah ditarik</h1>
<p>Berita yang terbit pada <time datetime="${article.publishedAt.toISOString()}">${fullDateTime(article.publishedAt)}</time> oleh <a href="${portalPaths.unit(article.unit.slug)}">${unitName(article.unit)}</a> ditarik pada <time datetime="${withdrawnAt.toISOString()}">${fullDateTime(withdrawnAt)}</time>.</p>
${reason ? html`<p>Alasan: ${reason}</p>` : ''}
<p><a href="${portalPaths.home()}">Kembali ke beranda</a></p>
</section>`;
  return layout({
    site,
    main,
    meta: {
      title: `Berita ditarik | ${site.shortName ?? site.name}`,
      description: 'Berita ini telah ditarik oleh penerbitnya.',
      canonical: site.base + portalPaths.article(article.slug),
      siteName: site.name,
      type: 'website',
      image: site.base + DEFAULT_SHARE_IMAGE,
      imageAlt: site.name,
      noindex: true,
    },
  });
}
