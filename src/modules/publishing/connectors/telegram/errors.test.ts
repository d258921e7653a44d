// Telegram Bot API answers (through grammY) mapped to ConnectorError, from fabricated errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrammyError, HttpError } from 'grammy';
import { telegramFailure } from './errors.ts';
import type { Probe } from './errors.ts';
import { externalIdOf, messageUrl, parseExternalId } from './connector.ts';

const live = new AbortController().signal;
const none: Probe = { status: undefined, headers: undefined };
const bot = (code: number, description: string, parameters: Record<string, number> = {}) =>
  new GrammyError('Call failed', { ok: false, error_code: code, description, parameters }, 'sendMessage', {});
const context = { exchange: 'write' as const, signal: live, deadline: live, probe: none };

test('flood control uses parameters.retry_after; hours of it are a cap', () => {
  const wait = telegramFailure(bot(429, 'Too Many Requests: retry after 5', { retry_after: 5 }), context);
  assert.equal(wait.kind, 'transient');
  assert.equal(wait.retryAfterMs, 5_000);
  assert.equal(telegramFailure(bot(429, 'Too Many Requests: retry after 7200', { retry_after: 7200 }), context).code, 'daily_cap');
});

test('token, membership and channel problems need reconnecting; content problems are permanent', () => {
  assert.equal(telegramFailure(bot(401, 'Unauthorized'), context).kind, 'auth');
  assert.equal(telegramFailure(bot(403, 'Forbidden: bot is not a member of the channel chat'), context).code, 'bot_not_admin');
  assert.equal(telegramFailure(bot(400, 'Bad Request: chat not found'), context).code, 'chat_not_found');
  assert.equal(telegramFailure(bot(400, 'Bad Request: message is too long'), context).code, 'text_too_long');
  assert.equal(telegramFailure(bot(400, 'Bad Request: message caption is too long'), context).code, 'text_too_long');
  assert.equal(telegramFailure(bot(400, 'Bad Request: IMAGE_PROCESS_FAILED'), context).code, 'media_rejected');
});

test('an unreadable gateway answer is uncertain; a passed deadline is a timeout', () => {
  const gateway = telegramFailure(new HttpError('Network request failed', new SyntaxError('Unexpected token <')), { ...context, probe: { status: 502, headers: new Headers() } });
  assert.equal(gateway.kind, 'uncertain');
  assert.equal(gateway.code, 'gateway_error');
  const deadline = new AbortController();
  deadline.abort();
  const timeout = telegramFailure(new HttpError('Network request failed', new DOMException('a', 'AbortError')), { ...context, deadline: deadline.signal });
  assert.equal(timeout.kind, 'uncertain');
  assert.equal(timeout.code, 'timeout');
});

test('message ids and links', () => {
  assert.equal(externalIdOf(-1001234567890, [10, 11]), '-1001234567890:10,11');
  assert.deepEqual(parseExternalId('-1001234567890:10,11'), { chatId: '-1001234567890', messageIds: [10, 11] });
  assert.equal(messageUrl({ id: -1001234567890 }, 10), 'https://t.me/c/1234567890/10');
  assert.equal(messageUrl({ id: -1001234567890, username: 'humaskaltim' }, 10), 'https://t.me/humaskaltim/10');
  assert.throws(() => parseExternalId('10'), RangeError);
});

test('edit answers: unchanged, media without text, not editable, gone', () => {
  const editing = { ...context, exchange: 'read' as const };
  assert.equal(telegramFailure(bot(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'), editing).code, 'not_modified');
  assert.equal(telegramFailure(bot(400, 'Bad Request: there is no text in the message to edit'), editing).code, 'no_text_to_edit');
  const refused = telegramFailure(bot(400, "Bad Request: message can't be edited"), editing);
  assert.equal(refused.kind, 'permanent');
  assert.equal(refused.code, 'edit_refused');
  assert.match(refused.reason.id, /Edit pesan orang lain/);
  assert.equal(telegramFailure(bot(400, 'Bad Request: message to edit not found'), editing).code, 'not_found');
  assert.equal(telegramFailure(bot(400, 'Bad Request: message caption is too long'), editing).code, 'text_too_long');
});
