/**
 * `channels.refresh-tokens`, every half hour: renews tokens before they run out, so a channel that
 * publishes rarely (a 60-day Instagram or Threads token, a Facebook user token) is never found
 * expired on the morning of a scheduled post. A token with less than a week left is renewed, at
 * most once a day per channel; renewing also keeps short-lived tokens' refresh tokens in use, which
 * some networks require. A renewal the network refuses marks the channel "needs reconnecting" and
 * tells its unit's admins at once, days before anything would have failed to publish.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { defineJob } from '../../jobs/define-job.ts';
import type { Network } from '../networks/limits.ts';
import { ConnectorError, type Connector } from './connector.ts';
import { connectorFor } from './connectors/index.ts';
import { freshCredentials, markNeedsReconnect } from './channel-tokens.ts';
import type { Keyring } from './keyring.ts';

export const REFRESH_TOKENS = 'channels.refresh-tokens';
const RENEW_WITHIN_MS = 7 * 86_400_000;
const AT_MOST_EVERY_MS = 86_400_000;

export interface RefreshSummary {
  checked: number;
  renewed: number;
  needsReconnect: number;
  failed: number;
}

export async function refreshExpiringTokens(deps: {
  db: Kysely<DB>;
  keyring: Keyring;
  connectorFor: (network: Network) => Connector | undefined;
  now?: Date;
}): Promise<RefreshSummary> {
  const now = deps.now ?? new Date();
  const rows = await deps.db.selectFrom('channels').selectAll()
    .where('connection', '=', 'connected')
    .where('token_expires_at', 'is not', null)
    .where('token_expires_at', '<', new Date(now.getTime() + RENEW_WITHIN_MS))
    .where((eb) => eb.or([eb('token_refreshed_at', 'is', null), eb('token_refreshed_at', '<', new Date(now.getTime() - AT_MOST_EVERY_MS))]))
    .orderBy('token_expires_at').limit(500).execute();
  const summary: RefreshSummary = { checked: rows.length, renewed: 0, needsReconnect: 0, failed: 0 };
  for (const channel of rows) {
    const connector = deps.connectorFor(channel.network as Network);
    if (!connector?.refresh) continue;
    try {
      // The margin spans the whole week, so the selected token is renewed (unless another process just did).
      await freshCredentials({ db: deps.db, keyring: deps.keyring, now: () => now }, channel, connector, { signal: AbortSignal.timeout(30_000), marginMs: RENEW_WITHIN_MS });
      summary.renewed += 1;
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'auth') {
        await markNeedsReconnect(deps.db, channel, error.reason);
        summary.needsReconnect += 1;
      } else {
        // The network was unreachable or busy: the next run tries again, well before expiry.
        summary.failed += 1;
      }
    }
  }
  return summary;
}

export const refreshTokensJob = defineJob({
  name: REFRESH_TOKENS,
  payload: z.strictObject({}),
  retry: { limit: 1, delaySeconds: 60, backoff: false },
  expireInSeconds: 900,
  schedule: { cron: '*/30 * * * *', data: {} },
  async handle(_payload, { services }) {
    return refreshExpiringTokens({ db: services.db, keyring: services.keyring, connectorFor: services.connectors ?? connectorFor });
  },
});
