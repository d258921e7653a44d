/**
 * Simulated Telegram Bot API for a bot that posts to one channel: getMe, getChat, sendMessage, sendPhoto,
 * sendMediaGroup, editMessageText, editMessageCaption, deleteMessage. Answers use the Bot API envelope
 * `{ ok, result }` / `{ ok: false, error_code, description, parameters }`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NetworkSimulation, SandboxStore, StoredPost } from './store.ts';
import type { SandboxAccount, RestoredAccount } from './types.ts';
import { applyTransportFault, bindAccount, createApp, readBody, sniffMime, str } from './http.ts';
import type { UploadedFile } from './http.ts';

const publishingMethods = new Set(['sendmessage', 'sendphoto', 'sendmediagroup']);

interface Context {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

interface ChannelState {
  nextMessageId: number;
  /** message_id → the post it belongs to (an album is one post made of several messages). */
  messages: Map<number, StoredPost>;
}

const channels = new WeakMap<SandboxStore, Map<string, ChannelState>>();

function channelOf(store: SandboxStore, accountId: string): ChannelState {
  let map = channels.get(store);
  if (!map) {
    map = new Map();
    channels.set(store, map);
  }
  let state = map.get(accountId);
  if (!state) {
    state = { nextMessageId: 1, messages: new Map() };
    map.set(accountId, state);
  }
  return state;
}

export function createTelegramAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const handle = options.handle.replace(/^@/, '');
  const botId = 7_000_000_000 + Math.floor(Math.random() * 999_999_999);
  const chatId = restore?.externalAccountId ?? `-100${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}`;
  return store.addAccount({
    id: restore?.id ?? randomUUID(),
    network: 'telegram',
    handle,
    displayName: options.displayName,
    baseUrl,
    credentials: { botToken: restore?.credentials.botToken ?? `${botId}:${randomBytes(26).toString('base64url').slice(0, 35)}`, chatId: `@${handle}` },
    externalAccountId: chatId,
    ...(options.citizen ? { citizen: true } : {}),
  });
}

