/**
 * The network sandbox for the publishing benchmark, in a process of its own so that the simulated
 * networks never share an event loop (or, when pinned, a core) with the Siar being measured.
 *
 * `node bench/publishing-sandbox.ts <mastodonAccounts> <blueskyAccounts>` starts the sandbox with its
 * default limits on free ports, creates the accounts, and prints one JSON line
 * `{ ready: true, accounts: [...] }`. It then answers one JSON line per command line on stdin:
 * - `count`: `{ created, statuses }`: posts created so far, and responses by status code;
 * - `report`: `{ created, statuses, byNetwork, stats, posts }`: per-account stats and every post as
 *   `[accountId, text, createdAt]` (createdAt is when the sandbox accepted it);
 * - `exit`: closes the sandbox and ends.
 *
 * Responses are counted by status code and network through Node's `http.server.response.finish`
 * diagnostics channel, so 429s are told apart from other 4xx: the sandbox's own `rejected` counter
 * includes Bluesky's 400 RecordNotFound, which the connector's read-before-write expects on every
 * first attempt.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Server, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { startSandbox, type SandboxAccount, type SandboxNetwork } from '../src/modules/sandbox/index.ts';

const mastodonCount = Number(process.argv[2] ?? 250);
const blueskyCount = Number(process.argv[3] ?? 250);

const sandbox = await startSandbox({ host: '127.0.0.1' });
const networkByPort = new Map<number, string>(Object.entries(sandbox.urls).filter(([, url]) => url !== '').map(([name, url]) => [Number(new URL(url).port), name]));
const statuses: Record<string, number> = {};
const byNetwork: Record<string, Record<string, number>> = {};
subscribe('http.server.response.finish', (message) => {
  const { response, server } = message as { response: ServerResponse; server: Server };
  const address = server.address();
  const network = networkByPort.get(typeof address === 'object' && address ? address.port : 0) ?? 'other';
  const code = String(response.statusCode);
  statuses[code] = (statuses[code] ?? 0) + 1;
  const counts = (byNetwork[network] ??= {});
  counts[code] = (counts[code] ?? 0) + 1;
});

const accounts: SandboxAccount[] = [];
const create = (network: SandboxNetwork, count: number) => {
  for (let i = 0; i < count; i += 1) {
    accounts.push(sandbox.createAccount(network, { handle: `bench${network.slice(0, 4)}${String(i).padStart(3, '0')}`, displayName: `Bench ${network} ${i}` }));
  }
};
create('mastodon', mastodonCount);
create('bluesky', blueskyCount);

const created = () => accounts.reduce((sum, a) => sum + sandbox.stats(a.id).created, 0);
const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

write({ ready: true, accounts: accounts.map((a) => ({ id: a.id, network: a.network, handle: a.handle, baseUrl: a.baseUrl, credentials: a.credentials, externalAccountId: a.externalAccountId })) });

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = line.trim();
  if (command === 'count') write({ created: created(), statuses });
  else if (command === 'report') {
    write({
      created: created(),
      statuses,
      byNetwork,
      stats: accounts.map((a) => ({ accountId: a.id, network: a.network, ...sandbox.stats(a.id) })),
      posts: accounts.flatMap((a) => sandbox.posts(a.id).map((p) => [a.id, p.text, p.createdAt])),
    });
  } else if (command === 'exit') void sandbox.close().then(() => process.exit(0));
  else write({ error: `unknown command ${command}` });
});
// The parent going away closes stdin: nothing is left running.
lines.on('close', () => void sandbox.close().then(() => process.exit(0)));
