/**
 * The public portal, served at the site's root: pages, feeds and sitemaps, share images, the
 * embeddable widget, short links and citizens' feedback. Each part registers its own routes here.
 */
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { shortLinkRoutes } from './links/routes.ts';
import { feedbackRoutes } from './feedback/routes.ts';
import { portalNotFound, portalPageRoutes } from './routes.ts';
import { shareImageRoutes } from './share/routes.ts';
import { feedRoutes } from './feeds/routes.ts';
import { widgetRoutes } from './widget/routes.ts';
import { kinerjaPortalRoutes } from './kinerja/routes.ts';
import { regulationPortalRoutes } from './regulasi/routes.ts';

/** A NUL anywhere in the address (`%00`): no portal page has one, and PostgreSQL text cannot hold it. */
const NUL_IN_URL = /%00/i;

export async function portalRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const notFound = portalNotFound(services);
  app.addHook('onRequest', async (request, reply) => {
    if (NUL_IN_URL.test(request.url)) return notFound(request, reply);
  });
  await app.register(shortLinkRoutes, { services });
  await app.register(feedbackRoutes, { services });
  await app.register(portalPageRoutes, { services });
  await app.register(shareImageRoutes, { services });
  await app.register(feedRoutes, { services });
  await app.register(widgetRoutes, { services });
  await app.register(kinerjaPortalRoutes, { services });
  await app.register(regulationPortalRoutes, { services });
}
