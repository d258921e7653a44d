import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blueskyConnector } from './bluesky/connector.ts';
import { connectorFor } from './index.ts';
import { mastodonConnector } from './mastodon/connector.ts';
import { telegramConnector } from './telegram/connector.ts';

test('the registry says what each real connector says about itself, and loads it on first use', () => {
  for (const real of [mastodonConnector, blueskyConnector, telegramConnector]) {
    const lazy = connectorFor(real.network)!;
    assert.equal(lazy.network, real.network);
    assert.equal(lazy.idempotent, real.idempotent);
    assert.equal(lazy.verifiable ?? true, real.verifiable ?? true);
    assert.equal(typeof lazy.refresh, typeof real.refresh, `${real.network}: refresh`);
    assert.equal(connectorFor(real.network), lazy, 'one instance per network');
  }
  assert.equal(connectorFor('youtube'), undefined);
});
