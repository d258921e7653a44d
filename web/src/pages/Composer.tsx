// The composer: one master text (TipTap), media, channels, schedule and serta-merta fields, then a tab
// per network with a faithful preview, live counters, rule results and the variant's own text.
// Nothing typed is lost: the form stays on every error and an autosaved copy lives in localStorage.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError, uploadMedia } from '../api.ts';
import type { Channel, Check, Hint, MediaItem, NetworkId, NetworkInfo, Post, Preview, PostInput, Rubric, SertaMerta, Unit, VariantInput } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { useFocusHeading, useUnits } from '../hooks.ts';
import { navigate, Link } from '../router.tsx';
import { tzAbbr } from '../format.ts';
import { bi, isNetwork, joinParts, networkName, quickCount, splitParts, statusKey, statusTone, unitsWithRole } from '../content.ts';
import { Alert, Badge, Button, CheckboxField, ErrorAlert, Loading, PageHeader, SelectField, TextAreaField, TextField, fieldErrorsOf } from '../components/ui.tsx';
import { RichText } from '../components/RichText.tsx';
import { NetworkPreview, RichPostText } from '../components/NetworkPreview.tsx';
import type { PreviewMedia } from '../components/NetworkPreview.tsx';

interface Attachment {
  mediaId: string;
  alt: string;
  url: string;
  thumbnailUrl: string | null;
  kind: string;
  width: number | null;
  height: number | null;
}

interface FormState {
  unitId: string;
  title: string;
  bodyHtml: string;
  summary: string;
  rubricId: string;
  tags: string;
  portalUrl: string;
  media: Attachment[];
  targets: string[];
  networkOnly: NetworkId[];
  /** The person's own text per network (thread parts separated by a line "---"). */
  custom: Partial<Record<NetworkId, string>>;
  scheduleDate: string;
  scheduleTime: string;
  urgent: boolean;
  sertaMerta: SertaMerta;
}

const EMPTY_SM: SertaMerta = { what: '', areas: '', actions: '', help: '', contact: '' };
const SM_FIELDS: { key: keyof SertaMerta; label: MessageKey }[] = [
  { key: 'what', label: 'sm.what' },
  { key: 'areas', label: 'sm.areas' },
  { key: 'actions', label: 'sm.actions' },
  { key: 'help', label: 'sm.help' },
  { key: 'contact', label: 'sm.contact' },
];

function emptyForm(unitId: string): FormState {
  return {
    unitId, title: '', bodyHtml: '', summary: '', rubricId: '', tags: '', portalUrl: '', media: [], targets: [], networkOnly: [], custom: {},
    scheduleDate: '', scheduleTime: '', urgent: false, sertaMerta: { ...EMPTY_SM },
  };
}

function formFromPost(p: Post): FormState {
  const targetNetworks = new Set(p.targets.map((t) => t.network));
  const custom: Partial<Record<NetworkId, string>> = {};
  for (const v of p.variants) if (v.customized && isNetwork(v.network)) custom[v.network] = v.parts.length > 1 ? joinParts(v.parts) : v.text;
  const sm = p.sertaMerta ?? {};
  return {
    unitId: p.unit.id,
    title: p.title,
    bodyHtml: p.bodyHtml,
    summary: p.summary,
    rubricId: p.rubric?.id ?? '',
    tags: p.tags.join(', '),
    portalUrl: p.portalUrl ?? '',
    media: p.media.map((m) => ({ mediaId: m.mediaId, alt: m.alt, url: m.url, thumbnailUrl: m.thumbnailUrl, kind: m.kind, width: m.width, height: m.height })),
    targets: p.targets.map((t) => t.channelId),
    networkOnly: p.variants.map((v) => v.network).filter((n): n is NetworkId => isNetwork(n) && !targetNetworks.has(n)),
    custom,
    scheduleDate: p.scheduled?.local.slice(0, 10) ?? '',
    scheduleTime: p.scheduled?.local.slice(11, 16) ?? '',
    urgent: p.urgent,
    sertaMerta: { what: sm['what'] ?? '', areas: sm['areas'] ?? '', actions: sm['actions'] ?? '', help: sm['help'] ?? '', contact: sm['contact'] ?? '' },
  };
}

const tagsOf = (s: string): string[] => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];
const validUrl = (s: string): boolean => /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(s.trim());
const plain = (html: string): string => {
  const d = document.createElement('div');
  d.innerHTML = html;
  return (d.textContent ?? '').trim();
};

function selectedNetworks(f: FormState, channels: Channel[]): NetworkId[] {
  const set = new Set<NetworkId>();
  for (const id of f.targets) {
    const c = channels.find((x) => x.id === id);
    if (c && isNetwork(c.network)) set.add(c.network);
  }
  for (const n of f.networkOnly) set.add(n);
  return [...set].sort();
}

function variantsOf(f: FormState, networks: NetworkId[]): VariantInput[] {
  return networks.map((n) => {
    const own = f.custom[n];
    if (own === undefined) return { network: n, customized: false };
    const parts = splitParts(own);
    return parts.length > 1 ? { network: n, text: parts[0]!, parts, customized: true } : { network: n, text: own, customized: true };
  });
}

