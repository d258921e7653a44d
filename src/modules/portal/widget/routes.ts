/**
 * The embeddable widget for other (government) sites:
 * - `/widget.js`: the script they paste; it reads `/widget/data.json` (public, CORS `*`, GET only,
 *   no credentials) and lists the latest news after its own tag.
 * - `/widget?unit=&rubrik=&jumlah=`: the same list as a page for an <iframe>, without JavaScript.
 *   It is the one portal page other sites may frame, so its reply replaces the site-wide
 *   `frame-ancestors 'none'` / `X-Frame-Options: DENY` with a policy of its own.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../errors/errors.ts';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { etagOf, sendCacheable } from '../feeds/http-cache.ts';
import { loadWidgetData, unknownMessage } from './widget-data.ts';
import { widgetPage, widgetProblemPage } from './widget-page.ts';

export const WIDGET_SCRIPT_PATH = '/widget.js';
export const WIDGET_DATA_PATH = '/widget/data.json';
export const WIDGET_PAGE_PATH = '/widget';

const script = readFileSync(new URL('./widget.js', import.meta.url));
const scriptEtag = etagOf(script);

const widgetQuery = z.object({
  unit: z.string().max(200).optional(),
  rubrik: z.string().max(200).optional(),
  jumlah: z.string().max(10).optional(),
});

/** The framed page loads nothing and runs nothing; any site may frame it. */
const FRAME_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *";

export async function widgetRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  app.get(WIDGET_SCRIPT_PATH, { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    // Loaded by <script src> from other origins: a same-origin resource policy would block it.
    void reply.header('cross-origin-resource-policy', 'cross-origin');
    return sendCacheable(request, reply, { body: script, type: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=3600', etag: scriptEtag });
  });

  await app.register(async (data: App) => {
    // Every answer here, errors included, may be read by any site; nothing private is in it.
    data.addHook('onRequest', (_request, reply, done) => {
      void reply.headers({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD',
        'cross-origin-resource-policy': 'cross-origin',
      });
      done();
    });
    data.options(WIDGET_DATA_PATH, { config: { auth: 'none' }, schema: { hide: true } }, async (_request, reply) =>
      reply.header('access-control-max-age', '86400').status(204).send());
    data.get(WIDGET_DATA_PATH, { config: { auth: 'none' }, schema: { hide: true, querystring: widgetQuery } }, async (request, reply) => {
      const result = await loadWidgetData(db, config, request.query);
      if (!result.ok) {
        const message = unknownMessage(result);
        throw new AppError('not_found', { details: { issues: [{ path: result.unknown, message: `${message.id} (${message.en})` }] } });
      }
      return sendCacheable(request, reply, { body: JSON.stringify(result.data), type: 'application/json; charset=utf-8', cacheControl: 'public, max-age=300' });
    });
  });

  app.get(WIDGET_PAGE_PATH, { config: { auth: 'none' }, schema: { hide: true, querystring: widgetQuery } }, async (request, reply) => {
    void reply.header('content-security-policy', FRAME_CSP).header('cross-origin-resource-policy', 'cross-origin').removeHeader('x-frame-options');
    const result = await loadWidgetData(db, config, request.query);
    if (!result.ok) {
      const message = unknownMessage(result);
      return reply.status(404).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(widgetProblemPage(`${message.id}`));
    }
    // Short: the page says "5 menit lalu", which ages.
    return sendCacheable(request, reply, { body: widgetPage(result.data), type: 'text/html; charset=utf-8', cacheControl: 'public, max-age=120' });
  });
}
