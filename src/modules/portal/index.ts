/**
 * The public portal, served at the site's root: pages, feeds and sitemaps, share images, the
 * embeddable widget, short links and citizens' feedback. Each part registers its own routes here.
 */
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';

export async function portalRoutes(app: App, { services }: { services: Services }): Promise<void> {
  void app;
  void services;
}
