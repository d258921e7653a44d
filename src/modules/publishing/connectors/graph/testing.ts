/**
 * Test helpers for the Meta connectors: the engine's exactly-once sequence (publish; after an
 * uncertain outcome look up first; retry a transient one), and a tiny public web server that
 * serves images for the networks that pull media from a URL (Instagram, Threads).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '../../connector.ts';
import type { Connector, OutgoingMedia, PublishRequest, PublishResult } from '../../connector.ts';
import { jpeg } from '../test-support.ts';

export interface EngineRun {
  result: PublishResult;
  /** The kinds of the failures on the way, in order (`uncertain`, `transient`…). */
  failures: string[];
  /** Whether the result came from `findPublished` rather than a publish. */
  found: boolean;
}

/** What publish-target.ts does with one target, without the database: at most `attempts` tries. */
export async function publishLikeEngine(connector: Connector, request: PublishRequest, attempts = 4): Promise<EngineRun> {
  const failures: string[] = [];
  let verify = false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = { ...request, attempt };
    if (verify) {
      const found = await connector.findPublished(current);
      if (found) return { result: found, failures, found: true };
    }
    try {
      return { result: await connector.publish(current), failures, found: false };
    } catch (error) {
      if (!(error instanceof ConnectorError) || (error.kind !== 'uncertain' && error.kind !== 'transient')) throw error;
      failures.push(error.kind);
      verify = error.kind === 'uncertain';
    }
  }
  throw new Error(`not published after ${attempts} attempts: ${failures.join(', ')}`);
}

/**
 * A fetch that lets the server handle the first `times` requests whose path ends with `pathEnd`,
 * then throws what undici throws when the connection drops before the answer: the network did the
 * work, the client never learns it.
 */
export function losingFetch(pathEnd: string, times = 1): typeof fetch {
  let left = times;
  return async (input, init) => {
    const response = await fetch(input, init);
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    if (left > 0 && path.endsWith(pathEnd)) {
      left -= 1;
      await response.body?.cancel();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    }
    return response;
  };
}

/**
 * Plays the person on the sandbox's consent page: submits its form with the account chosen (the
 * sandbox account's id) and "allow", and answers the `code` and `state` the redirect carries back.
 */
export async function approveConsent(consentUrl: string, accountId?: string): Promise<{ code: string; state: string | null }> {
  const page = await (await fetch(consentUrl)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(name!, decode(value!));
  for (const [, name, value] of page.matchAll(/<input type="(?:checkbox|radio)" name="([^"]+)" value="([^"]*)"( checked)?>/g)) {
    // The given account only; without one, what the page ticked.
    if (accountId !== undefined ? decode(value!) === accountId : page.includes(`value="${value}" checked`)) form.append(name!, decode(value!));
  }
  form.set('decision', 'allow');
  const answer = await fetch(consentUrl, { method: 'POST', body: form, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (!location) throw new Error(`consent gave no redirect (HTTP ${answer.status})`);
  const back = new URL(location);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`consent redirect has no code: ${location}`);
  return { code, state: back.searchParams.get('state') };
}

function decode(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A minimal PNG signature (not JPEG), for networks that take JPEG only. */
export const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 3)]);

export interface ImageHost {
  url(name: string): string;
  media(name: string, alt: string, mime?: string): OutgoingMedia;
  /** How many times each path was fetched (the network really pulled it). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `/<name>.jpg` as a JPEG and `/<name>.png` as a PNG; anything else is 404. */
export async function startImageHost(): Promise<ImageHost> {
  const hits = new Map<string, number>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('/missing')) {
      response.writeHead(404).end('not found');
    } else if (path.endsWith('.jpg')) {
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.length }).end(jpeg);
    } else if (path.endsWith('.png')) {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
    } else {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (name) => `${base}/${name}`,
    media: (name, alt, mime = name.endsWith('.png') ? 'image/png' : 'image/jpeg') => ({
      url: `${base}/${name}`,
      read: async () => (mime === 'image/png' ? png : jpeg),
      mime,
      alt,
      width: 1080,
      height: 1080,
    }),
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
