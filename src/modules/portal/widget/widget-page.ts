/**
 * The widget as a page for an <iframe> on another site: the same list as the script widget,
 * server-rendered, working without JavaScript, small, styled inline (the page loads nothing), and
 * with links that open at the top of the host's window rather than inside the frame.
 */
import { relativeTime } from '../time.ts';
import type { WidgetData } from './widget-data.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = [
  'html{color-scheme:light}',
  'body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1f2937;background:#fff}',
  'section{padding:12px 16px}',
  '.judul{font-size:16px;font-weight:700;margin:0 0 6px}',
  'ul{list-style:none;margin:0;padding:0}',
  'li{padding:8px 0;border-top:1px solid #e5e7eb}',
  'li:first-child{border-top:0}',
  'a{color:#1d4ed8;text-decoration:none}',
  'a:hover,a:focus-visible{text-decoration:underline}',
  'a:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}',
  '.waktu{display:block;font-size:13px;color:#4b5563}',
  '.sumber{font-size:13px;color:#4b5563;margin:8px 0 0}',
  '.pesan{margin:0;color:#374151}',
].join('');

function frame(title: string, body: string): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function widgetPage(data: WidgetData, now = new Date()): string {
  const items = data.items.map((item) => `<li><a href="${escapeHtml(item.url)}" target="_top">${escapeHtml(item.title)}</a>`
    + `<time class="waktu" datetime="${escapeHtml(item.publishedAt)}">${escapeHtml(relativeTime(new Date(item.publishedAt), now))}</time></li>`).join('\n');
  const list = data.items.length === 0 ? '<p class="pesan">Belum ada berita.</p>' : `<ul>\n${items}\n</ul>`;
  return frame(data.title, `<section aria-labelledby="judul">
<p class="judul" id="judul"><a href="${escapeHtml(data.url)}" target="_top">${escapeHtml(data.title)}</a></p>
${list}
<p class="sumber">Sumber: <a href="${escapeHtml(data.site.url)}" target="_top">${escapeHtml(data.site.name)}</a></p>
</section>`);
}

/** The page shown for a snippet that names an unknown unit or rubric. */
export function widgetProblemPage(message: string): string {
  return frame('Widget berita', `<section><p class="pesan" role="alert">${escapeHtml(message)}</p></section>`);
}
