/**
 * The public side of citizens' feedback: the form's script, its challenge, and the form's target.
 * A send goes: article still there → not too many sends from this address → honeypot → fields →
 * the anti-spam check (proof of work, or the wait for browsers without JavaScript) spent once →
 * stored → redirect to the thank-you page (so reloading it sends nothing twice).
 */
import { readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { articleBySlug } from '../queries.ts';
import { ChallengeSigner, NO_SCRIPT_WAIT_MS, spendChallenge } from './challenge.ts';
import { feedbackPath, type FeedbackFormValues } from './form.ts';
import { feedbackFormCss, formPage, goneArticlePage, thanksPage, waitText, type FeedbackArticle } from './pages.ts';
import { SendLimiter } from './rate-limit.ts';
import { readFeedbackForm, storeFeedback } from './submit-feedback.ts';

const script = readFileSync(new URL('./umpan-balik.js', import.meta.url), 'utf8');

export const feedbackScriptPath = '/umpan-balik.js';
export const feedbackStylesPath = '/umpan-balik.css';
export const challengePath = '/umpan-balik/tantangan';
export const thanksPath = (slug: string): string => `${feedbackPath(slug)}/terkirim`;

const slugParams = z.object({ slug: z.string().min(1).max(200) });
const waitSeconds = Math.round(NO_SCRIPT_WAIT_MS / 1000);

function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(text)) {
    const before = out[key];
    out[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return out;
}

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

export interface FeedbackRouteOptions {
  services: Services;
  /** Sends per address; tests pass their own. */
  limiter?: SendLimiter;
}

export async function feedbackRoutes(app: App, { services, limiter = new SendLimiter() }: FeedbackRouteOptions): Promise<void> {
  const { db } = services;
  const signer = new ChallengeSigner(services.keyring);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
  });

  app.get(feedbackScriptPath, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(script));

  app.get(feedbackStylesPath, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(feedbackFormCss));

  app.get(challengePath, { schema: { hide: true } }, async (_request, reply) => {
    const { challenge, difficulty } = signer.issueWork(new Date());
    return reply.header('cache-control', 'no-store').send({ challenge, difficulty });
  });

  async function articleOr(reply: FastifyReply, slug: string, now: Date): Promise<(FeedbackArticle & { postId: string; unitId: string }) | FastifyReply> {
    const article = await articleBySlug(db, slug, now);
    if (!article) return sendPage(reply, 404, goneArticlePage('unknown'));
    if (!article.visible) return sendPage(reply, 410, goneArticlePage('withdrawn'));
    return { slug: article.slug, title: article.title, unit: { name: article.unit.name }, postId: article.postId, unitId: article.unit.id };
  }

  // The form on a page of its own (the address the form sends to, opened directly).
  app.get('/berita/:slug/umpan-balik', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const article = await articleOr(reply, request.params.slug, new Date());
    if (!('postId' in article)) return article;
    return sendPage(reply, 200, formPage(article, {}));
  });

  app.get('/berita/:slug/umpan-balik/terkirim', { schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const article = await articleOr(reply, request.params.slug, new Date());
    if (!('postId' in article)) return article;
    return sendPage(reply, 200, thanksPage(article));
  });

  app.post('/berita/:slug/umpan-balik', { bodyLimit: 64 * 1024, schema: { hide: true, params: slugParams } }, async (request, reply) => {
    const now = new Date();
    const article = await articleOr(reply, request.params.slug, now);
    if (!('postId' in article)) return article;
    const form = readFeedbackForm(request.body);
    const ip = request.ip;
    const again = (status: number, values: FeedbackFormValues, notice?: string, waitToken = signer.issueWait(now)) =>
      sendPage(reply, status, formPage(article, { values, errors: form.errors, notice, waitToken }));

    const waitMs = limiter.waitMs(ip, now.getTime());
    if (waitMs > 0) {
      void reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return again(429, form.values, `Sudah terlalu banyak pesan terkirim dari jaringan Anda dalam 10 menit terakhir. Coba kirim lagi dalam ${waitText(waitMs, now)}. Isian Anda masih ada di bawah.`);
    }
    if (form.honeypot !== '') {
      // Filled by a robot: it is told the form went through, and nothing is kept.
      limiter.record(ip, now.getTime());
      return reply.redirect(thanksPath(article.slug), 303);
    }
    if (Object.keys(form.errors).length > 0) return again(422, form.values);

    if (form.challenge === '') {
      return again(200, form.values, `Satu langkah lagi: untuk mencegah spam, tunggu ${waitSeconds} detik, lalu tekan "Kirim pesan" sekali lagi. (Dengan JavaScript aktif, pemeriksaan ini berjalan otomatis.)`);
    }
    const check = signer.check(form.challenge, form.nonce, now);
    if (!check.ok && check.reason === 'too_early') {
      const seconds = Math.ceil((check.waitMs ?? 0) / 1000);
      return again(200, form.values, `Belum cukup waktu: tunggu ${seconds} detik lagi, lalu tekan "Kirim pesan".`, form.challenge);
    }
    const spent = check.ok && (await spendChallenge(db, check.token, check.expiresAt, now));
    if (!spent) {
      limiter.record(ip, now.getTime());
      return again(400, form.values, `Pemeriksaan pencegah spam tidak berhasil atau sudah kedaluwarsa, sehingga pesan belum terkirim. Tunggu ${waitSeconds} detik, lalu tekan "Kirim pesan" sekali lagi.`);
    }
    limiter.record(ip, now.getTime());
    await storeFeedback(db, { postId: article.postId, unitId: article.unitId, values: form.values });
    return reply.redirect(thanksPath(article.slug), 303);
  });
}
