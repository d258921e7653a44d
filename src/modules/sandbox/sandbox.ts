/**
 * Starts the network sandbox: one HTTP server per simulated network (so client libraries can use root-relative
 * paths) and one for the web timeline, all sharing one in-memory store.
 */
import type { FastifyInstance } from 'fastify';
import { SandboxStore } from './store.ts';
import type { StoredPost } from './store.ts';
import { defaultLimits, SANDBOX_NETWORKS } from './types.ts';
import type { RestoredAccount, Sandbox, SandboxAccount, SandboxNetwork, SandboxPost, SandboxUrls, StartSandboxOptions } from './types.ts';
import { listenOn } from './http.ts';
import { networkModules } from './networks.ts';
import type { NetworkContext } from './networks.ts';
import { webApp } from './web.ts';
import { Citizens } from './citizens.ts';
import type { NetworkSimulation } from './store.ts';

function presentPost(post: StoredPost): SandboxPost {
  return {
    id: post.id,
    accountId: post.accountId,
    text: post.text,
    createdAt: post.createdAt,
    replyTo: post.replyTo,
    media: post.media.map((m) => ({ ...m })),
    url: post.url,
    deleted: post.deleted,
  };
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const store = new SandboxStore({ ...defaultLimits, ...options.limits }, options.now ?? Date.now);
  const urls = Object.fromEntries([...SANDBOX_NETWORKS, 'web'].map((name) => [name, ''])) as SandboxUrls;
  const present = SANDBOX_NETWORKS.filter((network) => networkModules[network]);
  const contexts = new Map<SandboxNetwork, NetworkContext>(
    present.map((network) => [network, { store, baseUrl: () => urls[network], webUrl: () => urls.web }]),
  );

  const createAccount = (network: SandboxNetwork, input: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean }): SandboxAccount => {
    const module = networkModules[network];
    if (!module) throw new Error(`The sandbox has no ${network} yet`);
    return structuredClone(module.createAccount(store, urls[network], input));
  };

  const apps = new Map<SandboxNetwork | 'web', FastifyInstance>();
  for (const network of present) apps.set(network, networkModules[network]!.app(contexts.get(network)!));
  apps.set('web', webApp({ store, createAccount, presentPost, networks: present }));
  const started: FastifyInstance[] = [];
  try {
    for (const [name, app] of apps) {
      urls[name] = await listenOn(app, host, options.ports?.[name] ?? 0);
      started.push(app);
    }
  } catch (error) {
    await Promise.all(started.map((app) => app.close()));
    throw error;
  }

  const simulations: Partial<Record<SandboxNetwork, NetworkSimulation>> = {};
  for (const network of present) {
    const simulation = networkModules[network]!.simulation;
    if (simulation) simulations[network] = simulation(contexts.get(network)!);
  }
  const citizens = new Citizens(store, simulations, (network, citizen) => networkModules[network]!.createAccount(store, urls[network], { handle: citizen.handle, displayName: citizen.displayName, citizen: true }), { random: options.citizens?.random });
  if (options.citizens) citizens.start(options.citizens.intervalMs);

  return {
    urls: { ...urls },
    createAccount,
    restoreAccount: (network, input) => createAccount(network, input),
    accounts: () => store.accounts().map((a) => structuredClone(a)),
    posts: (accountId) => store.posts(accountId).map(presentPost),
    injectFault: (accountId, fault, onlyFor = 'publish') => store.injectFault(accountId, { ...fault }, onlyFor),
    clearFaults: (accountId) => store.clearFaults(accountId),
    stats: (accountId) => ({ ...store.stat(accountId) }),
    citizensStep: () => citizens.step(),
    close: async () => {
      citizens.stop();
      for (const app of started) app.server.closeAllConnections();
      await Promise.all(started.map((app) => app.close()));
    },
  };
}
