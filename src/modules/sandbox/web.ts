/**
 * The sandbox's own web page: every simulated account's timeline exactly as published, plus a small JSON API for
 * trainers (create accounts, read posts, inject faults) so practice sessions need no code.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxStore, StoredPost } from './store.ts';
import { SANDBOX_NETWORKS, SANDBOX_NETWORK_NAMES as networkNames } from './types.ts';
import type { Fault, SandboxAccount, SandboxNetwork, SandboxPost } from './types.ts';
import { createApp, escapeHtml, linkify } from './http.ts';

const networkSchema = z.enum(SANDBOX_NETWORKS);
const times = z.number().int().positive().optional();
export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate_limit'), retryAfterSeconds: z.number().int().nonnegative(), times }),
  z.object({ kind: z.literal('server_error'), times }),
  z.object({ kind: z.literal('timeout'), ms: z.number().int().positive(), times }),
  z.object({ kind: z.literal('slow'), ms: z.number().int().positive().max(60_000), times }),
  z.object({ kind: z.literal('lost_response'), times }),
  z.object({ kind: z.literal('expired_token'), times }),
  z.object({ kind: z.literal('daily_cap'), times }),
  z.object({ kind: z.literal('container_error'), times }),
]);
const faultBody = z.object({ fault: faultSchema, onlyFor: z.enum(['publish', 'any']).optional() });
const accountBody = z.object({ network: networkSchema, handle: z.string().min(1).max(64), displayName: z.string().min(1).max(120) });

export interface WebDeps {
  store: SandboxStore;
  createAccount(network: SandboxNetwork, options: { handle: string; displayName: string }): SandboxAccount;
  presentPost(post: StoredPost): SandboxPost;
  /** The networks this sandbox runs. */
  networks: readonly SandboxNetwork[];
}


