/**
 * Notifications by e-mail: the message itself, and on both databases the whole way through the job
 * queue to a real SMTP server (smtp-server on port 0): the right person gets it with a link to the
 * post, nobody who turned e-mail off does, an SMTP server that is down loses nothing, and the sweep
 * sends what no listener queued.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { mailSweepJob, SEND_MAIL } from './jobs.ts';
import { adminBaseUrl, composeMail, type MailNotice } from './mail.ts';

// ---------------------------------------------------------------- the message

const notice: MailNotice = {
  kind: 'review_requested', postId: '6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11', postTitle: 'Jembatan <Mahakam> IV & jalan "baru"',
  actorName: 'Rina Penulis', excerpt: null, recipient: { email: 'sari@kaltimprov.go.id', name: 'Sari Penyetuju' },
};

test('the mail names the post in its subject, is Indonesian with one English line, and links to the post', () => {
  const mail = composeMail(notice, 'https://siar.kaltimprov.go.id/admin');
  assert.equal(mail.to, 'sari@kaltimprov.go.id');
  assert.equal(mail.subject, '[Siar] Menunggu persetujuan Anda: “Jembatan <Mahakam> IV & jalan "baru"”');
  assert.match(mail.text, /^Halo Sari Penyetuju,/);
  assert.match(mail.text, /Rina Penulis meminta persetujuan Anda untuk postingan “Jembatan <Mahakam> IV & jalan "baru"”\./);
  assert.match(mail.text, /Buka postingan: https:\/\/siar\.kaltimprov\.go\.id\/admin\/posts\/6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11\n/);
  assert.equal(mail.text.split('\n').filter((line) => line.startsWith('In English:')).length, 1);
  assert.match(mail.text, /In English: Rina Penulis asks for your approval of the post/);
  // The HTML part escapes what people typed.
  assert.ok(mail.html.includes('Jembatan &lt;Mahakam&gt; IV &amp; jalan &quot;baru&quot;'));
  assert.ok(!mail.html.includes('<Mahakam>'));
  assert.ok(mail.html.includes('href="https://siar.kaltimprov.go.id/admin/posts/6b1a3c1e-7d1f-4a52-9a42-2d6a3b0c9e11"'));
});

test('a comment or a reviewer’s note is quoted; an account to reconnect links to the content settings', () => {
  const mention = composeMail({ ...notice, kind: 'mentioned', excerpt: 'Tolong cek\nangka anggarannya.' }, 'https://x.go.id/admin');
  assert.match(mention.text, /\n> Tolong cek angka anggarannya\.\n/);
  const reconnect = composeMail({ ...notice, kind: 'channel_needs_reconnect', postId: null, postTitle: null, actorName: null, excerpt: 'Humas Kaltim (@humaskaltim)' }, 'https://x.go.id/admin');
  assert.equal(reconnect.subject, '[Siar] Akun perlu dihubungkan ulang: Humas Kaltim (@humaskaltim)');
  assert.match(reconnect.text, /Buka pengaturan akun: https:\/\/x\.go\.id\/admin\/content-settings/);
});

test('links use the public URL, or where the server listens when none is set', () => {
  assert.equal(adminBaseUrl({ publicUrl: 'https://siar.kaltimprov.go.id/', host: '0.0.0.0', port: 3000 }), 'https://siar.kaltimprov.go.id/admin');
  assert.equal(adminBaseUrl({ publicUrl: undefined, host: '0.0.0.0', port: 3000 }), 'http://localhost:3000/admin');
  assert.equal(adminBaseUrl({ publicUrl: undefined, host: 'siar.internal', port: 8080 }), 'http://siar.internal:8080/admin');
});

// ---------------------------------------------------------------- reading what the SMTP server got

interface Received {
  to: string[];
  from: string;
  user: string | undefined;
  subject: string;
  text: string;
  html: string;
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=\s*/gi, (_, encoding: string, data: string) => encoding.toLowerCase() === 'b'
    ? Buffer.from(data, 'base64').toString('utf8')
    : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'));
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding?.toLowerCase() === 'quoted-printable') {
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  }
  return body;
}

