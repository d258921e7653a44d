/**
 * The connectors Siar has, by network. A network without one answers undefined, and the engine
 * fails its targets with "Siar cannot publish to … yet".
 *
 * Each connector's client library and code are loaded the first time that network is used, not
 * when Siar starts: most processes publish to a few networks, and the libraries are a large part
 * of a cold start's time and memory. The registry says up front what each connector can do (the
 * engine decides on `idempotent`, `verifiable` and whether a refresh exists without loading it).
 */
import { ConnectorError } from '../connector.ts';
import type { Connector } from '../connector.ts';
import type { Network } from '../../networks/limits.ts';

type Optional = 'refresh' | 'capabilities' | 'fetchMetrics' | 'fetchComments' | 'reply' | 'edit';

interface LazySpec {
  load: () => Promise<Connector>;
  idempotent: boolean;
  verifiable: boolean;
  /** Optional methods the connector implements. */
  has: readonly Optional[];
  /** Whether it signs in with OAuth (the flow itself is on the loaded connector). */
  oauth: boolean;
  /** A publish that takes longer than usual (media fetched and processed by the network, video uploads). */
  callTimeoutMs?: number;
}

const READS = ['capabilities', 'fetchMetrics', 'fetchComments', 'reply'] as const;

/** The apps registered at each network (from configuration), read by connectors when renewing tokens. */
let oauthApps: Partial<Record<string, { clientId: string; clientSecret?: string | undefined }>> = {};

export function configureOAuthApps(apps: typeof oauthApps | undefined): void {
  oauthApps = apps ?? {};
}

const appOf = (network: Network) => () => {
  const app = oauthApps[network];
  return app ? { clientId: app.clientId, clientSecret: app.clientSecret ?? null } : null;
};

const specs: Partial<Record<Network, LazySpec>> = {
  mastodon: { load: async () => (await import('./mastodon/connector.ts')).mastodonConnector, idempotent: true, verifiable: true, has: [...READS, 'edit'], oauth: false },
  bluesky: { load: async () => (await import('./bluesky/connector.ts')).blueskyConnector, idempotent: true, verifiable: true, has: ['refresh', ...READS], oauth: false },
  telegram: { load: async () => (await import('./telegram/connector.ts')).telegramConnector, idempotent: false, verifiable: false, has: ['capabilities', 'edit'], oauth: false },
  x: { load: async () => (await import('./x/connector.ts')).createXConnector({ oauthClient: appOf('x') }), idempotent: false, verifiable: true, has: ['refresh', ...READS], oauth: true },
  facebook: { load: async () => (await import('./facebook/connector.ts')).facebookConnector, idempotent: false, verifiable: true, has: [...READS, 'edit'], oauth: true },
  instagram: { load: async () => (await import('./instagram/connector.ts')).instagramConnector, idempotent: false, verifiable: true, has: ['refresh', ...READS], oauth: true, callTimeoutMs: 180_000 },
  threads: { load: async () => (await import('./threads/connector.ts')).threadsConnector, idempotent: false, verifiable: true, has: ['refresh', ...READS], oauth: true, callTimeoutMs: 120_000 },
  youtube: { load: async () => (await import('./youtube/connector.ts')).youtubeConnector, idempotent: false, verifiable: true, has: ['refresh', ...READS, 'edit'], oauth: true, callTimeoutMs: 900_000 },
  tiktok: { load: async () => (await import('./tiktok/connector.ts')).tiktokConnector, idempotent: false, verifiable: true, has: ['refresh', 'capabilities', 'fetchMetrics', 'reply'], oauth: true, callTimeoutMs: 600_000 },
  webhook: { load: async () => (await import('./webhook/connector.ts')).webhookConnector, idempotent: true, verifiable: true, has: ['capabilities', 'edit'], oauth: false },
  linkedin: { load: async () => (await import('./linkedin/connector.ts')).createLinkedInConnector({ oauthClient: appOf('linkedin') }), idempotent: false, verifiable: true, has: ['refresh', ...READS, 'edit'], oauth: true },
};

/** A connector standing in for one not loaded yet; `load()` gives the real one (OAuth needs it). */
export interface LazyConnector extends Connector {
  load(): Promise<Connector>;
}

function lazy(network: Network, spec: LazySpec): LazyConnector {
  let loaded: Promise<Connector> | undefined;
  const real = () => (loaded ??= spec.load());
  const connector: LazyConnector = {
    network,
    idempotent: spec.idempotent,
    verifiable: spec.verifiable,
    ...(spec.callTimeoutMs ? { callTimeoutMs: spec.callTimeoutMs } : {}),
    load: real,
    publish: async (request) => (await real()).publish(request),
    findPublished: async (request) => (await real()).findPublished(request),
    remove: async (request) => (await real()).remove(request),
    verify: async (request) => (await real()).verify(request),
  };
  for (const method of spec.has) {
    Object.assign(connector, {
      [method]: async (request: never) => {
        const loadedConnector = await real();
        const implementation = loadedConnector[method] as ((request: never) => Promise<unknown>) | undefined;
        if (!implementation) {
          throw new ConnectorError('permanent', 'not_supported', { id: 'Jaringan ini tidak mendukung tindakan tersebut.', en: 'This network does not support that action.' });
        }
        return implementation.call(loadedConnector, request);
      },
    });
  }
  return connector;
}

const connectors = new Map<Network, LazyConnector>();

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

/** Whether the network's connector signs in with OAuth (without loading it). */
export function signsInWithOAuth(network: Network): boolean {
  return specs[network]?.oauth ?? false;
}

/** The real connector behind a lazy one (or the connector itself: tests pass real ones). */
export async function loaded(connector: Connector): Promise<Connector> {
  const load = (connector as Partial<LazyConnector>).load;
  return typeof load === 'function' ? load() : connector;
}
