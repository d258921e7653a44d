/** Network sandbox: simulated Mastodon, Bluesky and Telegram servers for practice, demos and tests. */
export { startSandbox } from './sandbox.ts';
export { defaultLimits, SANDBOX_NETWORKS, SANDBOX_PORT_ORDER } from './types.ts';
export type {
  RestoredAccount,
  Fault,
  FaultScope,
  RateWindow,
  Sandbox,
  SandboxAccount,
  SandboxLimits,
  SandboxMedia,
  SandboxNetwork,
  SandboxPost,
  SandboxStats,
  SandboxUrls,
  StartSandboxOptions,
} from './types.ts';