function fail(reply: FastifyReply, code: number, description: string, parameters?: Record<string, unknown>): FastifyReply {
  return reply.code(code).send({ ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
}

function ok(result: unknown): Record<string, unknown> {
  return { ok: true, result };
}

/** Telegram counts text after entity parsing: markup is not part of the message. */
function parseText(text: string, parseMode: string | undefined): string {
  if (parseMode?.toLowerCase() === 'html') {
    return text
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  }
  if (parseMode === 'MarkdownV2' || parseMode === 'Markdown') {
    return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\\(.)/g, '$1').replace(/(?<!\\)[*_~`|]/g, '');
  }
  return text;
}

function length(text: string): number {
  // The Bot API counts UTF-16 code units.
  return text.length;
}

function chatView(account: SandboxAccount): Record<string, unknown> {
  return { id: Number(account.externalAccountId), title: account.displayName, username: account.handle, type: 'channel' };
}

function botUser(account: SandboxAccount): Record<string, unknown> {
  const id = Number(account.credentials.botToken?.split(':')[0] ?? 0);
  return {
    id,
    is_bot: true,
    first_name: `${account.displayName} Bot`,
    username: `${account.handle.replace(/[^A-Za-z0-9_]/g, '_')}_bot`,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

interface MediaInput {
  mime: string;
  bytes: number;
  fileId: string;
}

function resolveMedia(ctx: Context, account: SandboxAccount, value: unknown, files: UploadedFile[], field: string): MediaInput | string {
  const reference = str(value);
  let file: UploadedFile | undefined;
  if (reference?.startsWith('attach://')) file = files.find((f) => f.field === reference.slice('attach://'.length));
  else if (reference === undefined) file = files.find((f) => f.field === field);
  if (file) {
    const media = ctx.store.addMedia({ accountId: account.id, mime: sniffMime(file.data, file.mime), alt: '', bytes: file.data.length, data: file.data });
    return { mime: media.mime, bytes: media.bytes, fileId: `AgAC${media.id.replace(/-/g, '')}` };
  }
  if (!reference) return 'Bad Request: there is no photo in the request';
  if (/^https?:\/\//.test(reference)) return { mime: 'image/jpeg', bytes: 0, fileId: `AgAC${randomBytes(16).toString('hex')}` };
  const known = [...ctx.store.media.values()].find((m) => `AgAC${m.id.replace(/-/g, '')}` === reference);
  if (known) return { mime: known.mime, bytes: known.bytes, fileId: reference };
  return 'Bad Request: wrong file identifier/HTTP URL specified';
}

function photoSizes(media: MediaInput): Record<string, unknown>[] {
  return [
    { file_id: media.fileId, file_unique_id: media.fileId.slice(4, 20), width: 320, height: 320, file_size: Math.min(media.bytes, 20_000) },
    { file_id: media.fileId, file_unique_id: media.fileId.slice(4, 21), width: 1280, height: 1280, file_size: media.bytes },
  ];
}

function replyTarget(fields: Record<string, unknown>): number | undefined {
  let parameters = fields.reply_parameters;
  if (typeof parameters === 'string') {
    try {
      parameters = JSON.parse(parameters) as unknown;
    } catch {
      parameters = undefined;
    }
  }
  const fromParameters = parameters && typeof parameters === 'object' ? (parameters as { message_id?: unknown }).message_id : undefined;
  const id = Number(fromParameters ?? fields.reply_to_message_id);
  return Number.isFinite(id) && id > 0 ? id : undefined;
}

export function telegramApp(ctx: Context): FastifyInstance {
  const { store } = ctx;
  const app = createApp(store);

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const { token, method } = request.params as { token: string; method: string };
    const account = store.findAccount('telegram', (a) => a.credentials.botToken === token);
    if (!account) return fail(reply, 401, 'Unauthorized');
    bindAccount(store, request, account.id);
    const name = method.toLowerCase();
    const publishing = publishingMethods.has(name);
    const fault = store.takeFault(account.id, publishing);
    if (fault) {
      if (await applyTransportFault(store, request, reply, fault)) return reply;
      if (fault.kind === 'rate_limit') {
        reply.header('Retry-After', String(fault.retryAfterSeconds));
        return fail(reply, 429, `Too Many Requests: retry after ${fault.retryAfterSeconds}`, { retry_after: fault.retryAfterSeconds });
      }
      if (fault.kind === 'daily_cap') {
        const day = 86_400_000;
        const seconds = Math.ceil(((Math.floor(store.now() / day) + 1) * day - store.now()) / 1000);
        reply.header('Retry-After', String(seconds));
        return fail(reply, 429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
      }
      if (fault.kind === 'expired_token') return fail(reply, 401, 'Unauthorized');
      if (fault.kind === 'server_error') return fail(reply, 500, 'Internal Server Error');
    }
    const { fields: bodyFields, files } = await readBody(request);
    const fields = { ...(request.query as Record<string, unknown>), ...bodyFields };
    if (name === 'getme') return ok(botUser(account));
    const chatId = str(fields.chat_id);
    const chatMatches = chatId !== undefined && (chatId === account.externalAccountId || chatId.toLowerCase() === `@${account.handle.toLowerCase()}`);
    const needsChat = ['getchat', 'sendmessage', 'sendphoto', 'sendmediagroup', 'deletemessage', 'editmessagetext', 'editmessagecaption'];
    if (!needsChat.includes(name)) return fail(reply, 404, 'Not Found');
    if (chatId === undefined || chatId === '') return fail(reply, 400, 'Bad Request: chat_id is empty');
    if (!chatMatches) return fail(reply, 400, 'Bad Request: chat not found');
    const channel = channelOf(store, account.id);
    if (name === 'getchat') return ok({ ...chatView(account), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false } });

    if (name === 'deletemessage') {
      const messageId = Number(fields.message_id);
      const post = channel.messages.get(messageId);
      if (!post) return fail(reply, 400, 'Bad Request: message to delete not found');
      channel.messages.delete(messageId);
      if (![...channel.messages.values()].includes(post)) post.deleted = true;
      return ok(true);
    }

    const date = Math.floor(store.now() / 1000);
    const baseMessage = (messageId: number) => ({ message_id: messageId, sender_chat: chatView(account), chat: chatView(account), date });

    if (name === 'editmessagecaption') {
      const messageId = Number(fields.message_id);
      const post = channel.messages.get(messageId);
      if (!post) return fail(reply, 400, 'Bad Request: message to edit not found');
      if (post.media.length === 0) return fail(reply, 400, 'Bad Request: there is no caption in the message to edit');
      const caption = parseText(str(fields.caption) ?? '', str(fields.parse_mode));
      if (length(caption) > 1024) return fail(reply, 400, 'Bad Request: message caption is too long');
      // An album's caption is the first item's; the other items' captions are not shown here.
      const shown = messageId === post.messageId;
      if (shown && caption === post.text) return fail(reply, 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      if (shown) {
        post.text = caption;
        post.editedAt = new Date(store.now()).toISOString();
      }
      return ok({ ...baseMessage(messageId), edit_date: date, caption });
    }

    if (name === 'editmessagetext') {
      const messageId = Number(fields.message_id);
      const post = channel.messages.get(messageId);
      if (!post) return fail(reply, 400, 'Bad Request: message to edit not found');
      if (post.media.length > 0) return fail(reply, 400, 'Bad Request: there is no text in the message to edit');
      const text = parseText(str(fields.text) ?? '', str(fields.parse_mode));
      if (text.trim() === '') return fail(reply, 400, 'Bad Request: message text is empty');
      if (length(text) > 4096) return fail(reply, 400, 'Bad Request: message is too long');
      if (text === post.text) return fail(reply, 400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      post.text = text;
      post.editedAt = new Date(store.now()).toISOString();
      return ok({ ...baseMessage(messageId), edit_date: date, text });
    }

    // Publishing: one message per minute window per channel, as Telegram's flood control answers.
    const window = store.limits.telegramMessagesPerChat;
    const replyTo = replyTarget(fields);
    if (replyTo !== undefined && !channel.messages.has(replyTo)) return fail(reply, 400, 'Bad Request: message to be replied not found');
    const record = (messageIds: number[], text: string, media: StoredPost['media'], groupId?: string): StoredPost => {
      const first = messageIds[0] ?? 0;
      const post = store.addPost({
        id: String(first),
        accountId: account.id,
        network: 'telegram',
        text,
        createdAt: new Date(store.now()).toISOString(),
        replyTo: replyTo === undefined ? null : String(replyTo),
        media,
        mediaIds: [],
        visibility: 'public',
        url: `${ctx.webUrl()}/telegram/${encodeURIComponent(account.handle)}#post-${first}`,
        deleted: false,
        messageId: first,
        ...(groupId ? { mediaGroupId: groupId } : {}),
      });
      for (const id of messageIds) channel.messages.set(id, post);
      return post;
    };
    const checkFlood = (count: number): boolean => {
      const hit = store.hit(`telegram:${account.id}`, window, count);
      if (hit.allowed) return true;
      const seconds = Math.max(1, Math.ceil((hit.resetAt - store.now()) / 1000));
      reply.header('Retry-After', String(seconds));
      fail(reply, 429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
      return false;
    };
    const replyField = replyTo === undefined ? {} : { reply_to_message: { ...baseMessage(replyTo) } };

    if (name === 'sendmessage') {
      const text = parseText(str(fields.text) ?? '', str(fields.parse_mode));
      if (text.trim() === '') return fail(reply, 400, 'Bad Request: message text is empty');
      if (length(text) > 4096) return fail(reply, 400, 'Bad Request: message is too long');
      if (!checkFlood(1)) return reply;
      const messageId = channel.nextMessageId++;
      record([messageId], text, []);
      return ok({ ...baseMessage(messageId), ...replyField, text });
    }

    if (name === 'sendphoto') {
      const caption = parseText(str(fields.caption) ?? '', str(fields.parse_mode));
      if (length(caption) > 1024) return fail(reply, 400, 'Bad Request: message caption is too long');
      const media = resolveMedia(ctx, account, fields.photo, files, 'photo');
      if (typeof media === 'string') return fail(reply, 400, media);
      if (!checkFlood(1)) return reply;
      const messageId = channel.nextMessageId++;
      record([messageId], caption, [{ mime: media.mime, alt: '', bytes: media.bytes }]);
      return ok({ ...baseMessage(messageId), ...replyField, photo: photoSizes(media), ...(caption ? { caption } : {}) });
    }

    // sendMediaGroup
    let items = fields.media;
    if (typeof items === 'string') {
      try {
        items = JSON.parse(items) as unknown;
      } catch {
        return fail(reply, 400, "Bad Request: can't parse media JSON object");
      }
    }
    if (!Array.isArray(items)) return fail(reply, 400, 'Bad Request: media must be an array');
    if (items.length < 2 || items.length > 10) return fail(reply, 400, 'Bad Request: wrong number of media in the group');
    const resolved: { media: MediaInput; caption: string; type: string }[] = [];
    for (const item of items as Record<string, unknown>[]) {
      const caption = parseText(str(item.caption) ?? '', str(item.parse_mode));
      if (length(caption) > 1024) return fail(reply, 400, 'Bad Request: message caption is too long');
      const media = resolveMedia(ctx, account, item.media, files, '');
      if (typeof media === 'string') return fail(reply, 400, media);
      resolved.push({ media, caption, type: str(item.type) ?? 'photo' });
    }
    if (!checkFlood(1)) return reply;
    const groupId = String(BigInt(store.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)));
    const ids = resolved.map(() => channel.nextMessageId++);
    const text = resolved.map((r) => r.caption).filter((c) => c !== '').join('\n');
    record(ids, text, resolved.map((r) => ({ mime: r.media.mime, alt: '', bytes: r.media.bytes })), groupId);
    return ok(
      resolved.map((r, index) => ({
        ...baseMessage(ids[index] ?? 0),
        media_group_id: groupId,
        ...(r.type === 'photo' ? { photo: photoSizes(r.media) } : { document: { file_id: r.media.fileId, file_unique_id: r.media.fileId.slice(4, 20), file_size: r.media.bytes } }),
        ...(r.caption ? { caption: r.caption } : {}),
      })),
    );
  };

  app.get('/bot:token/:method', handle);
  app.post('/bot:token/:method', handle);
  app.setNotFoundHandler((_request, reply) => fail(reply, 404, 'Not Found'));
  return app;
}

/**
 * Citizens on Telegram: comments live in the channel's linked discussion group (shown under the
 * post on the sandbox page; a bot reads neither them nor view counts), a like is a reaction.
 */
export function telegramSimulation(ctx: Context): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => {
      const id = `${post.id}-c${ctx.store.now()}-${Math.floor(Math.random() * 1e6)}`;
      return ctx.store.addPost({
        id,
        accountId: author.id,
        network: 'telegram',
        text,
        createdAt: new Date(ctx.store.now()).toISOString(),
        replyTo: post.id,
        media: [],
        mediaIds: [],
        visibility: 'public',
        url: `${ctx.webUrl()}/telegram/${encodeURIComponent(author.handle)}#post-${id}`,
        deleted: false,
      });
    },
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
