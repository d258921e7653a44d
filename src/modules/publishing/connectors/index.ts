/**
 * The connectors Siar has, by network. A network without one yet answers undefined, and the
 * engine fails its targets with "Siar cannot publish to … yet".
 *
 * Each connector's client library (masto, @atproto/api, grammY) is loaded the first time that
 * network is used, not when Siar starts: most processes publish to a few networks, and the
 * libraries are a large part of a cold start's time and memory.
 */
import type { Connector } from '../connector.ts';
import type { Network } from '../../networks/limits.ts';

interface LazySpec {
  load: () => Promise<Connector>;
  idempotent: boolean;
  verifiable: boolean;
  refreshes: boolean;
}

const specs: Partial<Record<Network, LazySpec>> = {
  mastodon: { load: async () => (await import('./mastodon/connector.ts')).mastodonConnector, idempotent: true, verifiable: true, refreshes: false },
  bluesky: { load: async () => (await import('./bluesky/connector.ts')).blueskyConnector, idempotent: true, verifiable: true, refreshes: true },
  telegram: { load: async () => (await import('./telegram/connector.ts')).telegramConnector, idempotent: false, verifiable: false, refreshes: false },
};

function lazy(network: Network, spec: LazySpec): Connector {
  let loaded: Promise<Connector> | undefined;
  const real = () => (loaded ??= spec.load());
  const connector: Connector = {
    network,
    idempotent: spec.idempotent,
    verifiable: spec.verifiable,
    publish: async (request) => (await real()).publish(request),
    findPublished: async (request) => (await real()).findPublished(request),
    remove: async (request) => (await real()).remove(request),
    verify: async (request) => (await real()).verify(request),
  };
  if (spec.refreshes) {
    Object.assign(connector, { refresh: async (request: Parameters<NonNullable<Connector['refresh']>>[0]) => (await real()).refresh!(request) });
  }
  return connector;
}

const connectors = new Map<Network, Connector>();

export function connectorFor(network: Network): Connector | undefined {
  const spec = specs[network];
  if (!spec) return undefined;
  let connector = connectors.get(network);
  if (!connector) {
    connector = lazy(network, spec);
    connectors.set(network, connector);
  }
  return connector;
}
