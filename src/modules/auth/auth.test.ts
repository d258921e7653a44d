import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { Client, loginFresh, startTestServer, STRONG_PASSWORDS, type TestServer } from '../../../test/server.ts';
import { currentTotp } from './totp.ts';

for (const backend of backendNames) {
  describe(`sign-in and sessions (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend, config: { loginMaxFailures: 3, loginLockMinutes: 10 } });
    });
    after(() => server.close());

    test('the first administrator must change the one-time password before anything else', async () => {
      const client = new Client(server.app);
      const login = await client.login(server.firstAdmin.email, server.firstAdmin.password);
      assert.equal(login.statusCode, 200);
      assert.equal(login.json().user.mustChangePassword, true);
      const cookie = login.headers['set-cookie'] as string[];
      assert.ok(cookie.some((c) => c.startsWith('siar_session=') && /HttpOnly/i.test(c) && /SameSite=Lax/i.test(c)));

      const blocked = await client.get('/api/v1/units');
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().error.code, 'auth.password_change_required');

      const weak = await client.post('/api/v1/auth/change-password', { currentPassword: server.firstAdmin.password, newPassword: 'Samarinda2026' });
      assert.equal(weak.statusCode, 400);
      assert.equal(weak.json().error.code, 'auth.weak_password');
      assert.ok(weak.json().error.details.warnings.length > 0);

      const changed = await client.post('/api/v1/auth/change-password', { currentPassword: server.firstAdmin.password, newPassword: STRONG_PASSWORDS[1] });
      assert.equal(changed.statusCode, 204);
      const units = await client.get('/api/v1/units');
      assert.equal(units.statusCode, 200);
      assert.equal(units.json().items.length, 18);
      const me = await client.get('/api/v1/me');
      assert.equal(me.json().user.mustChangePassword, false);
      assert.equal(me.json().memberships[0].role, 'admin');
      server.firstAdmin.password = STRONG_PASSWORDS[1]!;
    });

    test('a cookie-authenticated write without the CSRF token is refused', async () => {
      const client = new Client(server.app);
      await client.login(server.firstAdmin.email, server.firstAdmin.password);
      const without = await client.request('POST', '/api/v1/tokens', { name: 'x' }, { 'x-csrf-token': 'wrong' });
      assert.equal(without.statusCode, 403);
      assert.equal(without.json().error.code, 'auth.csrf');
      const withToken = await client.post('/api/v1/tokens', { name: 'integrasi' });
      assert.equal(withToken.statusCode, 201);
    });

    test('wrong passwords lock the account for a while, with the time in the message', async () => {
      const admin = new Client(server.app);
      await admin.login(server.firstAdmin.email, server.firstAdmin.password);
      const created = await admin.post('/api/v1/users', { email: 'dina@kaltimprov.go.id', name: 'Dina Lestari', unitId: (await admin.get('/api/v1/me')).json().memberships[0].unitId, role: 'editor' });
      assert.equal(created.statusCode, 201);
      const { temporaryPassword } = created.json();

      const guest = new Client(server.app);
      const first = await guest.login('dina@kaltimprov.go.id', 'salah-sekali');
      assert.equal(first.statusCode, 401);
      assert.equal(first.json().error.code, 'auth.invalid_credentials');
      await guest.login('DINA@kaltimprov.go.id', 'salah-lagi');
      const third = await guest.login('dina@kaltimprov.go.id', 'salah-ketiga');
      assert.equal(third.statusCode, 429);
      assert.equal(third.json().error.code, 'auth.locked');
      assert.match(third.json().error.message, /Coba lagi dalam 10 menit/);
      assert.equal(third.headers['retry-after'], String(third.json().error.details.retryAfterSeconds));
      // Even the right password waits until the lock ends.
      const right = await guest.login('dina@kaltimprov.go.id', temporaryPassword);
      assert.equal(right.statusCode, 429);
      const english = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en' }, payload: { email: 'dina@kaltimprov.go.id', password: temporaryPassword } });
      assert.match(english.json().error.message, /Try again in 10 minutes/);

      // An administrator's reset lifts the lock.
      const reset = await admin.post(`/api/v1/users/${created.json().user.id}/reset-password`);
      assert.equal(reset.statusCode, 200);
      const again = await guest.login('dina@kaltimprov.go.id', reset.json().temporaryPassword);
      assert.equal(again.statusCode, 200);
    });

    test('unknown emails fail the same way as wrong passwords', async () => {
      const response = await new Client(server.app).login('tidak-ada@kaltimprov.go.id', 'apa-saja');
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.code, 'auth.invalid_credentials');
    });

    test('log out everywhere ends every session of the person', async () => {
      const phone = new Client(server.app);
      const laptop = new Client(server.app);
      await phone.login(server.firstAdmin.email, server.firstAdmin.password);
      await laptop.login(server.firstAdmin.email, server.firstAdmin.password);
      assert.equal((await phone.get('/api/v1/me')).statusCode, 200);
      assert.equal((await laptop.post('/api/v1/auth/logout-all')).statusCode, 204);
      assert.equal((await phone.get('/api/v1/me')).statusCode, 401);
      assert.equal((await laptop.get('/api/v1/me')).statusCode, 401);
    });

    test('two-factor: setup, sign-in with a code, and a unit that requires it', async () => {
      const admin = new Client(server.app);
      await admin.login(server.firstAdmin.email, server.firstAdmin.password);
      const unitId = (await admin.get('/api/v1/units')).json().items.find((u: { name: string }) => u.name === 'Kabupaten Berau').id;
      const created = (await admin.post('/api/v1/users', { email: 'bayu@beraukab.go.id', name: 'Bayu Saputra', unitId, role: 'editor' })).json();
      const person = await loginFresh(server.app, 'bayu@beraukab.go.id', created.temporaryPassword, STRONG_PASSWORDS[2]);

      assert.equal((await admin.patch(`/api/v1/units/${unitId}`, { requireTwoFactor: true })).statusCode, 200);
      const required = await person.get('/api/v1/units');
      assert.equal(required.statusCode, 403);
      assert.equal(required.json().error.code, 'auth.totp_setup_required');
      assert.equal((await person.get('/api/v1/me')).json().user.totpRequired, true);

      const setup = (await person.post('/api/v1/me/totp/setup')).json();
      assert.match(setup.otpauthUrl, /^otpauth:\/\/totp\/Siar:/);
      assert.equal((await person.post('/api/v1/me/totp/enable', { code: '000000' === currentTotp(setup.secret) ? '111111' : '000000' })).statusCode, 401);
      assert.equal((await person.post('/api/v1/me/totp/enable', { code: currentTotp(setup.secret) })).statusCode, 204);
      assert.equal((await person.get('/api/v1/units')).statusCode, 200);

      const again = new Client(server.app);
      const noCode = await again.login('bayu@beraukab.go.id', STRONG_PASSWORDS[2]!);
      assert.equal(noCode.statusCode, 401);
      assert.equal(noCode.json().error.code, 'auth.totp_required');
      assert.equal((await again.login('bayu@beraukab.go.id', STRONG_PASSWORDS[2]!, currentTotp(setup.secret))).statusCode, 200);

      // Lost phone: an administrator switches two-factor off; the person is signed out and sets it up again.
      assert.equal((await admin.post(`/api/v1/users/${created.user.id}/reset-two-factor`)).statusCode, 204);
      assert.equal((await again.get('/api/v1/me')).statusCode, 401);
      const afterReset = new Client(server.app);
      assert.equal((await afterReset.login('bayu@beraukab.go.id', STRONG_PASSWORDS[2]!)).statusCode, 200);
      assert.equal((await afterReset.get('/api/v1/me')).json().user.totpRequired, true);
      const audit = (await admin.get(`/api/v1/audit?action=user.totp_reset`)).json().items;
      assert.equal(audit[0].entityId, created.user.id);
    });

    test('API tokens authenticate without CSRF and stop working when revoked', async () => {
      const admin = new Client(server.app);
      await admin.login(server.firstAdmin.email, server.firstAdmin.password);
      const created = await admin.post('/api/v1/tokens', { name: 'skrip laporan', expiresInDays: 30 });
      const { secret, token } = created.json();
      assert.match(secret, /^siar_/);
      const bot = new Client(server.app);
      bot.token = secret;
      assert.equal((await bot.get('/api/v1/me')).statusCode, 200);
      assert.equal((await bot.patch('/api/v1/me', { name: 'Administrator Provinsi' })).statusCode, 200);
      const listed = (await admin.get('/api/v1/tokens')).json().items;
      assert.ok(listed.some((t: { id: string; lastUsedAt: string | null }) => t.id === token.id && t.lastUsedAt !== null));
      assert.ok(!JSON.stringify(listed).includes(secret));
      assert.equal((await admin.delete(`/api/v1/tokens/${token.id}`)).statusCode, 204);
      const revoked = await bot.get('/api/v1/me');
      assert.equal(revoked.statusCode, 401);
      assert.equal(revoked.json().error.code, 'auth.invalid_token');
    });
  });
}
