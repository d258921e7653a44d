/**
 * Starts the network sandbox: one HTTP server per simulated network (so client libraries can use root-relative
 * paths) and one for the web timeline, all sharing one in-memory store.
 */
import type { FastifyInstance } from 'fastify';
import { SandboxStore } from './store.ts';
import type { StoredPost } from './store.ts';
import { defaultLimits } from './types.ts';
import type { RestoredAccount, Sandbox, SandboxAccount, SandboxNetwork, SandboxPost, SandboxUrls, StartSandboxOptions } from './types.ts';
import { listenOn } from './http.ts';
import { createMastodonAccount, mastodonApp } from './mastodon.ts';
import { blueskyApp, createBlueskyAccount } from './bluesky.ts';
import { createTelegramAccount, telegramApp } from './telegram.ts';
import { webApp } from './web.ts';

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
  const urls: SandboxUrls = { mastodon: '', bluesky: '', telegram: '', web: '' };
  const ctx = { store, webUrl: () => urls.web };

  const createAccount = (network: SandboxNetwork, input: { handle: string; displayName: string; restore?: RestoredAccount }): SandboxAccount => {
    const account =
      network === 'mastodon'
        ? createMastodonAccount(store, urls.mastodon, input)
        : network === 'bluesky'
          ? createBlueskyAccount(store, urls.bluesky, input)
          : createTelegramAccount(store, urls.telegram, input);
    return structuredClone(account);
  };

  const apps: Record<keyof SandboxUrls, FastifyInstance> = {
    mastodon: mastodonApp({ ...ctx, baseUrl: () => urls.mastodon }),
    bluesky: blueskyApp({ ...ctx, baseUrl: () => urls.bluesky }),
    telegram: telegramApp({ ...ctx, baseUrl: () => urls.telegram }),
    web: webApp({ store, createAccount, presentPost }),
  };
  const started: FastifyInstance[] = [];
  try {
    for (const name of ['mastodon', 'bluesky', 'telegram', 'web'] as const) {
      urls[name] = await listenOn(apps[name], host, options.ports?.[name] ?? 0);
      started.push(apps[name]);
    }
  } catch (error) {
    await Promise.all(started.map((app) => app.close()));
    throw error;
  }

  return {
    urls: { ...urls },
    createAccount,
    restoreAccount: (network, input) => createAccount(network, input),
    accounts: () => store.accounts().map((a) => structuredClone(a)),
    posts: (accountId) => store.posts(accountId).map(presentPost),
    injectFault: (accountId, fault, onlyFor = 'publish') => store.injectFault(accountId, { ...fault }, onlyFor),
    clearFaults: (accountId) => store.clearFaults(accountId),
    stats: (accountId) => ({ ...store.stat(accountId) }),
    close: async () => {
      for (const app of started) app.server.closeAllConnections();
      await Promise.all(started.map((app) => app.close()));
    },
  };
}
