/**
 * A whole Siar (HTTP server, database, jobs optional) for tests, on a throw-away database, plus a
 * small client that signs in like the admin app does (cookie + CSRF header).
 */
import type { LightMyRequestResponse } from 'fastify';
import { startSiar, type Siar } from '../src/app.ts';
import { loadConfig, type ConfigInput } from '../src/config/config.ts';
import type { App } from '../src/http/types.ts';
import { createBackend, type BackendName, type TestBackend } from './backends.ts';

export interface TestServer {
  url: string;
  app: App;
  siar: Siar;
  backend: TestBackend;
  firstAdmin: { email: string; password: string };
  close(): Promise<void>;
}

export interface TestServerOptions {
  backend?: BackendName;
  demo?: boolean;
  sandbox?: boolean;
  jobs?: boolean;
  listen?: boolean;
  config?: ConfigInput;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const backend = await createBackend(options.backend ?? 'pglite');
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: 'memory://',
      databaseUrl: backend.databaseUrl,
      port: 0,
      demo: options.demo ?? true,
      // A sandbox only where a test asks for one (it listens on four ports).
      sandbox: options.sandbox ?? false,
      logLevel: 'silent',
      logRequests: 'none',
      ...options.config,
    },
  });
  const siar = await startSiar(config, { jobs: options.jobs ?? false, listen: options.listen ?? true, loadDataDir: backend.template });
  if (!siar.app || !siar.firstAdmin) {
    await siar.stop();
    await backend.drop();
    throw new Error('test server did not start a web app with a first admin');
  }
  return {
    url: siar.url ?? 'http://localhost',
    app: siar.app,
    siar,
    backend,
    firstAdmin: { email: siar.firstAdmin.email, password: siar.firstAdmin.temporaryPassword },
    async close() {
      await siar.stop();
      await backend.drop();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in (or anonymous) caller that talks to the app in-process. */
export class Client {
  readonly app: App;
  session: Session | null = null;
  token: string | null = null;

  constructor(app: App) {
    this.app = app;
  }

  async request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const all: Record<string, string> = { ...headers };
    if (this.session) {
      all.cookie = this.session.cookie;
      all['x-csrf-token'] ??= this.session.csrf;
    }
    if (this.token) all.authorization = `Bearer ${this.token}`;
    return this.app.inject({ method, url, headers: all, ...(body === undefined ? {} : { payload: body as object }) });
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  patch(url: string, body: unknown) {
    return this.request('PATCH', url, body);
  }
  put(url: string, body: unknown) {
    return this.request('PUT', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }

  async login(email: string, password: string, totp?: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, ...(totp ? { totp } : {}) } });
    if (response.statusCode === 200) {
      const cookies = response.cookies as { name: string; value: string }[];
      const session = cookies.find((c) => c.name === 'siar_session');
      const csrf = cookies.find((c) => c.name === 'siar_csrf');
      if (!session || !csrf) throw new Error('login did not set cookies');
      this.session = { cookie: `siar_session=${session.value}; siar_csrf=${csrf.value}`, csrf: csrf.value };
    }
    return response;
  }
}

export const STRONG_PASSWORDS = ['kopi-pagi-di-tepian-mahakam-7', 'sungai-jernih-burung-enggang-42', 'lampu-kota-hujan-sore-88', 'perahu-kecil-menyusuri-teluk-5'];

/** Signs in with a one-time password and changes it, like a new person does. */
export async function loginFresh(app: App, email: string, temporaryPassword: string, newPassword = STRONG_PASSWORDS[0]!): Promise<Client> {
  const client = new Client(app);
  const login = await client.login(email, temporaryPassword);
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const change = await client.post('/api/v1/auth/change-password', { currentPassword: temporaryPassword, newPassword });
  if (change.statusCode !== 204) throw new Error(`password change failed: ${change.body}`);
  return client;
}