function headersOf(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Just enough MIME for nodemailer's multipart/alternative (text + HTML). */
function parseMail(raw: string): { subject: string; text: string; html: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = headersOf(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  assert.ok(boundary, 'a multipart message');
  const parts = raw.slice(split + 4).split(`--${boundary}`).slice(1, -1).map((part) => {
    const at = part.indexOf('\r\n\r\n');
    const partHeaders = headersOf(part.slice(0, at).replace(/^\r\n/, ''));
    return { type: partHeaders.get('content-type') ?? '', body: decodeBody(part.slice(at + 4).replace(/\r\n$/, ''), partHeaders.get('content-transfer-encoding')) };
  });
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    text: parts.find((p) => p.type.startsWith('text/plain'))?.body.replace(/\r\n/g, '\n') ?? '',
    html: parts.find((p) => p.type.startsWith('text/html'))?.body ?? '',
  };
}

class Mailbox {
  readonly received: Received[] = [];
  #server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const mail = parseMail(Buffer.concat(chunks).toString('utf8'));
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            user: session.user as string | undefined,
            ...mail,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.received.filter((m) => m.to.includes(address));
  }
}

async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- through the queue to an SMTP server

for (const backend of backendNames) {
  describe(`notification e-mail (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    const mailbox = new Mailbox();
    let server: TestServer;
    let agency: string;
    let editor: Person;
    let approver: Person;
    let postId: string;

    before(async () => {
      await mailbox.start();
      server = await startTestServer({
        backend, demo: false, jobs: true,
        config: { smtpUrl: `smtp://siar:rahasia@127.0.0.1:${mailbox.port}`, mailFrom: 'Siar Humas Uji <siar@uji.go.id>', publicUrl: 'https://siar.uji.go.id' },
      });
      agency = await makeUnit(server, await topUnitId(server), 'agency', 'Dinas Kominfo Uji');
      editor = await makePerson(server, agency, 'editor', 'Rina Penulis');
      approver = await makePerson(server, agency, 'approver', 'Sari Penyetuju');
      const post = await editor.client.post('/api/v1/posts', { unitId: agency, title: 'Jembatan Mahakam IV dibuka', bodyHtml: '<p>Jembatan Mahakam IV resmi dibuka hari ini.</p>' });
      assert.equal(post.statusCode, 201, post.body);
      postId = post.json().id;
    });
    after(async () => {
      await server.close();
      await mailbox.stop();
    });

    const emailOf = async (person: Person) => (await server.siar.services.db.selectFrom('users').select('email').where('id', '=', person.id).executeTakeFirstOrThrow()).email;
    const mention = async (body: string, people: Person[]) => {
      const response = await editor.client.post(`/api/v1/posts/${postId}/comments`, { body, mentions: people.map((p) => p.id) });
      assert.equal(response.statusCode, 201, response.body);
    };
    const latestNotification = async (person: Person) => (await server.siar.services.db.selectFrom('notifications').select(['id', 'mail_queued_at']).where('user_id', '=', person.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow());

    test('a mention reaches the person’s own address, in Indonesian with an English line and a link to the post', async () => {
      const address = await emailOf(approver);
      await mention('Mohon dicek angka anggarannya sebelum tayang.', [approver]);
      const [mail] = await until(() => (mailbox.to(address).length > 0 ? mailbox.to(address) : undefined), 'the e-mail');
      assert.deepEqual(mail!.to, [address]);
      assert.equal(mail!.from, 'siar@uji.go.id');
      assert.equal(mail!.user, 'siar', 'signed in to SMTP with the user from SIAR_SMTP_URL');
      assert.equal(mail!.subject, '[Siar] Anda disebut dalam komentar: “Jembatan Mahakam IV dibuka”');
      assert.match(mail!.text, /^Halo Sari Penyetuju,/);
      assert.match(mail!.text, /Rina Penulis menyebut Anda dalam komentar pada postingan “Jembatan Mahakam IV dibuka”\./);
      assert.match(mail!.text, /> Mohon dicek angka anggarannya sebelum tayang\./);
      assert.ok(mail!.text.includes(`Buka postingan: https://siar.uji.go.id/admin/posts/${postId}`), mail!.text);
      assert.match(mail!.text, /In English: Rina Penulis mentioned you in a comment/);
      assert.ok(mail!.html.includes(`href="https://siar.uji.go.id/admin/posts/${postId}"`));
      assert.notEqual((await latestNotification(approver)).mail_queued_at, null);
    });

    test('someone who turned e-mail off gets none; the others still do', async () => {
      const quiet = await makePerson(server, agency, 'approver', 'Ahmad Tenang');
      const turnedOff = await quiet.client.patch('/api/v1/me', { notifyEmail: false });
      assert.equal(turnedOff.statusCode, 200, turnedOff.body);
      assert.equal(turnedOff.json().user.notifyEmail, false);
      assert.equal((await quiet.client.get('/api/v1/me')).json().user.notifyEmail, false);
      assert.equal((await approver.client.get('/api/v1/me')).json().user.notifyEmail, true);

      const loud = await emailOf(approver);
      const before = mailbox.to(loud).length;
      await mention('Rapat redaksi pukul 14.00.', [quiet, approver]);
      await until(() => (mailbox.to(loud).length > before ? true : undefined), 'the e-mail to the one who wants it');
      await sleep(1_500);
      assert.deepEqual(mailbox.to(await emailOf(quiet)), []);
      assert.equal((await latestNotification(quiet)).mail_queued_at, null, 'not even queued');
      // The bell still has it.
      assert.equal((await quiet.client.get('/api/v1/notifications')).json().items[0].excerpt, 'Rapat redaksi pukul 14.00.');
    });

    test('while the SMTP server is down the job fails and is retried; once it is back the mail arrives', async () => {
      const queue = server.siar.queue!;
      // Seconds rather than the real 30 s backoff, so the test does not wait minutes.
      await queue.boss.updateQueue(SEND_MAIL, { retryDelay: 1, retryBackoff: false });
      const port = mailbox.port;
      await mailbox.stop();
      const address = await emailOf(approver);
      const before = mailbox.to(address).length;
      await mention('Dikirim saat SMTP mati.', [approver]);
      const { id } = await latestNotification(approver);
      const failed = await until(async () => {
        const job = await queue.boss.getJobById(SEND_MAIL, id);
        return job && job.retryCount > 0 ? job : undefined;
      }, 'a failed attempt');
      assert.notEqual(failed.state, 'completed');

      await mailbox.start(port);
      const mail = await until(() => mailbox.to(address).slice(before).find((m) => m.text.includes('Dikirim saat SMTP mati.')), 'the retried e-mail', 30_000);
      assert.ok(mail.text.includes(`/admin/posts/${postId}`));
      const done = await until(async () => {
        const job = await queue.boss.getJobById(SEND_MAIL, id);
        return job?.state === 'completed' ? job : undefined;
      }, 'the job completing');
      assert.ok(done.retryCount >= 1);
      assert.equal(mailbox.to(address).filter((m) => m.text.includes('Dikirim saat SMTP mati.')).length, 1, 'sent once');
    });

    test('the sweep mails a notification no listener queued, once', async () => {
      const db = server.siar.services.db;
      const address = await emailOf(approver);
      // Written without NOTIFY, as if every process was restarting when it was committed.
      const row = await db.insertInto('notifications')
        .values({ user_id: approver.id, kind: 'approved', post_id: postId, actor_id: editor.id, excerpt: 'Jembatan Mahakam IV dibuka', created_at: new Date(Date.now() - 2 * 60_000) })
        .returning('id').executeTakeFirstOrThrow();
      const context = { services: server.siar.services, log: () => undefined, signal: new AbortController().signal };
      assert.deepEqual(await mailSweepJob.handle({}, context), { queued: 1 });
      assert.deepEqual(await mailSweepJob.handle({}, context), { queued: 0 });
      const mail = await until(() => mailbox.to(address).find((m) => m.subject === '[Siar] Disetujui: “Jembatan Mahakam IV dibuka”'), 'the swept e-mail');
      assert.match(mail.text, /Rina Penulis menyetujui postingan Anda/);
      assert.notEqual((await db.selectFrom('notifications').select('mail_queued_at').where('id', '=', row.id).executeTakeFirstOrThrow()).mail_queued_at, null);
    });
  });
}