function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:8px;padding:.75rem 1rem;margin:.75rem 0}
article.reply{margin-left:2.5rem;border-left:4px solid #7aa}article.deleted{opacity:.5}
.meta{color:#555;font-size:.85rem}.media{font-size:.9rem;color:#333}
.card{display:block;border:1px solid #ccc;border-radius:8px;margin:.5rem 0;overflow:hidden;color:inherit;text-decoration:none}
.card img{display:block;width:100%;max-height:16rem;object-fit:cover}.card span{display:block;padding:.25rem .75rem}
.card .host{color:#555;font-size:.8rem}</style></head>
<body>${body}</body></html>`;
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}

function renderPost(post: StoredPost, depth: number, author: string | null = null): string {
  const media = post.media.length === 0
    ? ''
    : `<div class="media">${post.media.length} media: <ul>${post.media
        .map((m) => `<li>${escapeHtml(m.mime)}, ${m.bytes} bytes, alt: ${m.alt === '' ? '<em>(tanpa alt)</em>' : escapeHtml(m.alt)}</li>`)
        .join('')}</ul></div>`;
  const card = post.card
    ? `<a class="card" href="${escapeHtml(post.card.uri)}" rel="noopener">${post.card.thumbUrl ? `<img src="${escapeHtml(post.card.thumbUrl)}" alt="">` : ''}<span><strong>${escapeHtml(post.card.title)}</strong></span>${post.card.description ? `<span>${escapeHtml(post.card.description)}</span>` : ''}<span class="host">${escapeHtml(hostOf(post.card.uri))}</span></a>`
    : '';
  const anchor = post.rkey ?? post.id;
  const classes = [depth > 0 ? 'reply' : '', post.deleted ? 'deleted' : ''].filter(Boolean).join(' ');
  return `<article id="post-${escapeHtml(anchor)}" class="${classes}" style="margin-left:${Math.min(depth, 6) * 2.5}rem">
${author ? `<div class="author"><strong>${escapeHtml(author)}</strong></div>` : ''}${post.title ? `<div class="title"><strong>${escapeHtml(post.title)}</strong></div>` : ''}<div class="text">${linkify(post.text)}</div>${card}${media}
<div class="meta"><time datetime="${escapeHtml(post.createdAt)}">${escapeHtml(post.createdAt)}</time>${post.deleted ? ' · dihapus' : ''}${post.editedAt ? ' · disunting' : ''}${post.likes ? ` · ${post.likes} suka` : ''}</div></article>`;
}

/**
 * The account's posts, newest first, each with its conversation: the account's own thread parts and
 * everyone's replies (simulated citizens included, with their names), oldest first, indented under
 * what they answer.
 */
function renderTimeline(store: SandboxStore, account: SandboxAccount): string {
  const own = store.posts(account.id);
  const topOf = (post: StoredPost): StoredPost => {
    let top = post;
    for (let parent = top.replyTo ? store.findPost(account.network, top.replyTo) : undefined; parent; parent = parent.replyTo ? store.findPost(account.network, parent.replyTo) : undefined) top = parent;
    return top;
  };
  // A reply of this account under its own post shows in that conversation; under someone else's, on its own.
  const roots = own.filter((p) => p.replyTo === null || topOf(p).accountId !== account.id);
  const out: string[] = [];
  const walk = (post: StoredPost, depth: number): void => {
    const author = post.accountId === account.id ? null : (store.account(post.accountId)?.displayName ?? null);
    out.push(renderPost(post, depth, author));
    store.repliesTo(account.network, post.id).forEach((child) => walk(child, depth + 1));
  };
  roots.forEach((root) => walk(root, 0));
  return out.join('\n');
}

export function webApp(deps: WebDeps): FastifyInstance {
  const { store } = deps;
  const app = createApp(store);

  app.get('/', async (_request, reply) => {
    const items = store.accounts().map(
      (a) => `<li><a href="/${a.network}/${encodeURIComponent(a.handle)}">${escapeHtml(networkNames[a.network])}: ${escapeHtml(a.displayName)} (@${escapeHtml(a.handle)})</a> · ${store.posts(a.id).filter((p) => !p.deleted).length} kiriman${a.citizen ? ' · warga simulasi' : ''}</li>`,
    );
    const body = `<h1>Sandbox jaringan Siar</h1><p>Akun simulasi untuk latihan. Tidak ada yang terkirim ke jaringan sungguhan.</p>
<ul>${items.join('') || '<li>Belum ada akun.</li>'}</ul>`;
    return reply.type('text/html; charset=utf-8').send(page('Sandbox jaringan Siar', body));
  });

  app.get('/:network/:handle', async (request, reply) => {
    const { network, handle } = request.params as { network: string; handle: string };
    const parsed = networkSchema.safeParse(network);
    const account = parsed.success ? store.findAccount(parsed.data, (a) => a.handle === handle) : undefined;
    if (!account) return reply.code(404).type('text/html; charset=utf-8').send(page('Tidak ditemukan', '<h1>Akun tidak ditemukan</h1>'));
    const body = `<p><a href="/">← semua akun</a></p><h1>${escapeHtml(account.displayName)}</h1>
<p class="meta">${escapeHtml(networkNames[account.network])} · @${escapeHtml(account.handle)}</p>
${renderTimeline(store, account) || '<p>Belum ada kiriman.</p>'}`;
    return reply.type('text/html; charset=utf-8').send(page(`${account.displayName} (${networkNames[account.network]})`, body));
  });

  app.post('/_api/accounts', async (request, reply) => {
    const parsed = accountBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_account', issues: parsed.error.issues });
    try {
      return reply.code(201).send(deps.createAccount(parsed.data.network, parsed.data));
    } catch (error) {
      return reply.code(409).send({ error: 'account_exists', message: error instanceof Error ? error.message : String(error) });
    }
  });

  app.get('/_api/accounts', async () => store.accounts());

  app.get('/_api/accounts/:id/posts', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!store.account(id)) return reply.code(404).send({ error: 'account_not_found' });
    return { posts: store.posts(id).map(deps.presentPost), stats: { ...store.stat(id) } };
  });

  app.post('/_api/accounts/:id/faults', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!store.account(id)) return reply.code(404).send({ error: 'account_not_found' });
    const parsed = faultBody.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_fault', issues: parsed.error.issues });
    store.injectFault(id, parsed.data.fault satisfies Fault, parsed.data.onlyFor ?? 'publish');
    return reply.code(201).send({ ok: true });
  });

  app.delete('/_api/accounts/:id/faults', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!store.account(id)) return reply.code(404).send({ error: 'account_not_found' });
    store.clearFaults(id);
    return { ok: true };
  });

  return app;
}