function inputOf(f: FormState, networks: NetworkId[]): PostInput {
  return {
    title: f.title,
    bodyHtml: f.bodyHtml,
    summary: f.summary,
    rubricId: f.rubricId || null,
    tags: tagsOf(f.tags),
    portalUrl: f.portalUrl.trim() ? f.portalUrl.trim() : null,
    urgent: f.urgent,
    sertaMerta: f.urgent ? f.sertaMerta : null,
    media: f.media.map((m) => ({ mediaId: m.mediaId, alt: m.alt })),
    variants: variantsOf(f, networks),
    targets: f.targets,
    scheduledAt: f.scheduleDate && f.scheduleTime ? `${f.scheduleDate}T${f.scheduleTime}` : null,
  };
}

interface Autosaved {
  form: FormState;
  baseVersion: number | null;
  at: string;
}
const autosaveKey = (postId: string | undefined) => `siar.admin.compose.${postId ?? 'new'}`;
function readAutosave(postId: string | undefined): Autosaved | null {
  try {
    const raw = localStorage.getItem(autosaveKey(postId));
    return raw ? (JSON.parse(raw) as Autosaved) : null;
  } catch {
    return null;
  }
}
function writeAutosave(postId: string | undefined, value: Autosaved | null): void {
  try {
    if (value) localStorage.setItem(autosaveKey(postId), JSON.stringify(value));
    else localStorage.removeItem(autosaveKey(postId));
  } catch {
    /* storage full or unavailable: the form itself still holds everything */
  }
}

// ---------- Media ----------

