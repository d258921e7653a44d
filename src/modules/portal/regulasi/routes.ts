/**
 * The portal's regulation pages: `/regulasi` (filters as a GET form: jenis, tahun, status, unit,
 * q; `?halaman=`) and `/regulasi/:slug`. Rendered pages are kept in a render cache (cache.ts) that
 * NOTIFY 'siar_portal' empties in every process — saving a regulation announces it in its own
 * transaction — and that lets go when the next article goes live (a linked article appearing).
 * A list filtered by words is rendered for each request and not stored (`no-store`), like search.
 */
import type { App } from '../../../http/types.ts';
import type { RegulationStatus, RegulationType } from '../../../db/schema.ts';
import type { Services } from '../../../services.ts';
import { regulationTypes } from '../../regulasi/index.ts';
import { PORTAL_CHANNEL } from '../articles.ts';
import { pageOf, RenderCache, type RenderedPage } from '../cache.ts';
import { cleanQuery, nextGoingLive, unitWithBelow } from '../queries.ts';
import { notFoundPage } from '../render/lists.ts';
import { loadPortalSite, pageNumber, PAGE_CACHE_CONTROL, param as portalParam, sendPage } from '../routes.ts';
import { listPublicRegulations, PUBLIC_STATUSES, publicRegulationBySlug, regulationFacets, relatedArticleCards } from './queries.ts';
import { regulationIndexPage, regulationPage, type IndexForm } from './render.ts';

const NOT_FOUND_CACHE_CONTROL = 'no-cache';
const WORDS_CACHE_CONTROL = 'no-store';

/** One value of a query parameter (the first when repeated), trimmed and cut to `max`, or ''. */
const param = (query: unknown, name: string, max: number): string => (portalParam(query, name) ?? '').trim().slice(0, max);

const send = sendPage;

const loadSite = loadPortalSite;

interface IndexRequest {
  form: IndexForm;
  notes: string[];
  filter: { type?: RegulationType | undefined; year?: number | undefined; status?: RegulationStatus | undefined; q: string; page: number };
}

/**
 * The filter form read leniently: a value that cannot be used is set aside with a note, never an
 * error. Only the form is read here (no database), so a cached page costs no query; the unit is
 * looked up when the page is rendered.
 */
function readIndex(query: unknown): IndexRequest | undefined {
  const page = pageNumber(query);
  if (page === undefined) return undefined;
  const form: IndexForm = {
    jenis: param(query, 'jenis', 40),
    tahun: param(query, 'tahun', 10),
    status: param(query, 'status', 40),
    unit: param(query, 'unit', 200),
    q: cleanQuery(param(query, 'q', 200)),
  };
  const notes: string[] = [];
  let type: RegulationType | undefined;
  if (form.jenis !== '') {
    if ((regulationTypes as readonly string[]).includes(form.jenis)) type = form.jenis as RegulationType;
    else {
      notes.push('Jenis regulasi yang dipilih tidak dikenal; semua jenis ditampilkan.');
      form.jenis = '';
    }
  }
  let year: number | undefined;
  if (form.tahun !== '') {
    if (/^\d{4}$/.test(form.tahun)) year = Number(form.tahun);
    else {
      notes.push('Tahun harus empat angka, misalnya 2025; semua tahun ditampilkan.');
      form.tahun = '';
    }
  }
  let status: RegulationStatus | undefined;
  if (form.status !== '') {
    if ((PUBLIC_STATUSES as readonly string[]).includes(form.status)) status = form.status as RegulationStatus;
    else {
      notes.push('Status yang dipilih tidak dikenal; semua status ditampilkan.');
      form.status = '';
    }
  }
  return { form, notes, filter: { type, year, status, q: form.q, page } };
}

export async function regulationPortalRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;
  const cache = new RenderCache({ enabled: config.portalCache === 'on', maxEntries: 300, nextChange: (now) => nextGoingLive(db, now) });
  const stopHearing = await services.notifications?.hear(PORTAL_CHANNEL, () => cache.clear());
  app.addHook('onClose', async () => stopHearing?.());
  const hide = { schema: { hide: true } };
  const notFound = async (path: string): Promise<RenderedPage> => ({ status: 404, body: notFoundPage(await loadSite(services), path) });

  async function renderIndex(path: string, read: IndexRequest): Promise<RenderedPage> {
    const form = { ...read.form };
    const notes = [...read.notes];
    let unitIds: string[] | undefined;
    if (form.unit !== '') {
      const unit = await unitWithBelow(db, form.unit);
      if (unit) unitIds = unit.ids;
      else {
        notes.push('Unit yang dipilih tidak dikenal; regulasi semua unit ditampilkan.');
        form.unit = '';
      }
    }
    const [site, facets, results] = await Promise.all([loadSite(services), regulationFacets(db), listPublicRegulations(db, { ...read.filter, unitIds })]);
    if (read.filter.page > results.pages) return { status: 404, body: notFoundPage(site, path) };
    return { status: 200, body: regulationIndexPage(site, { form, notes, years: facets.years, units: facets.units, results }) };
  }

  app.get('/regulasi', hide, async (request, reply) => {
    const path = '/regulasi';
    const read = readIndex(request.query);
    if (!read) return send(request, reply, pageOf(await notFound(path), Date.now()), NOT_FOUND_CACHE_CONTROL);
    if (read.form.q !== '') {
      const rendered = pageOf(await renderIndex(path, read), Date.now());
      return send(request, reply, rendered, rendered.status === 404 ? NOT_FOUND_CACHE_CONTROL : WORDS_CACHE_CONTROL);
    }
    // Keyed by the filters as understood (junk type, year and status are dropped above, each with
    // its note), so other parameters a visitor adds to the address do not fill the cache.
    const { form } = read;
    const key = `${path}?jenis=${form.jenis}&tahun=${form.tahun}&status=${form.status}&unit=${encodeURIComponent(form.unit)}&halaman=${read.filter.page}&catatan=${read.notes.map((n) => n.slice(0, 6)).join(',')}`;
    const rendered = await cache.get(key, () => renderIndex(path, read));
    return send(request, reply, rendered, rendered.status === 404 ? NOT_FOUND_CACHE_CONTROL : PAGE_CACHE_CONTROL);
  });

  app.get('/regulasi/:slug', hide, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const path = request.url.split('?')[0]!;
    const rendered = await cache.get(`/regulasi/${slug}`, async () => {
      const regulation = await publicRegulationBySlug(db, slug);
      if (!regulation) return notFound(path);
      const now = new Date();
      const [site, articles] = await Promise.all([loadSite(services), relatedArticleCards(db, regulation.id, now)]);
      return { status: 200, body: regulationPage(site, now, regulation, articles) };
    });
    return send(request, reply, rendered, rendered.status === 404 ? NOT_FOUND_CACHE_CONTROL : PAGE_CACHE_CONTROL);
  });
}
