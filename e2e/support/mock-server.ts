// In-memory stand-in for the Siar API, used to develop and screenshot the admin app
// before/without the real server. Same shape as test/server.ts's startTestServer().
// Not a test itself; run standalone with: node e2e/support/mock-server.ts [port]
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

type Role = 'admin' | 'approver' | 'editor' | 'viewer';
interface MUser {
  id: string;
  email: string;
  name: string;
  locale: 'id' | 'en';
  password: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
  memberships: { unitId: string; role: Role }[];
}
interface MUnit {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  slug: string;
  timezone: string;
  logoUrl: string | null;
  contact: { email: string | null; phone: string | null; address: string | null; website: string | null };
  requireTwoFactor: boolean;
  createdAt: string;
  updatedAt: string;
}

const DIST = fileURLToPath(new URL('../../dist/admin/', import.meta.url));
const TOTP_OK = '123456';

function slugify(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export async function startMockServer(options: { demo?: boolean; port?: number } = {}) {
  const now = () => new Date().toISOString();
  const units: MUnit[] = [];
  const addUnit = (parentId: string | null, kind: string, name: string, extra: Partial<MUnit> = {}): MUnit => {
    const u: MUnit = {
      id: randomUUID(),
      parentId,
      kind,
      name,
      slug: slugify(name),
      timezone: 'Asia/Makassar',
      logoUrl: null,
      contact: { email: null, phone: null, address: null, website: null },
      requireTwoFactor: false,
      createdAt: now(),
      updatedAt: now(),
      ...extra,
    };
    units.push(u);
    return u;
  };
  const prov = addUnit(null, 'province', 'Provinsi Kalimantan Timur', {
    contact: { email: 'humas@kaltimprov.go.id', phone: '0541 733333', address: 'Jl. Gajah Mada No. 2, Samarinda', website: 'https://kaltimprov.go.id' },
  });
  for (const n of ['Kabupaten Kutai Kartanegara', 'Kabupaten Berau', 'Kabupaten Paser', 'Kabupaten Kutai Timur', 'Kabupaten Kutai Barat', 'Kabupaten Penajam Paser Utara', 'Kabupaten Mahakam Ulu']) addUnit(prov.id, 'regency', n);
  for (const n of ['Kota Samarinda', 'Kota Balikpapan', 'Kota Bontang']) addUnit(prov.id, 'city', n);
  addUnit(prov.id, 'agency', 'Dinas Komunikasi dan Informatika Provinsi Kalimantan Timur');
  addUnit(prov.id, 'bureau', 'Biro Administrasi Pimpinan');

  const users: MUser[] = [];
  const firstAdmin = { email: 'admin@kaltimprov.go.id', password: randomBytes(9).toString('base64url') };
  users.push({
    id: randomUUID(),
    email: firstAdmin.email,
    name: 'Admin Siar',
    locale: 'id',
    password: firstAdmin.password,
    mustChangePassword: true,
    totpEnabled: false,
    disabled: false,
    createdAt: now(),
    memberships: [{ unitId: prov.id, role: 'admin' }],
  });
  if (options.demo) {
    const kukar = units.find((u) => u.slug === 'kabupaten-kutai-kartanegara')!;
    users.push({ id: randomUUID(), email: 'rina@kukarkab.go.id', name: 'Rina Wulandari', locale: 'id', password: 'x', mustChangePassword: false, totpEnabled: true, disabled: false, createdAt: now(), memberships: [{ unitId: kukar.id, role: 'editor' }] });
    users.push({ id: randomUUID(), email: 'budi@kaltimprov.go.id', name: 'Budi Santoso', locale: 'id', password: 'x', mustChangePassword: true, totpEnabled: false, disabled: true, createdAt: now(), memberships: [{ unitId: prov.id, role: 'approver' }] });
  }

  const sessions = new Map<string, { userId: string; csrf: string }>();
  const failures = new Map<string, number>();
  const tokens: { id: string; userId: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null }[] = [];
  const audit: { id: string; seq: number; at: string; actor: { id: string; name: string; email: string } | null; action: string; entityType: string; entityId: string | null; unitId: string | null; ip: string | null; userAgent: string | null; before: object | null; after: object | null; hash: string }[] = [];
  let prevHash = '';
  const log = (actor: MUser | null, action: string, entityType: string, entityId: string | null, unitId: string | null, before: object | null, after: object | null, req?: IncomingMessage) => {
    const seq = audit.length + 1;
    const hash = createHash('sha256').update(prevHash + seq + action + JSON.stringify(after)).digest('hex');
    prevHash = hash;
    audit.push({ id: randomUUID(), seq, at: now(), actor: actor ? { id: actor.id, name: actor.name, email: actor.email } : null, action, entityType, entityId, unitId, ip: '127.0.0.1', userAgent: (req?.headers['user-agent'] as string | undefined) ?? null, before, after, hash });
  };
  log(null, 'unit.create', 'unit', prov.id, prov.id, null, { name: prov.name });

  const pub = (u: MUser) => ({
    id: u.id, email: u.email, name: u.name, locale: u.locale, mustChangePassword: u.mustChangePassword, totpEnabled: u.totpEnabled,
    totpRequired: !u.totpEnabled && u.memberships.some((m) => units.find((x) => x.id === m.unitId)?.requireTwoFactor),
    disabled: u.disabled, createdAt: u.createdAt, memberships: u.memberships,
  });
  const below = (rootId: string): Set<string> => {
    const out = new Set<string>([rootId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const u of units) if (u.parentId && out.has(u.parentId) && !out.has(u.id)) { out.add(u.id); grew = true; }
    }
    return out;
  };
  const visibleUnits = (u: MUser) => {
    const s = new Set<string>();
    for (const m of u.memberships) for (const id of below(m.unitId)) s.add(id);
    return s;
  };
  const adminUnits = (u: MUser) => {
    const s = new Set<string>();
    for (const m of u.memberships) if (m.role === 'admin') for (const id of below(m.unitId)) s.add(id);
    return s;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const lang = (req.headers['accept-language'] ?? 'id').startsWith('en') ? 'en' : 'id';
    const L = (idText: string, enText: string) => (lang === 'en' ? enText : idText);
    const send = (status: number, body?: unknown, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers });
      res.end(body !== undefined ? JSON.stringify(body) : undefined);
    };
    const fail = (status: number, code: string, message: string, details?: object) => send(status, { error: { code, message, ...(details ? { details } : {}) } });

    if (!url.pathname.startsWith('/api/v1/')) return serveStatic(url.pathname, res);

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {}; } catch { return fail(400, 'validation.invalid', 'Bad JSON'); }

    const cookies = Object.fromEntries((req.headers.cookie ?? '').split(';').map((p) => p.trim().split('=')).filter((p) => p[0]).map(([k, ...v]) => [k, decodeURIComponent(v.join('='))]));
    const sess = cookies['siar_session'] ? sessions.get(cookies['siar_session']) : undefined;
    const me = sess ? users.find((u) => u.id === sess.userId) : undefined;
    const path = url.pathname.slice('/api/v1'.length);
    const method = req.method ?? 'GET';
    await new Promise((r) => setTimeout(r, 60)); // a little latency to see spinners

    if (method === 'POST' && path === '/auth/login') {
      const email = String(body['email'] ?? '').toLowerCase();
      const issues = [];
      if (!email.includes('@')) issues.push({ path: 'email', message: L('Email tidak valid', 'Invalid email') });
      if (!body['password']) issues.push({ path: 'password', message: L('Wajib diisi', 'Required') });
      if (issues.length) return fail(400, 'validation.invalid', L('Data tidak valid', 'Invalid data'), { issues });
      const f = failures.get(email) ?? 0;
      if (f >= 5) return fail(429, 'auth.locked', L('Terlalu banyak percobaan. Coba lagi dalam 15 menit.', 'Too many attempts. Try again in 15 minutes.'), { retryAfterSeconds: 900 });
      const u = users.find((x) => x.email === email);
      if (!u || u.password !== body['password']) {
        failures.set(email, f + 1);
        return fail(401, 'auth.invalid_credentials', L('Email atau kata sandi salah.', 'Wrong email or password.'));
      }
      if (u.disabled) return fail(403, 'auth.user_disabled', L('Akun ini dinonaktifkan.', 'This account is disabled.'));
      if (u.totpEnabled) {
        if (!body['totp']) return fail(401, 'auth.totp_required', L('Masukkan kode verifikasi.', 'Enter the verification code.'));
        if (body['totp'] !== TOTP_OK) return fail(401, 'auth.totp_invalid', L('Kode verifikasi salah.', 'Wrong verification code.'));
      }
      failures.delete(email);
      const sid = randomBytes(16).toString('hex');
      const csrf = randomBytes(16).toString('hex');
      sessions.set(sid, { userId: u.id, csrf });
      log(u, 'user.login', 'user', u.id, null, null, null, req);
      return send(200, { user: pub(u), csrfToken: csrf }, { 'set-cookie': [`siar_session=${sid}; Path=/; HttpOnly; SameSite=Lax`, `siar_csrf=${csrf}; Path=/; SameSite=Lax`] });
    }

    if (!me || !sess) return fail(401, 'auth.required', L('Silakan masuk terlebih dahulu.', 'Please log in first.'));
    if (method !== 'GET' && req.headers['x-csrf-token'] !== sess.csrf) return fail(403, 'auth.csrf', 'CSRF token mismatch');

    const seg = path.split('/').filter(Boolean);
    const clearCookies = { 'set-cookie': ['siar_session=; Path=/; Max-Age=0', 'siar_csrf=; Path=/; Max-Age=0'] };

    if (method === 'POST' && path === '/auth/logout') { sessions.delete(cookies['siar_session']!); return send(204, undefined, clearCookies); }
    if (method === 'POST' && path === '/auth/logout-all') { for (const [k, v] of sessions) if (v.userId === me.id) sessions.delete(k); log(me, 'user.logout_all', 'user', me.id, null, null, null, req); return send(204, undefined, clearCookies); }
    if (method === 'POST' && path === '/auth/change-password') {
      if (body['currentPassword'] !== me.password) return fail(401, 'auth.invalid_credentials', L('Kata sandi saat ini salah.', 'The current password is wrong.'));
      const np = String(body['newPassword'] ?? '');
      if (np.length < 12) return fail(400, 'auth.weak_password', L('Kata sandi terlalu lemah.', 'The password is too weak.'), { score: 1, warnings: [L('Kata sandi terlalu pendek.', 'This password is too short.')], suggestions: [L('Gunakan beberapa kata yang tidak umum.', 'Use a few uncommon words.')] });
      me.password = np;
      me.mustChangePassword = false;
      log(me, 'user.password_change', 'user', me.id, null, null, null, req);
      return send(204);
    }
    if (method === 'GET' && path === '/me') {
      return send(200, { user: pub(me), memberships: me.memberships.map((m) => { const u = units.find((x) => x.id === m.unitId)!; return { unitId: u.id, unitName: u.name, unitKind: u.kind, role: m.role }; }), csrfToken: sess.csrf });
    }
    if (method === 'POST' && path === '/me/totp/setup') return send(200, { secret: 'JBSWY3DPEHPK3PXPJBSWY3DP', otpauthUrl: `otpauth://totp/Siar:${encodeURIComponent(me.email)}?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Siar` });
    if (method === 'POST' && path === '/me/totp/enable') { if (body['code'] !== TOTP_OK) return fail(400, 'auth.totp_invalid', L('Kode verifikasi salah.', 'Wrong verification code.')); me.totpEnabled = true; log(me, 'user.totp_enable', 'user', me.id, null, null, null, req); return send(204); }
    if (method === 'POST' && path === '/me/totp/disable') { if (body['code'] !== TOTP_OK) return fail(400, 'auth.totp_invalid', L('Kode verifikasi salah.', 'Wrong verification code.')); me.totpEnabled = false; return send(204); }

    const vis = visibleUnits(me);
    const adm = adminUnits(me);
    if (seg[0] === 'units') {
      if (method === 'GET' && seg.length === 1) return send(200, { items: units.filter((u) => vis.has(u.id)) });
      const u = seg[1] ? units.find((x) => x.id === seg[1]) : undefined;
      if (method === 'POST' && seg.length === 1) {
        const parentId = String(body['parentId'] ?? '');
        if (!vis.has(parentId)) return fail(404, 'not_found', L('Unit tidak ditemukan.', 'Unit not found.'));
        if (!adm.has(parentId)) return fail(403, 'forbidden', L('Anda tidak berwenang.', 'You are not allowed.'));
        if (!String(body['name'] ?? '').trim()) return fail(400, 'validation.invalid', L('Data tidak valid', 'Invalid data'), { issues: [{ path: 'name', message: L('Wajib diisi', 'Required') }] });
        const nu = addUnit(parentId, String(body['kind']), String(body['name']), { timezone: String(body['timezone'] ?? 'Asia/Makassar'), logoUrl: (body['logoUrl'] as string | null) ?? null, contact: { email: null, phone: null, address: null, website: null, ...(body['contact'] as object) }, requireTwoFactor: !!body['requireTwoFactor'] });
        log(me, 'unit.create', 'unit', nu.id, nu.id, null, nu, req);
        return send(201, nu);
      }
      if (!u || !vis.has(u.id)) return fail(404, 'not_found', L('Unit tidak ditemukan.', 'Unit not found.'));
      if (method === 'GET') return send(200, u);
      if (method === 'PATCH') {
        if (!adm.has(u.id)) return fail(403, 'forbidden', L('Anda tidak berwenang.', 'You are not allowed.'));
        const before = structuredClone(u);
        for (const k of ['name', 'timezone', 'logoUrl', 'requireTwoFactor'] as const) if (k in body) (u as unknown as Record<string, unknown>)[k] = body[k];
        if (body['contact']) u.contact = { ...u.contact, ...(body['contact'] as object) };
        u.updatedAt = now();
        log(me, 'unit.update', 'unit', u.id, u.id, before, u, req);
        return send(200, u);
      }
    }
    if (seg[0] === 'users') {
      if (method === 'GET' && seg.length === 1) {
        const scope = url.searchParams.get('unitId');
        const set = scope ? below(scope) : adm;
        return send(200, { items: users.filter((u) => u.memberships.some((m) => set.has(m.unitId) && adm.has(m.unitId))).map(pub) });
      }
      if (method === 'POST' && seg.length === 1) {
        const unitId = String(body['unitId'] ?? '');
        if (!adm.has(unitId)) return fail(403, 'forbidden', L('Anda tidak berwenang.', 'You are not allowed.'));
        const email = String(body['email'] ?? '').trim().toLowerCase();
        const issues = [];
        if (!email.includes('@')) issues.push({ path: 'email', message: L('Email tidak valid', 'Invalid email') });
        if (!String(body['name'] ?? '').trim()) issues.push({ path: 'name', message: L('Wajib diisi', 'Required') });
        if (issues.length) return fail(400, 'validation.invalid', L('Data tidak valid', 'Invalid data'), { issues });
        if (users.some((u) => u.email === email)) return fail(409, 'user.email_taken', L('Email sudah dipakai akun lain.', 'That email is already in use.'));
        const temporaryPassword = randomBytes(9).toString('base64url');
        const nu: MUser = { id: randomUUID(), email, name: String(body['name']).trim(), locale: (body['locale'] as 'id' | 'en') ?? 'id', password: temporaryPassword, mustChangePassword: true, totpEnabled: false, disabled: false, createdAt: now(), memberships: [{ unitId, role: body['role'] as Role }] };
        users.push(nu);
        log(me, 'user.create', 'user', nu.id, unitId, null, pub(nu), req);
        return send(201, { user: pub(nu), temporaryPassword });
      }
      const u = users.find((x) => x.id === seg[1]);
      if (!u || !u.memberships.some((m) => adm.has(m.unitId))) return fail(404, 'not_found', L('Pengguna tidak ditemukan.', 'User not found.'));
      if (method === 'GET' && seg.length === 2) return send(200, pub(u));
      if (method === 'PATCH' && seg.length === 2) {
        const before = pub(u);
        if (typeof body['name'] === 'string') u.name = body['name'];
        if (typeof body['disabled'] === 'boolean') u.disabled = body['disabled'];
        if (body['locale'] === 'id' || body['locale'] === 'en') u.locale = body['locale'];
        log(me, 'user.update', 'user', u.id, null, before, pub(u), req);
        return send(200, pub(u));
      }
      if (seg[2] === 'memberships' && seg[3]) {
        if (!adm.has(seg[3])) return fail(403, 'forbidden', L('Anda tidak berwenang.', 'You are not allowed.'));
        u.memberships = u.memberships.filter((m) => m.unitId !== seg[3]);
        if (method === 'PUT') u.memberships.push({ unitId: seg[3], role: body['role'] as Role });
        log(me, method === 'PUT' ? 'membership.update' : 'membership.delete', 'membership', u.id, seg[3], null, null, req);
        return send(200, pub(u));
      }
      if (method === 'POST' && seg[2] === 'reset-password') {
        const temporaryPassword = randomBytes(9).toString('base64url');
        u.password = temporaryPassword;
        u.mustChangePassword = true;
        log(me, 'user.password_reset', 'user', u.id, null, null, null, req);
        return send(200, { temporaryPassword });
      }
    }
    if (seg[0] === 'tokens') {
      if (method === 'GET') return send(200, { items: tokens.filter((t) => t.userId === me.id).map(({ userId: _u, ...t }) => t) });
      if (method === 'POST') {
        if (!String(body['name'] ?? '').trim()) return fail(400, 'validation.invalid', L('Data tidak valid', 'Invalid data'), { issues: [{ path: 'name', message: L('Wajib diisi', 'Required') }] });
        const secret = `siar_${randomBytes(24).toString('base64url')}`;
        const days = body['expiresInDays'] as number | undefined;
        const t = { id: randomUUID(), userId: me.id, name: String(body['name']), prefix: secret.slice(0, 10), createdAt: now(), lastUsedAt: null, expiresAt: days ? new Date(Date.now() + days * 864e5).toISOString() : null };
        tokens.push(t);
        log(me, 'token.create', 'api_token', t.id, null, null, { name: t.name }, req);
        const { userId: _u, ...token } = t;
        return send(201, { token, secret });
      }
      if (method === 'DELETE' && seg[1]) { const i = tokens.findIndex((t) => t.id === seg[1] && t.userId === me.id); if (i < 0) return fail(404, 'not_found', 'Not found'); tokens.splice(i, 1); log(me, 'token.revoke', 'api_token', seg[1], null, null, null, req); return send(204); }
    }
    if (seg[0] === 'audit') {
      if (seg[1] === 'verify') return send(200, { ok: true, checked: audit.length, firstBrokenSeq: null });
      const p = url.searchParams;
      let items = [...audit].reverse();
      if (p.get('unitId')) { const s = below(p.get('unitId')!); items = items.filter((e) => e.unitId && s.has(e.unitId)); }
      if (p.get('actorId')) items = items.filter((e) => e.actor?.id === p.get('actorId'));
      if (p.get('action')) items = items.filter((e) => e.action === p.get('action'));
      if (p.get('entityType')) items = items.filter((e) => e.entityType === p.get('entityType'));
      if (p.get('from')) items = items.filter((e) => e.at >= p.get('from')!);
      if (p.get('to')) items = items.filter((e) => e.at <= p.get('to')!);
      const limit = Number(p.get('limit') ?? 50);
      const start = Number(p.get('cursor') ?? 0);
      const page = items.slice(start, start + limit);
      return send(200, { items: page, nextCursor: start + limit < items.length ? String(start + limit) : null });
    }
    return fail(404, 'not_found', L('Tidak ditemukan.', 'Not found.'));
  });

  async function serveStatic(pathname: string, res: ServerResponse) {
    if (pathname === '/' || pathname === '/admin') { res.writeHead(302, { location: '/admin/' }); return res.end(); }
    if (!pathname.startsWith('/admin/')) { res.writeHead(404); return res.end('not found'); }
    const rel = normalize(decodeURIComponent(pathname.slice('/admin/'.length))).replace(/^(\.\.[/\\])+/, '');
    let file = join(DIST, rel);
    try {
      const s = await stat(file);
      if (s.isDirectory()) file = join(DIST, 'index.html');
    } catch {
      file = join(DIST, 'index.html');
    }
    const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    } catch {
      res.writeHead(500);
      res.end('admin app not built: run npx vite build --config web/vite.config.ts');
    }
  }

  await new Promise<void>((r) => server.listen(options.port ?? 0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    firstAdmin,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await startMockServer({ demo: true, port: Number(process.argv[2] ?? 5180) });
  console.log(`mock Siar API on ${s.url}/admin/  first admin: ${s.firstAdmin.email} / ${s.firstAdmin.password}`);
}