function MediaSection({ unitId, media, onChange }: { unitId: string; media: Attachment[]; onChange: (m: Attachment[]) => void }) {
  const { t } = useT();
  const [file, setFile] = useState<File | null>(null);
  const [alt, setAlt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [library, setLibrary] = useState<MediaItem[] | null>(null);
  const [libOpen, setLibOpen] = useState(false);
  const [libError, setLibError] = useState<unknown>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const attach = (m: MediaItem) => {
    if (media.some((a) => a.mediaId === m.id)) return;
    onChange([...media, { mediaId: m.id, alt: m.alt, url: m.url, thumbnailUrl: m.thumbnailUrl, kind: m.kind, width: m.width, height: m.height }]);
  };

  const upload = async () => {
    if (!file) {
      setError(new Error(t('media.errFile')));
      return;
    }
    if (!alt.trim()) {
      setError(new Error(t('media.errAlt')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const m = await uploadMedia(unitId, alt.trim(), file);
      attach({ ...m, alt: m.alt || alt.trim() });
      setFile(null);
      setAlt('');
      if (fileRef.current) fileRef.current.value = '';
      setLibrary((l) => (l ? [m, ...l.filter((x) => x.id !== m.id)] : l));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const openLibrary = async () => {
    setLibOpen((o) => !o);
    if (library) return;
    try {
      setLibrary((await api.media(unitId)).items);
    } catch (e) {
      setLibError(e);
    }
  };
  useEffect(() => {
    setLibrary(null);
    setLibOpen(false);
  }, [unitId]);

  return (
    <fieldset className="fieldset" data-testid="media-section">
      <legend>{t('media.title')}</legend>
      {media.length > 0 && (
        <ul className="attachments">
          {media.map((m, i) => (
            <li key={m.mediaId} className="attachment" data-testid="attachment">
              {m.kind === 'video' ? <span className="attachment__thumb attachment__thumb--video" aria-hidden="true">▶</span> : <img className="attachment__thumb" src={m.thumbnailUrl ?? m.url} alt="" />}
              <TextField
                label={t('media.alt')}
                value={m.alt}
                onChange={(e) => onChange(media.map((x, j) => (j === i ? { ...x, alt: e.target.value } : x)))}
                error={m.alt.trim() ? undefined : t('media.errAlt')}
                hint={t('media.altHint')}
                data-testid={`attachment-alt-${m.mediaId}`}
              />
              <Button small variant="ghost" className="btn--danger-text" onClick={() => onChange(media.filter((x) => x.mediaId !== m.mediaId))} data-testid={`attachment-remove-${m.mediaId}`}>
                {t('media.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="upload">
        <div className="field">
          <label htmlFor="media-file">{t('media.file')}</label>
          <input id="media-file" ref={fileRef} type="file" accept="image/*,video/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="media-upload-file" />
        </div>
        <TextField label={t('media.altNew')} value={alt} onChange={(e) => setAlt(e.target.value)} hint={t('media.altHint')} required data-testid="media-upload-alt" />
        <div className="form-actions">
          <Button onClick={() => void upload()} busy={busy} data-testid="media-upload-submit">{t('media.upload')}</Button>
          <Button variant="ghost" onClick={() => void openLibrary()} aria-expanded={libOpen} data-testid="media-library-open">{t('media.library')}</Button>
        </div>
        <ErrorAlert error={error} testId="media-error" />
      </div>
      {libOpen && (
        <div className="library" data-testid="media-library">
          <ErrorAlert error={libError} testId="media-library-error" />
          {!library && !libError && <Loading />}
          {library && library.length === 0 && <p className="muted">{t('media.libraryEmpty')}</p>}
          {library && library.length > 0 && (
            <ul className="library__grid">
              {library.map((m) => {
                const chosen = media.some((a) => a.mediaId === m.id);
                return (
                  <li key={m.id} className="library__item">
                    {m.kind === 'video' ? <span className="library__thumb attachment__thumb--video" aria-hidden="true">▶</span> : <img className="library__thumb" src={m.thumbnailUrl ?? m.url} alt="" />}
                    <span className="small break">{m.alt || <em className="muted">{t('media.noAlt')}</em>}</span>
                    <Button small disabled={chosen} onClick={() => attach(m)} data-testid={`media-pick-${m.id}`}>{chosen ? t('media.chosen') : t('media.choose')}</Button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </fieldset>
  );
}

// ---------- Network panel ----------

function IssueBlocks({ checks, locale, network, testPrefix }: { checks: Check[]; locale: 'id' | 'en'; network: string; testPrefix: string }) {
  const errors = checks.flatMap((c) => c.issues.filter((i) => i.severity === 'error'));
  const warnings = checks.flatMap((c) => c.issues.filter((i) => i.severity === 'warning'));
  const fmt = (i: { message: { id: string; en: string }; part?: number; measured: number | string; limit: number | string }) =>
    `${i.part ? `#${i.part}: ` : ''}${bi(i.message, locale)}`;
  return (
    <>
      {errors.length > 0 && (
        <div className="issues issues--error" role="alert" data-testid={`${testPrefix}-error-${network}`}>
          <ul>{errors.map((i, k) => <li key={k}>{fmt(i)}</li>)}</ul>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="issues issues--warning" data-testid={`${testPrefix}-warning-${network}`}>
          <ul>{warnings.map((i, k) => <li key={k}>{fmt(i)}</li>)}</ul>
        </div>
      )}
    </>
  );
}

function NetworkPanel({ network, form, channels, unit, preview, stale, limits, submitChecks, onCustom, onReset }: {
  network: NetworkId;
  form: FormState;
  channels: Channel[];
  unit: Unit | undefined;
  preview: Preview | null;
  stale: boolean;
  limits: NetworkInfo | undefined;
  submitChecks: Check[] | null;
  onCustom: (text: string) => void;
  onReset: () => void;
}) {
  const { t, locale } = useT();
  const variant = preview?.variants.find((v) => v.network === network);
  const own = form.custom[network];
  const parts = own !== undefined ? splitParts(own) : (variant?.parts ?? []);
  const text = own !== undefined ? (parts[0] ?? '') : (variant?.text ?? '');
  const checks = (preview?.checks ?? []).filter((c) => c.network === network);
  const channel = channels.find((c) => form.targets.includes(c.id) && c.network === network);
  const account = channel ? { name: channel.name, handle: channel.handle, avatarUrl: channel.avatarUrl } : { name: unit?.name ?? 'Siar', handle: '', avatarUrl: unit?.logoUrl ?? null };
  const media: PreviewMedia[] = form.media
    .filter((m) => !variant || variant.mediaIds.length === 0 || variant.mediaIds.includes(m.mediaId))
    .map((m) => ({ id: m.mediaId, url: m.url, thumbnailUrl: m.thumbnailUrl, alt: m.alt, kind: m.kind, width: m.width, height: m.height }));

  // Live counter: the server's exact count when the preview matches what is on screen, else a quick local one.
  const maxText = typeof limits?.limits['maxText'] === 'number' ? (limits.limits['maxText'] as number) : undefined;
  const serverCounter = !stale ? checks[0]?.counters[0] : undefined;
  const chain = parts.length > 1 ? parts : [text];
  const used = serverCounter ? serverCounter.used : Math.max(0, ...chain.map((p) => quickCount(network, p)));
  const limit = serverCounter ? serverCounter.limit : maxText;
  const over = limit !== undefined && used > limit;
  const editValue = own ?? (variant ? (variant.parts.length > 1 ? joinParts(variant.parts) : variant.text) : '');
  const ownSubmit = (submitChecks ?? []).filter((c) => c.network === network);

  return (
    <div className="netpanel" role="tabpanel" id={`panel-${network}`} aria-labelledby={`tab-${network}`} data-testid={`panel-${network}`}>
      <div className="netpanel__grid">
        <div>
          <NetworkPreview network={network} account={account} text={text} parts={parts} title={variant?.title} media={media} />
        </div>
        <div className="stack">
          <div className="counter-row">
            <span className={`counter${over ? ' counter--over' : ''}`} data-testid={`counter-${network}`} aria-live="polite">
              {t('cmp.counter', { used, limit: limit ?? '∞' })}
            </span>
            {parts.length > 1 && <Badge tone="blue">{t('cmp.threadParts', { n: parts.length })}</Badge>}
            {own !== undefined ? <Badge tone="amber">{t('cmp.customized')}</Badge> : <Badge>{t('cmp.followsMaster')}</Badge>}
            {stale && <span className="muted small">{t('cmp.checking')}</span>}
          </div>
          {ownSubmit.length > 0 && (
            <div data-testid={`submit-problems-${network}`}>
              <strong className="small">{t('cmp.submitRefused')}</strong>
              <IssueBlocks checks={ownSubmit} locale={locale} network={network} testPrefix="submit-issues" />
            </div>
          )}
          <IssueBlocks checks={checks} locale={locale} network={network} testPrefix="issues" />
          {checks.length > 0 && checks.every((c) => c.ok) && !stale && <p className="ok-line" data-testid={`ok-${network}`}>✓ {t('cmp.rulesOk')}</p>}
          {variant?.notes && variant.notes.length > 0 && (
            <ul className="notes small">{variant.notes.map((n, i) => <li key={i}>{bi(n, locale)}</li>)}</ul>
          )}
          <TextAreaField
            label={t('cmp.variantText', { network: networkName(network) })}
            hint={t('cmp.variantHint')}
            rows={8}
            value={editValue}
            onChange={(e) => onCustom(e.target.value)}
            data-testid={`variant-text-${network}`}
          />
          {own !== undefined && (
            <Button small onClick={onReset} data-testid={`variant-reset-${network}`}>{t('cmp.followMaster')}</Button>
          )}
        </div>
      </div>
    </div>
  );
}

function HintList({ hints }: { hints: Hint[] }) {
  const { t, locale } = useT();
  if (hints.length === 0) return null;
  const second = hints.filter((h) => h.severity === 'second_look');
  const advice = hints.filter((h) => h.severity === 'advice');
  return (
    <section className="card" aria-labelledby="hints-h" data-testid="hints">
      <h2 id="hints-h">{t('cmp.hints')}</h2>
      {second.length > 0 && (
        <div className="issues issues--warning" data-testid="hints-second-look">
          <strong>{t('cmp.secondLook')}</strong>
          <ul>{second.map((h, i) => <li key={i}>{bi(h.message, locale)}{h.excerpt ? <> — <q>{h.excerpt}</q></> : null}</li>)}</ul>
        </div>
      )}
      {advice.length > 0 && (
        <div className="issues issues--info" data-testid="hints-advice">
          <strong>{t('cmp.advice')}</strong>
          <ul>{advice.map((h, i) => <li key={i}>{bi(h.message, locale)}</li>)}</ul>
        </div>
      )}
    </section>
  );
}

function ConflictPanel({ mine, theirs, onKeepMine, onTakeTheirs }: { mine: FormState; theirs: Post; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const { t, locale } = useT();
  const rows: { label: string; a: string; b: string }[] = [
    { label: t('cmp.title'), a: mine.title, b: theirs.title },
    { label: t('cmp.body'), a: plain(mine.bodyHtml), b: theirs.bodyText },
    { label: t('cmp.summary'), a: mine.summary, b: theirs.summary },
    { label: t('cmp.schedule'), a: mine.scheduleDate ? `${mine.scheduleDate} ${mine.scheduleTime}` : '—', b: theirs.scheduled ? `${theirs.scheduled.local.replace('T', ' ')} ${theirs.scheduled.zoneName}` : '—' },
  ];
  return (
    <section className="card conflict" role="alert" data-testid="conflict-panel">
      <h2>{t('cmp.conflictTitle')}</h2>
      <p>{t('cmp.conflictDesc', { version: theirs.version, name: theirs.author.name, when: new Date(theirs.updatedAt).toLocaleString(locale === 'en' ? 'en-GB' : 'id-ID') })}</p>
      <div className="conflict__grid">
        <div className="conflict__col"><h3>{t('cmp.conflictMine')}</h3></div>
        <div className="conflict__col"><h3>{t('cmp.conflictTheirs', { version: theirs.version })}</h3></div>
        {rows.map((r) => (
          <div key={r.label} className={`conflict__row${r.a !== r.b ? ' conflict__row--diff' : ''}`}>
            <div className="conflict__label">{r.label}</div>
            <div className="conflict__cell" data-testid="conflict-mine">{r.a || '—'}</div>
            <div className="conflict__cell" data-testid="conflict-theirs">{r.b || '—'}</div>
          </div>
        ))}
      </div>
      <div className="form-actions">
        <Button variant="primary" onClick={onKeepMine} data-testid="conflict-keep-mine">{t('cmp.conflictKeepMine')}</Button>
        <Button onClick={onTakeTheirs} data-testid="conflict-take-theirs">{t('cmp.conflictTakeTheirs')}</Button>
      </div>
    </section>
  );
}

// ---------- Page ----------

export function Composer({ postId: routePostId }: { postId?: string }) {
  const { t, locale } = useT();
  const { me } = useSession();
  useFocusHeading();
  const { units, error: unitsError } = useUnits();
  const writable = useMemo(() => (units ? unitsWithRole(me, units, 'editor') : []), [me, units]);

  const [postId, setPostId] = useState<string | undefined>(routePostId);
  const [post, setPost] = useState<Post | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [baseVersion, setBaseVersion] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [restore, setRestore] = useState<Autosaved | null>(null);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [rubrics, setRubrics] = useState<Rubric[]>([]);
  const [networks, setNetworks] = useState<NetworkInfo[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [stale, setStale] = useState(true);
  const [tab, setTab] = useState<NetworkId | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'submit'>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [submitChecks, setSubmitChecks] = useState<Check[] | null>(null);
  const [secondLook, setSecondLook] = useState<Hint[] | null>(null);
  const [conflict, setConflict] = useState<Post | null>(null);
  const dirty = useRef(false);

  // Load the post (edit) or start empty (new); an autosaved copy is offered, never forced.
  useEffect(() => {
    if (routePostId && routePostId === postId && form) return; // we just created it ourselves
    let cancelled = false;
    setPostId(routePostId);
    setLoadError(null);
    (async () => {
      try {
        if (routePostId) {
          const p = await api.post(routePostId);
          if (cancelled) return;
          setPost(p);
          setForm(formFromPost(p));
          setBaseVersion(p.version);
        } else {
          setPost(null);
          setForm(null);
          setBaseVersion(null);
        }
        const auto = readAutosave(routePostId);
        if (!cancelled && auto) setRestore(auto);
      } catch (e) {
        if (!cancelled) setLoadError(e);
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [routePostId]);

  // A new post starts in the person's first unit where they can write.
  useEffect(() => {
    if (!routePostId && !form && writable.length > 0) {
      const first = me.memberships.find((m) => writable.some((u) => u.id === m.unitId))?.unitId ?? writable[0]!.id;
      setForm(emptyForm(first));
    }
  }, [routePostId, form, writable, me]);

  useEffect(() => {
    api.rubrics().then((r) => setRubrics(r.items.filter((x) => !x.archived))).catch(() => undefined);
    api.networks().then((r) => setNetworks(r.items)).catch(() => undefined);
  }, []);

  const unitId = form?.unitId;
  useEffect(() => {
    if (!unitId) return;
    api.channels(unitId).then((r) => setChannels(r.items.filter((c) => !c.disabled && c.usable !== false))).catch((e) => setPreviewError(e));
  }, [unitId]);

  const update = useCallback((patch: Partial<FormState> | ((f: FormState) => FormState)) => {
    dirty.current = true;
    setSaved(null);
    setSubmitChecks(null);
    setForm((f) => (f ? (typeof patch === 'function' ? patch(f) : { ...f, ...patch }) : f));
  }, []);

  // Autosave every change (debounced) so a crash, a closed tab or an error loses nothing.
  useEffect(() => {
    if (!form || !dirty.current) return;
    const h = window.setTimeout(() => writeAutosave(postId, { form, baseVersion, at: new Date().toISOString() }), 500);
    return () => window.clearTimeout(h);
  }, [form, postId, baseVersion]);

  const nets = useMemo(() => (form ? selectedNetworks(form, channels) : []), [form, channels]);
  useEffect(() => {
    if (nets.length === 0) setTab(null);
    else if (!tab || !nets.includes(tab)) setTab(nets[0]!);
  }, [nets, tab]);

  // Live preview: adapt + checks + hints, debounced ~400 ms after the last keystroke.
  const gen = useRef(0);
  const previewBody = useMemo(() => {
    if (!form || !form.unitId) return null;
    const input = inputOf(form, nets);
    return {
      unitId: form.unitId,
      title: input.title,
      bodyHtml: input.bodyHtml,
      summary: input.summary,
      rubricId: input.rubricId,
      tags: input.tags,
      portalUrl: input.portalUrl && validUrl(input.portalUrl) ? input.portalUrl : null,
      urgent: input.urgent,
      media: input.media.filter((m) => m.alt.trim() !== ''),
      variants: input.variants,
      targets: input.targets,
      // A saved post is previewed with its own short links.
      ...(postId ? { postId } : {}),
    };
  }, [form, nets, postId]);
  const previewKey = JSON.stringify(previewBody);
  useEffect(() => {
    if (!previewBody) return;
    setStale(true);
    const my = ++gen.current;
    const h = window.setTimeout(() => {
      api.previewPost(previewBody).then(
        (p) => {
          if (my !== gen.current) return;
          setPreview(p);
          setPreviewError(null);
          setStale(false);
        },
        (e) => {
          if (my !== gen.current) return;
          setPreviewError(e);
        },
      );
    }, 400);
    return () => window.clearTimeout(h);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [previewKey]);

  const afterSave = (p: Post, msg: string) => {
    setPost(p);
    setBaseVersion(p.version);
    setConflict(null);
    dirty.current = false;
    writeAutosave(postId, null);
    if (!postId) {
      writeAutosave(undefined, null);
      setPostId(p.id);
      navigate(`/posts/${p.id}/edit`, { replace: true });
    }
    setSaved(msg);
  };

  /** Saves (create or patch) and returns the saved post, or null after showing the problem. */
  const save = async (versionOverride?: number): Promise<Post | null> => {
    if (!form) return null;
    setError(null);
    const input = inputOf(form, nets);
    try {
      let p: Post;
      if (!postId) p = await api.createPost({ unitId: form.unitId, ...input });
      else p = await api.updatePost(postId, { version: versionOverride ?? baseVersion ?? 1, ...input });
      afterSave(p, t('cmp.savedMsg'));
      return p;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'post.version_conflict') {
        const current = e.details?.['current'] as Post | undefined;
        if (current) setConflict(current);
      }
      setError(e);
      return null;
    }
  };

  const onSave = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy('save');
    await save();
    setBusy(null);
  };

  const submit = async (acknowledgeSensitive = false) => {
    setBusy('submit');
    setSecondLook(null);
    try {
      const p = dirty.current || !postId || !post ? await save() : post;
      if (!p) return;
      const done = await api.postAction(p.id, 'submit', { version: p.version, ...(acknowledgeSensitive ? { acknowledgeSensitive: true } : {}) });
      setPost(done);
      writeAutosave(p.id, null);
      navigate(`/posts/${done.id}?submitted=1`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'post.rules_failed') {
        const checks = (e.details?.['checks'] as Check[] | undefined) ?? [];
        setSubmitChecks(checks);
        const firstBad = checks.find((c) => !c.ok)?.network;
        if (firstBad && isNetwork(firstBad)) setTab(firstBad);
      } else if (e instanceof ApiError && e.code === 'post.needs_second_look') {
        setSecondLook((e.details?.['hints'] as Hint[] | undefined) ?? []);
      } else if (e instanceof ApiError && e.code === 'post.version_conflict') {
        const current = e.details?.['current'] as Post | undefined;
        if (current) setConflict(current);
      }
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (loadError) return <><PageHeader title={t('cmp.editTitle')} /><ErrorAlert error={loadError} /></>;
  if (unitsError) return <><PageHeader title={t('cmp.newTitle')} /><ErrorAlert error={unitsError} /></>;
  if (units && writable.length === 0) {
    return (
      <>
        <PageHeader title={t('cmp.newTitle')} />
        <Alert kind="info" testId="composer-no-units">{t('cmp.noUnits')}</Alert>
      </>
    );
  }
  if (!form || !units) return <><PageHeader title={postId ? t('cmp.editTitle') : t('cmp.newTitle')} /><Loading /></>;

  const unit = units.find((u) => u.id === form.unitId);
  const zone = tzAbbr(unit?.timezone ?? 'Asia/Makassar');
  const editable = !post || post.actions.includes('edit');
  const canSubmit = !post || post.actions.includes('submit');
  const fe = fieldErrorsOf(error);
  const byNetwork = new Map<string, Channel[]>();
  for (const c of channels) byNetwork.set(c.network, [...(byNetwork.get(c.network) ?? []), c]);
  const netsWithoutChannels = networks.map((n) => n.id).filter((n): n is NetworkId => isNetwork(n) && !byNetwork.has(n));
  const errorCount = (n: string) => (preview?.checks ?? []).filter((c) => c.network === n).reduce((k, c) => k + c.issues.filter((i) => i.severity === 'error').length, 0)
    + (submitChecks ?? []).filter((c) => c.network === n).reduce((k, c) => k + c.issues.filter((i) => i.severity === 'error').length, 0);
  const toggleTarget = (id: string, on: boolean) => update((f) => ({ ...f, targets: on ? [...f.targets, id] : f.targets.filter((x) => x !== id) }));
  const toggleNetworkOnly = (n: NetworkId, on: boolean) => update((f) => ({ ...f, networkOnly: on ? [...f.networkOnly, n] : f.networkOnly.filter((x) => x !== n) }));

  return (
    <div data-testid="composer">
      <PageHeader
        title={postId ? t('cmp.editTitle') : t('cmp.newTitle')}
        description={t('cmp.desc')}
        actions={post && (
          <>
            <Badge tone={statusTone(post.status)}>{t(statusKey(post.status))}</Badge>
            <Link to={`/posts/${post.id}`} className="btn btn--small btn--ghost" data-testid="composer-open-post">{t('cmp.openPost')}</Link>
          </>
        )}
      />
      {restore && (
        <Alert kind="info" testId="autosave-banner" title={t('cmp.autosaveTitle')}>
          <p>{t('cmp.autosaveDesc', { when: new Date(restore.at).toLocaleString(locale === 'en' ? 'en-GB' : 'id-ID') })}</p>
          <div className="form-actions">
            <Button small variant="primary" onClick={() => { dirty.current = true; setForm(restore.form); if (restore.baseVersion !== null && !baseVersion) setBaseVersion(restore.baseVersion); setRestore(null); }} data-testid="autosave-restore">{t('cmp.autosaveRestore')}</Button>
            <Button small variant="ghost" onClick={() => { writeAutosave(postId, null); setRestore(null); }} data-testid="autosave-discard">{t('cmp.autosaveDiscard')}</Button>
          </div>
        </Alert>
      )}
      {!editable && post && <Alert kind="warning" testId="composer-readonly">{t('cmp.notEditable', { status: t(statusKey(post.status)) })}</Alert>}
      {conflict && (
        <ConflictPanel
          mine={form}
          theirs={conflict}
          onKeepMine={() => { setBaseVersion(conflict.version); setConflict(null); setError(null); setSaved(t('cmp.conflictKept')); dirty.current = true; }}
          onTakeTheirs={() => { setForm(formFromPost(conflict)); setPost(conflict); setBaseVersion(conflict.version); setConflict(null); setError(null); dirty.current = false; writeAutosave(postId, null); }}
        />
      )}

      <form onSubmit={onSave} noValidate className="composer">
        <section className="card" aria-labelledby="master-h">
          <h2 id="master-h">{t('cmp.master')}</h2>
          <SelectField label={t('cmp.unit')} value={form.unitId} disabled={!!postId} onChange={(e) => update((f) => ({ ...f, unitId: e.target.value, targets: [], media: [] }))} data-testid="composer-unit">
            {writable.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </SelectField>
          <TextField label={t('cmp.title')} value={form.title} onChange={(e) => update({ title: e.target.value })} error={fe['title']} required data-testid="composer-title" />
          <RichText label={t('cmp.body')} value={form.bodyHtml} onChange={(html) => update({ bodyHtml: html })} testId="composer-body" />
          <TextAreaField label={t('cmp.summary')} hint={t('cmp.summaryHint')} rows={2} value={form.summary} onChange={(e) => update({ summary: e.target.value })} error={fe['summary']} data-testid="composer-summary" />
          <div className="grid-2 grid-2--tight">
            <SelectField label={t('cmp.rubric')} value={form.rubricId} onChange={(e) => update({ rubricId: e.target.value })} error={fe['rubricId']} data-testid="composer-rubric">
              <option value="">{t('cmp.noRubric')}</option>
              {rubrics.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </SelectField>
            <TextField label={t('cmp.tags')} hint={t('cmp.tagsHint')} value={form.tags} onChange={(e) => update({ tags: e.target.value })} data-testid="composer-tags" />
          </div>
          <TextField
            label={t('cmp.portal')}
            type="url"
            inputMode="url"
            placeholder="https://"
            value={form.portalUrl}
            onChange={(e) => update({ portalUrl: e.target.value })}
            error={fe['portalUrl'] ?? (form.portalUrl.trim() && !validUrl(form.portalUrl) ? t('cmp.portalInvalid') : undefined)}
            data-testid="composer-portal"
          />
        </section>

        <section className="card" aria-labelledby="media-h">
          <h2 id="media-h" className="sr-only">{t('media.title')}</h2>
          <MediaSection unitId={form.unitId} media={form.media} onChange={(m) => update({ media: m })} />
        </section>

        <section className="card" aria-labelledby="where-h">
          <h2 id="where-h">{t('cmp.where')}</h2>
          {channels.length === 0 && <p className="muted">{t('cmp.noChannels')}</p>}
          {[...byNetwork.entries()].map(([network, list]) => (
            <fieldset key={network} className="fieldset" data-testid={`channels-${network}`}>
              <legend>{networkName(network)}</legend>
              {list.map((c) => (
                <CheckboxField
                  key={c.id}
                  label={<>{c.name} <span className="muted">{c.handle}</span></>}
                  checked={form.targets.includes(c.id)}
                  onChange={(e) => toggleTarget(c.id, e.target.checked)}
                  data-testid={`channel-${c.id}`}
                />
              ))}
              {isNetwork(network) && (
                <CheckboxField label={t('cmp.networkOnly', { network: networkName(network) })} checked={form.networkOnly.includes(network)} onChange={(e) => toggleNetworkOnly(network, e.target.checked)} data-testid={`network-only-${network}`} />
              )}
            </fieldset>
          ))}
          {netsWithoutChannels.length > 0 && (
            <details className="disclosure">
              <summary>{t('cmp.otherNetworks')}</summary>
              <p className="muted small">{t('cmp.otherNetworksHint')}</p>
              <div className="check-grid">
                {netsWithoutChannels.map((n) => (
                  <CheckboxField key={n} label={networkName(n)} checked={form.networkOnly.includes(n)} onChange={(e) => toggleNetworkOnly(n, e.target.checked)} data-testid={`network-only-${n}`} />
                ))}
              </div>
            </details>
          )}
        </section>

        <section className="card" aria-labelledby="when-h">
          <h2 id="when-h">{t('cmp.when')}</h2>
          <div className="schedule">
            <TextField label={t('cmp.date')} type="date" value={form.scheduleDate} onChange={(e) => update({ scheduleDate: e.target.value, scheduleTime: form.scheduleTime || (e.target.value ? '09:00' : '') })} error={fe['scheduledAt']} data-testid="schedule-date" />
            <TextField label={t('cmp.time', { zone })} type="time" value={form.scheduleTime} onChange={(e) => update({ scheduleTime: e.target.value })} data-testid="schedule-time" />
            <span className="schedule__zone" data-testid="schedule-zone">{zone}</span>
            {(form.scheduleDate || form.scheduleTime) && <Button small variant="ghost" onClick={() => update({ scheduleDate: '', scheduleTime: '' })} data-testid="schedule-clear">{t('cmp.clearSchedule')}</Button>}
          </div>
          <p className="muted small">{t('cmp.scheduleHint', { zone, unit: unit?.name ?? '' })}</p>
          <CheckboxField label={<strong>{t('cmp.urgent')}</strong>} hint={t('cmp.urgentHint')} checked={form.urgent} onChange={(e) => update({ urgent: e.target.checked })} data-testid="urgent-toggle" />
          {form.urgent && (
            <fieldset className="fieldset fieldset--urgent" data-testid="serta-merta-fields">
              <legend>{t('sm.title')}</legend>
              {SM_FIELDS.map((s) => (
                <TextAreaField
                  key={s.key}
                  label={t(s.label)}
                  rows={2}
                  required
                  value={form.sertaMerta[s.key]}
                  onChange={(e) => update((f) => ({ ...f, sertaMerta: { ...f.sertaMerta, [s.key]: e.target.value } }))}
                  error={fe[`sertaMerta.${s.key}`] ?? fe[s.key]}
                  data-testid={`sm-${s.key}`}
                />
              ))}
            </fieldset>
          )}
        </section>

        <section className="card" aria-labelledby="nets-h" data-testid="network-tabs">
          <h2 id="nets-h">{t('cmp.previews')}</h2>
          {previewError !== null && <ErrorAlert error={previewError} testId="preview-error" />}
          {nets.length === 0 ? (
            <p className="muted">{t('cmp.pickNetworks')}</p>
          ) : (
            <>
              <div className="tabs" role="tablist" aria-label={t('cmp.previews')}>
                {nets.map((n) => {
                  const errs = errorCount(n);
                  return (
                    <button
                      key={n}
                      type="button"
                      role="tab"
                      id={`tab-${n}`}
                      aria-selected={tab === n}
                      aria-controls={`panel-${n}`}
                      className={`tab${errs > 0 ? ' tab--error' : ''}`}
                      onClick={() => setTab(n)}
                      data-testid={`tab-${n}`}
                    >
                      {networkName(n)}
                      {errs > 0 && <span className="tab__count" aria-label={t('cmp.errorsN', { n: errs })}>{errs}</span>}
                    </button>
                  );
                })}
              </div>
              {tab && (
                <NetworkPanel
                  key={tab}
                  network={tab}
                  form={form}
                  channels={channels}
                  unit={unit}
                  preview={preview}
                  stale={stale}
                  limits={networks.find((n) => n.id === tab)}
                  submitChecks={submitChecks}
                  onCustom={(text) => update((f) => ({ ...f, custom: { ...f.custom, [tab]: text } }))}
                  onReset={() => update((f) => {
                    const custom = { ...f.custom };
                    delete custom[tab];
                    return { ...f, custom };
                  })}
                />
              )}
            </>
          )}
        </section>

        {preview && <HintList hints={preview.hints} />}

        {secondLook && (
          <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="sl-h" data-testid="second-look-dialog">
            <div className="dialog__box">
              <h2 id="sl-h">{t('cmp.secondLookTitle')}</h2>
              <p>{t('cmp.secondLookDesc')}</p>
              <ul>{secondLook.map((h, i) => <li key={i}>{bi(h.message, locale)}{h.excerpt ? <> — <q>{h.excerpt}</q></> : null}</li>)}</ul>
              <div className="form-actions">
                <Button variant="primary" onClick={() => void submit(true)} busy={busy === 'submit'} data-testid="second-look-confirm">{t('cmp.secondLookConfirm')}</Button>
                <Button variant="ghost" onClick={() => setSecondLook(null)} data-testid="second-look-cancel">{t('cmp.secondLookBack')}</Button>
              </div>
            </div>
          </div>
        )}

        <div className="composer__bar">
          {error !== null && !conflict && <ErrorAlert error={error} testId="composer-error" fields={['title', 'summary', 'rubricId', 'portalUrl', 'scheduledAt']} />}
          {submitChecks && submitChecks.length > 0 && (
            <Alert kind="error" testId="composer-submit-problems">
              {t('cmp.fixNetworks', { list: [...new Set(submitChecks.filter((c) => !c.ok).map((c) => networkName(c.network)))].join(', ') })}
            </Alert>
          )}
          {saved && <Alert kind="success" testId="composer-saved">{saved}</Alert>}
          <div className="form-actions">
            <Button type="submit" busy={busy === 'save'} disabled={!editable || busy !== null} data-testid="composer-save">{t('cmp.saveDraft')}</Button>
            {canSubmit && <Button variant="primary" busy={busy === 'submit'} disabled={!editable || busy !== null} onClick={() => void submit(false)} data-testid="composer-submit">{t('cmp.submit')}</Button>}
          </div>
        </div>
      </form>
      {preview && form.title && (
        <details className="disclosure">
          <summary>{t('cmp.plainText')}</summary>
          <p className="pre-wrap"><RichPostText text={preview.bodyText} /></p>
        </details>
      )}
    </div>
  );
}
