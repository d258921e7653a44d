/**
 * The simulated networks the sandbox runs, one entry each: its HTTP server, how an account is
 * made (or restored with the identity Siar stored), and how simulated citizens reply and like there.
 */
import type { FastifyInstance } from 'fastify';
import type { NetworkSimulation, SandboxStore } from './store.ts';
import type { RestoredAccount, SandboxAccount, SandboxNetwork } from './types.ts';
import { createMastodonAccount, mastodonApp, mastodonSimulation } from './mastodon.ts';
import { blueskyApp, blueskySimulation, createBlueskyAccount } from './bluesky.ts';
import { createTelegramAccount, telegramApp, telegramSimulation } from './telegram.ts';
import { createFacebookAccount, facebookApp, facebookSimulation } from './facebook.ts';
import { createInstagramAccount, instagramApp, instagramSimulation } from './instagram.ts';
import { createThreadsAccount, threadsApp, threadsSimulation } from './threads.ts';
import { createXAccount, xApp, xSimulation } from './x.ts';
import { createLinkedinAccount, linkedinApp, linkedinSimulation } from './linkedin.ts';
import { createYoutubeAccount, youtubeApp, youtubeSimulation } from './youtube.ts';
import { createTiktokAccount, tiktokApp, tiktokSimulation } from './tiktok.ts';

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
  mastodon: { app: mastodonApp, createAccount: createMastodonAccount, simulation: mastodonSimulation },
  bluesky: { app: blueskyApp, createAccount: createBlueskyAccount, simulation: blueskySimulation },
  telegram: { app: telegramApp, createAccount: createTelegramAccount, simulation: telegramSimulation },
  facebook: { app: facebookApp, createAccount: createFacebookAccount, simulation: facebookSimulation },
  instagram: { app: instagramApp, createAccount: createInstagramAccount, simulation: instagramSimulation },
  threads: { app: threadsApp, createAccount: createThreadsAccount, simulation: threadsSimulation },
  x: { app: xApp, createAccount: createXAccount, simulation: xSimulation },
  linkedin: { app: linkedinApp, createAccount: createLinkedinAccount, simulation: linkedinSimulation },
  youtube: { app: youtubeApp, createAccount: createYoutubeAccount, simulation: youtubeSimulation },
  tiktok: { app: tiktokApp, createAccount: createTiktokAccount, simulation: tiktokSimulation },
};
