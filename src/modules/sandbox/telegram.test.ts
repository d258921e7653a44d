import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { startSandbox } from './index.ts';
import type { Sandbox, SandboxAccount } from './index.ts';

let sandbox: Sandbox;
let account: SandboxAccount;
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 1)]);

before(async () => {
  sandbox = await startSandbox({ limits: { telegramMessagesPerChat: { limit: 8, windowSeconds: 60 } } });
  account = sandbox.createAccount('telegram', { handle: 'humaskaltim', displayName: 'Humas Kaltim' });
});
after(() => sandbox.close());

function api(timeoutSeconds = 5): Api {
  return new Api(account.credentials.botToken ?? '', { apiRoot: sandbox.urls.telegram, timeoutSeconds });
}

test('grammY: getMe, getChat, message, reply thread, photo, album, edit, delete', async () => {
  const bot = api();
  const chatId = account.credentials.chatId ?? '';
  assert.equal((await bot.getMe()).is_bot, true);
  const chat = await bot.getChat(chatId);
  assert.equal(chat.type, 'channel');
  const first = await bot.sendMessage(chatId, '<b>Rilis</b> https://kaltimprov.go.id', { parse_mode: 'HTML' });
  assert.equal(first.text, 'Rilis https://kaltimprov.go.id');
  const second = await bot.sendMessage(chatId, 'Bagian 2', { reply_parameters: { message_id: first.message_id } });
  const photo = await bot.sendPhoto(chatId, new InputFile(jpeg, 'foto.jpg'), { caption: 'Peresmian jembatan' });
  assert.ok(photo.photo && photo.photo.length > 0);
  const album = await bot.sendMediaGroup(chatId, [
    { type: 'photo', media: new InputFile(jpeg, 'a.jpg'), caption: 'Album' },
    { type: 'photo', media: 'https://kaltimprov.go.id/foto.jpg' },
  ]);
  assert.equal(album.length, 2);
  const groupIds = album.map((m) => ('media_group_id' in m ? m.media_group_id : undefined));
  assert.ok(groupIds[0] && groupIds[0] === groupIds[1]);
  const edited = await bot.editMessageText(chatId, second.message_id, 'Bagian 2 (disunting)');
  assert.equal(typeof edited === 'object' && 'text' in edited ? edited.text : '', 'Bagian 2 (disunting)');
  assert.equal(await bot.deleteMessage(chatId, photo.message_id), true);
  const posts = sandbox.posts(account.id);
  assert.equal(posts.length, 4);
  assert.equal(posts[0]?.media.length, 2);
  assert.equal(posts[1]?.deleted, true);
  assert.deepEqual(posts[1]?.media, [{ mime: 'image/jpeg', alt: '', bytes: jpeg.length }]);
  assert.equal(posts[2]?.replyTo, String(first.message_id));
  assert.equal(posts[2]?.text, 'Bagian 2 (disunting)');
  await assert.rejects(bot.sendMessage(chatId, 'x'.repeat(4097)), (e: unknown) => e instanceof GrammyError && e.error_code === 400 && e.description === 'Bad Request: message is too long');
  await assert.rejects(bot.sendMessage('@lain', 'x'), (e: unknown) => e instanceof GrammyError && e.description === 'Bad Request: chat not found');
  await assert.rejects(new Api('1:wrong', { apiRoot: sandbox.urls.telegram }).getMe(), (e: unknown) => e instanceof GrammyError && e.error_code === 401);
});

test('grammY: injected faults and flood control', async () => {
  const bot = api(1);
  const chatId = account.credentials.chatId ?? '';
  sandbox.injectFault(account.id, { kind: 'rate_limit', retryAfterSeconds: 17, times: 1 });
  await assert.rejects(bot.sendMessage(chatId, 'x'), (e: unknown) =>
    e instanceof GrammyError && e.error_code === 429 && e.description === 'Too Many Requests: retry after 17' && e.parameters.retry_after === 17);
  sandbox.injectFault(account.id, { kind: 'server_error', times: 1 });
  await assert.rejects(bot.sendMessage(chatId, 'x'), (e: unknown) => e instanceof GrammyError && e.error_code === 500);
  sandbox.injectFault(account.id, { kind: 'expired_token', times: 1 });
  await assert.rejects(bot.sendMessage(chatId, 'x'), (e: unknown) => e instanceof GrammyError && e.error_code === 401);
  sandbox.injectFault(account.id, { kind: 'daily_cap', times: 1 });
  await assert.rejects(bot.sendMessage(chatId, 'x'), (e: unknown) => e instanceof GrammyError && e.error_code === 429);
  const created = sandbox.stats(account.id).created;
  sandbox.injectFault(account.id, { kind: 'timeout', ms: 3000, times: 1 });
  await assert.rejects(bot.sendMessage(chatId, 'lambat'), (e: unknown) => e instanceof HttpError);
  assert.equal(sandbox.stats(account.id).created, created);
  sandbox.injectFault(account.id, { kind: 'lost_response', times: 1 });
  await assert.rejects(bot.sendMessage(chatId, 'hilang di jalan'), (e: unknown) => e instanceof HttpError);
  assert.equal(sandbox.stats(account.id).created, created + 1);
  assert.equal(sandbox.posts(account.id)[0]?.text, 'hilang di jalan');
  // Flood control: the channel allows 8 messages per minute in this test (4 used above, 1 here).
  let refused: unknown;
  for (let i = 0; i < 10 && !refused; i++) await bot.sendMessage(chatId, `pesan ${i}`).catch((e: unknown) => { refused = e; });
  assert.ok(refused instanceof GrammyError && refused.error_code === 429 && (refused.parameters.retry_after ?? 0) > 0);
});
