/**
 * The public portal, served at the site's root: pages, feeds and sitemaps, share images, the
 * embeddable widget, short links and citizens' feedback. Each part registers its own routes here.
 */
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { shortLinkRoutes } from './links/routes.ts';
import { feedbackRoutes } from './feedback/routes.ts';
import { portalPageRoutes } from './routes.ts';
import { shareImageRoutes } from './share/routes.ts';
import { feedRoutes } from './feeds/routes.ts';
import { widgetRoutes } from './widget/routes.ts';
import { kinerjaPortalRoutes } from './kinerja/routes.ts';
import { regulationPortalRoutes } from './regulasi/routes.ts';

export async function portalRoutes(app: App, { services }: { services: Services }): Promise<void> {
  void app;
  void services;
  await app.register(shortLinkRoutes, { services });
  await app.register(feedbackRoutes, { services });
  await app.register(portalPageRoutes, { services });
  await app.register(shareImageRoutes, { services });
  await app.register(feedRoutes, { services });
  await app.register(widgetRoutes, { services });
  await app.register(kinerjaPortalRoutes, { services });
  await app.register(regulationPortalRoutes, { services });
}
