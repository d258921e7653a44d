/**
 * The pages a sent feedback form leads to: the form again (something to fix, the slower check
 * without JavaScript, too many sends), the thank-you page, and an article that is gone. Each is
 * for one visitor only (never cached) and keeps everything typed.
 */
import { escapeHtml } from '../render/html.ts';
import { portalPaths } from '../urls.ts';
import { renderFeedbackForm, type FeedbackFormState } from './form.ts';

export interface FeedbackArticle {
  slug: string;
  title: string;
  unit: { name: string };
}

/** Styles of the form, served as /umpan-balik.css and linked by the form itself (so any page showing it gets them). */
export const feedbackFormCss = `
.umpan-balik{margin:2rem 0;padding:1.25rem;border:1px solid #c9ced6;border-radius:8px;background:#f7f8fa;max-width:42rem}
.umpan-balik h2{margin-top:0}
.umpan-balik fieldset{border:0;padding:0;margin:0 0 1rem}
.umpan-balik legend{font-weight:600;margin-bottom:.25rem}
.umpan-balik-pilihan{display:inline-flex;align-items:center;gap:.35rem;margin-right:1.25rem;padding:.35rem 0}
.umpan-balik-isian label{display:block;font-weight:600}
.umpan-balik-petunjuk{display:block;color:#4a5260;font-size:.925rem;margin:.15rem 0 .35rem}
.umpan-balik textarea,.umpan-balik input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #5f6673;border-radius:4px}
.umpan-balik [aria-invalid=true]{border:2px solid #b3261e}
.umpan-balik-galat{color:#b3261e;margin:.25rem 0}
.umpan-balik-ringkasan{border:3px solid #b3261e;padding:.75rem 1rem;margin-bottom:1rem;background:#fff}
.umpan-balik-ringkasan h3{margin:0 0 .5rem;font-size:1.1rem}
.umpan-balik-ringkasan a{color:#b3261e}
.umpan-balik-catatan{border-left:4px solid #1d4f91;padding:.5rem 1rem;margin-bottom:1rem;background:#fff}
.umpan-balik button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4f91;color:#fff;cursor:pointer}
.umpan-balik button:disabled{opacity:.7;cursor:progress}
.umpan-balik :focus-visible{outline:3px solid #f2a900;outline-offset:2px}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.55;color:#1b1f24;margin:0;background:#fff}
.kerangka{max-width:46rem;margin:0 auto;padding:1rem 1.25rem 3rem}
.kerangka header{border-bottom:1px solid #d9dde3;padding-bottom:.5rem;margin-bottom:1.5rem}
a{color:#1d4f91}
:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
</style>
</head>
<body>
<div class="kerangka">
<header><a href="${portalPaths.home()}">Beranda portal berita</a></header>
<main id="isi">
${body}
</main>
</div>
</body>
</html>`;
}

function backLink(article: FeedbackArticle): string {
  return `<p><a href="${escapeHtml(portalPaths.article(article.slug))}">Kembali ke berita: ${escapeHtml(article.title)}</a></p>`;
}

/** The form again, with what was typed, errors beside their fields, or a note. */
export function formPage(article: FeedbackArticle, state: FeedbackFormState): string {
  const hasErrors = Object.values(state.errors ?? {}).some(Boolean);
  const title = `${hasErrors ? 'Perlu diperbaiki: ' : ''}Kirim masukan — ${article.title}`;
  return page(title, `<h1>Kirim masukan tentang berita ini</h1>
<p>Berita: <a href="${escapeHtml(portalPaths.article(article.slug))}">${escapeHtml(article.title)}</a> (${escapeHtml(article.unit.name)})</p>
${renderFeedbackForm(article.slug, state)}`);
}

export function thanksPage(article: FeedbackArticle): string {
  return page(`Terima kasih — ${article.title}`, `<h1>Terima kasih, pesan Anda sudah terkirim</h1>
<p>Pesan Anda kami teruskan kepada ${escapeHtml(article.unit.name)}. Pesan tidak ditampilkan di portal.</p>
<p>Bila Anda menuliskan kontak, petugas dapat menghubungi Anda untuk menjawab.</p>
${backLink(article)}`);
}

export function goneArticlePage(kind: 'unknown' | 'withdrawn'): string {
  return kind === 'unknown'
    ? page('Berita tidak ditemukan', `<h1>Berita tidak ditemukan</h1>
<p>Alamat berita ini tidak dikenal, sehingga pesan tidak dapat dikirim. Periksa alamatnya, atau cari beritanya dari <a href="${portalPaths.home()}">beranda</a>.</p>`)
    : page('Berita sudah ditarik', `<h1>Berita ini sudah ditarik</h1>
<p>Berita ini tidak lagi diterbitkan, sehingga masukan untuknya tidak diterima lagi. Anda dapat menghubungi unit penerbitnya secara langsung.</p>
<p><a href="${portalPaths.home()}">Ke beranda</a></p>`);
}

const witaTime = new Intl.DateTimeFormat('id-ID', { timeZone: 'Asia/Makassar', hour: '2-digit', minute: '2-digit' });

/** How long to wait, as a person says it: "3 menit (pukul 14.25 WITA)". */
export function waitText(waitMs: number, now: Date): string {
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return `${minutes} menit (sekitar pukul ${witaTime.format(new Date(now.getTime() + waitMs))} WITA)`;
}
