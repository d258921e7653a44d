/**
 * Share image routes: `/berita/:slug/gambar.png` for each live article (the pages point og:image
 * here) and `/gambar-bagikan.png` for the site itself. Public, cached a day by readers, validated
 * by ETag; an unknown, not-yet-live or withdrawn article has none (404).
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../errors/errors.ts';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { sendCacheable } from '../feeds/http-cache.ts';
import { articleBySlug } from '../queries.ts';
import { ShareImageCache, imageVersion } from './image-cache.ts';
import type { ShareCard } from './render-share-image.ts';
import { portalSiteName } from './site.ts';

export const SITE_SHARE_IMAGE_PATH = '/gambar-bagikan.png';

/** The disk cache lives in the data folder; a throw-away (memory://) database keeps images in memory. */
export function shareImageCacheFor(config: Services['config']): ShareImageCache {
  return new ShareImageCache({ dir: config.dataDir.startsWith('memory://') ? null : path.join(config.dataDir, 'share-images') });
}

const CACHE_CONTROL = 'public, max-age=86400';

/** Bumped whenever render-share-image.ts changes the picture, so cached images are drawn again. */
export const SHARE_IMAGE_DESIGN = 1;

// The renderer (satori's layout engine, resvg's native module, the fonts) costs about 200 ms and
// 40 MB when loaded: only a process that is asked for a share image pays for it.
let renderer: Promise<typeof import('./render-share-image.ts')> | undefined;
const loadRenderer = () => (renderer ??= import('./render-share-image.ts'));

export async function shareImageRoutes(app: App, { services, cache = shareImageCacheFor(services.config) }: { services: Services; cache?: ShareImageCache }): Promise<void> {
  const { db } = services;

  const sendPng = (reply: Parameters<typeof sendCacheable>[1], request: Parameters<typeof sendCacheable>[0], png: Buffer, version: string) => {
    // Networks and other sites may show the picture: it is not limited to this origin.
    void reply.header('cross-origin-resource-policy', 'cross-origin');
    return sendCacheable(request, reply, { body: png, type: 'image/png', cacheControl: CACHE_CONTROL, etag: `"${version}"` });
  };

  // Must agree with portalPaths.shareImage (the test asks for the image at that address).
  app.get('/berita/:slug/gambar.png', {
    config: { auth: 'none' },
    schema: { hide: true, params: z.object({ slug: z.string().max(200) }) },
  }, async (request, reply) => {
    const article = await articleBySlug(db, request.params.slug);
    if (!article || !article.visible) throw new AppError('not_found');
    const card: ShareCard = {
      title: article.title,
      unitName: article.unit.name,
      publishedAt: article.publishedAt,
      rubric: article.rubric,
      urgent: article.urgent,
      siteName: await portalSiteName(db),
    };
    const version = imageVersion([SHARE_IMAGE_DESIGN, article.updatedAt.toISOString(), card]);
    const image = await cache.get(article.slug, version, async () => (await loadRenderer()).articleSharePng(card));
    return sendPng(reply, request, image.png, image.version);
  });

  app.get(SITE_SHARE_IMAGE_PATH, { config: { auth: 'none' }, schema: { hide: true } }, async (request, reply) => {
    const siteName = await portalSiteName(db);
    const image = await cache.get('_situs', imageVersion([SHARE_IMAGE_DESIGN, siteName]), async () => (await loadRenderer()).siteSharePng(siteName));
    return sendPng(reply, request, image.png, image.version);
  });
}
