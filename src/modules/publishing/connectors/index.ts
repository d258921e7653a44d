/**
 * The connectors Siar has, by network. A network without one yet answers undefined, and the
 * engine fails its targets with "Siar cannot publish to … yet".
 */
import type { Connector } from '../connector.ts';
import type { Network } from '../../networks/limits.ts';
import { blueskyConnector } from './bluesky/connector.ts';
import { mastodonConnector } from './mastodon/connector.ts';
import { telegramConnector } from './telegram/connector.ts';

const connectors: Partial<Record<Network, Connector>> = {
  mastodon: mastodonConnector,
  bluesky: blueskyConnector,
  telegram: telegramConnector,
};

export function connectorFor(network: Network): Connector | undefined {
  return connectors[network];
}

export { createBlueskyConnector } from './bluesky/connector.ts';
export { createMastodonConnector } from './mastodon/connector.ts';
export { createTelegramConnector, ThreadIncompleteError } from './telegram/connector.ts';
