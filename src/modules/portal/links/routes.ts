/**
 * `GET /r/:code`: a short link from a social post. A live article answers 302 to its canonical
 * address with UTM tags and counts the click (people only: link-preview fetchers, prefetches and
 * HEAD requests are redirected but not counted); a withdrawn article answers 410 with a page that
 * says so; an unknown code or an article not live yet answers 404. Never cached, so each click
 * reaches the count and a withdrawal takes effect at once.
 */
import type { FastifyReply } from 'fastify';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { countClick, followShortLink, isAutomatedAgent } from './short-links.ts';

/** A plain page in the portal's language, for when a link leads nowhere. */
function page(title: string, message: string): string {
  return `<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a">
<main><h1>${title}</h1><p>${message}</p><p><a href="/">Ke beranda portal</a></p></main>
</body>
</html>
`;
}

const NOT_FOUND = page('Halaman tidak ditemukan', 'Tautan ini tidak mengarah ke berita mana pun, atau beritanya belum terbit.');
const WITHDRAWN = page('Berita telah ditarik', 'Berita yang dituju tautan ini telah ditarik dari portal.');

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

export async function shortLinkRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  app.get('/r/:code', { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const now = new Date();
    const outcome = await followShortLink(db, config, code, now);
    if (outcome.kind === 'not_found') return sendPage(reply, 404, NOT_FOUND);
    if (outcome.kind === 'withdrawn') return sendPage(reply, 410, WITHDRAWN);
    const prefetch = /prefetch|prerender/i.test(`${request.headers['sec-purpose'] ?? ''} ${request.headers.purpose ?? ''}`);
    if (request.method === 'GET' && !prefetch && !isAutomatedAgent(request.headers['user-agent'])) {
      // A lost count never costs the reader the article.
      await countClick(db, outcome.code, now).catch((error: unknown) => request.log.warn({ err: error, code: outcome.code }, 'short link click not counted'));
    }
    return reply.header('cache-control', 'no-store').redirect(outcome.location, 302);
  });
}
