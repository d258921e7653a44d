import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connector } from '../connector.ts';
import { blueskyConnector } from './bluesky/connector.ts';
import { facebookConnector } from './facebook/connector.ts';
import { connectorFor, loaded } from './index.ts';
import { instagramConnector } from './instagram/connector.ts';
import { linkedinConnector } from './linkedin/connector.ts';
import { mastodonConnector } from './mastodon/connector.ts';
import { telegramConnector } from './telegram/connector.ts';
import { threadsConnector } from './threads/connector.ts';
import { tiktokConnector } from './tiktok/connector.ts';
import { webhookConnector } from './webhook/connector.ts';
import { xConnector } from './x/connector.ts';
import { youtubeConnector } from './youtube/connector.ts';

const OPTIONAL = ['refresh', 'capabilities', 'fetchMetrics', 'fetchComments', 'reply', 'edit'] as const;

test('the registry says what each real connector says about itself, and loads it on first use', async () => {
  const all: Connector[] = [mastodonConnector, blueskyConnector, telegramConnector, xConnector, linkedinConnector, facebookConnector, instagramConnector, threadsConnector, youtubeConnector, tiktokConnector, webhookConnector];
  for (const real of all) {
    const lazy = connectorFor(real.network)!;
    assert.equal(lazy.network, real.network);
    assert.equal(lazy.idempotent, real.idempotent, `${real.network}: idempotent`);
    assert.equal(lazy.verifiable ?? true, real.verifiable ?? true, `${real.network}: verifiable`);
    // The engine and the post page decide on these without loading the connector: they must match it.
    for (const method of OPTIONAL) assert.equal(typeof lazy[method], typeof real[method], `${real.network}: ${method}`);
    assert.equal(connectorFor(real.network), lazy, 'one instance per network');
    const behind = await loaded(lazy);
    assert.equal(behind.network, real.network);
    assert.equal(Boolean(behind.oauth), Boolean(real.oauth), `${real.network}: signs in with OAuth`);
  }
});
