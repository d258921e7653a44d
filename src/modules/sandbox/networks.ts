/**
 * The simulated networks the sandbox runs, one entry each: its HTTP server, how an account is
 * made (or restored with the identity Siar stored), and how simulated citizens reply and like there.
 */
import type { FastifyInstance } from 'fastify';
import type { NetworkSimulation, SandboxStore } from './store.ts';
import type { RestoredAccount, SandboxAccount, SandboxNetwork } from './types.ts';
import { createMastodonAccount, mastodonApp } from './mastodon.ts';
import { blueskyApp, createBlueskyAccount } from './bluesky.ts';
import { createTelegramAccount, telegramApp } from './telegram.ts';

export interface NetworkContext {
  store: SandboxStore;
  /** This network's own root URL (known once its server listens). */
  baseUrl: () => string;
  /** The sandbox web page's root (links to a post's page). */
  webUrl: () => string;
}

export interface NetworkModule {
  app(ctx: NetworkContext): FastifyInstance;
  createAccount(store: SandboxStore, baseUrl: string, input: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean }): SandboxAccount;
  simulation?(ctx: NetworkContext): NetworkSimulation;
}

export const networkModules: Partial<Record<SandboxNetwork, NetworkModule>> = {
  mastodon: { app: mastodonApp, createAccount: createMastodonAccount },
  bluesky: { app: blueskyApp, createAccount: createBlueskyAccount },
  telegram: { app: telegramApp, createAccount: createTelegramAccount },
};
