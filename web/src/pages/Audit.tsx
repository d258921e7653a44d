import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import type { AuditEntry, AuditVerify, User } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { useFocusHeading, useUnits } from '../hooks.ts';
import { buildTree, flattenTree, indentLabel } from '../units-tree.ts';
import { dayBoundaryIso, formatDateTime, tzAbbr } from '../format.ts';
import { Alert, Button, ErrorAlert, Loading, PageHeader, SelectField, TextField } from '../components/ui.tsx';

const ACTION_KEYS: Record<string, MessageKey> = {
  'user.login': 'act.user.login',
  'user.login_failed': 'act.user.login_failed',
  'user.logout': 'act.user.logout',
  'user.logout_all': 'act.user.logout_all',
  'user.create': 'act.user.create',
  'user.update': 'act.user.update',
  'user.disable': 'act.user.disable',
  'user.enable': 'act.user.enable',
  'user.password_change': 'act.user.password_change',
  'user.password_reset': 'act.user.password_reset',
  'user.totp_enable': 'act.user.totp_enable',
  'user.totp_disable': 'act.user.totp_disable',
  'user.update_self': 'act.user.update_self',
  'membership.create': 'act.membership.create',
  'membership.update': 'act.membership.update',
  'membership.delete': 'act.membership.delete',
  'unit.create': 'act.unit.create',
  'unit.update': 'act.unit.update',
  'token.create': 'act.token.create',
  'token.revoke': 'act.token.revoke',
};
const KNOWN_ENTITY_TYPES = ['unit', 'user', 'membership', 'api_token'];

interface Filters {
  unitId: string;
  actorId: string;
  action: string;
  entityType: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { unitId: '', actorId: '', action: '', entityType: '', from: '', to: '' };

function Json({ value }: { value: unknown }) {
  return <pre className="json">{value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>;
}

function EntryRow({ e, unitName }: { e: AuditEntry; unitName: Map<string, string> }) {
  const { t, locale, tz } = useT();
  const [open, setOpen] = useState(false);
  const key = ACTION_KEYS[e.action];
  const hasData = e.before !== null || e.after !== null;
  const panelId = `audit-${e.id}`;
  return (
    <li className="audit__item" data-testid="audit-entry">
      <div className="audit__row">
        <div className="audit__when">
          <span className="muted small">#{e.seq}</span>
          <time dateTime={e.at}>{formatDateTime(e.at, locale, tz)}</time>
        </div>
        <div className="audit__what">
          <div>
            <strong>{key ? t(key) : e.action}</strong> <code className="muted small">{e.action}</code>
          </div>
          <div className="small">
            {e.actor && (e.actor.name || e.actor.email) ? <>{e.actor.name ?? e.actor.email}{e.actor.name && e.actor.email && <span className="muted"> ({e.actor.email})</span>}</> : <span className="muted">{t('audit.system')}</span>}
            {e.unitId && <> · {unitName.get(e.unitId) ?? e.unitId}</>}
          </div>
          <div className="muted small">
            {e.entityType}{e.entityId ? ` · ${e.entityId}` : ''}{e.ip ? ` · IP ${e.ip}` : ''}
          </div>
        </div>
        <div className="audit__toggle">
          <Button small variant="ghost" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)} data-testid="audit-expand">
            {open ? t('audit.hide') : t('audit.details')}
          </Button>
        </div>
      </div>
      {open && (
        <div id={panelId} className="audit__detail">
          {hasData ? (
            <div className="grid-2 grid-2--tight">
              <div>
                <h4>{t('audit.before')}</h4>
                <Json value={e.before} />
              </div>
              <div>
                <h4>{t('audit.after')}</h4>
                <Json value={e.after} />
              </div>
            </div>
          ) : (
            <p className="muted">{t('audit.noData')}</p>
          )}
          <dl className="dl dl--compact">
            {e.userAgent && (<><dt>{t('audit.userAgent')}</dt><dd className="break">{e.userAgent}</dd></>)}
            <dt>{t('audit.hash')}</dt>
            <dd className="break"><code>{e.hash}</code></dd>
          </dl>
        </div>
      )}
    </li>
  );
}

export function Audit() {
  const { t, tz } = useT();
  const { units } = useUnits();
  const [actors, setActors] = useState<User[] | null>(null);
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia('(min-width: 860px)').matches);
  useFocusHeading();

  useEffect(() => {
    api.users().then((r) => setActors(r.items), () => setActors(null));
  }, []);

  const params = (f: Filters, c?: string) => ({
    unitId: f.unitId || undefined,
    actorId: f.actorId || undefined,
    action: f.action.trim() || undefined,
    entityType: f.entityType.trim() || undefined,
    from: f.from ? dayBoundaryIso(f.from, tz, false) : undefined,
    to: f.to ? dayBoundaryIso(f.to, tz, true) : undefined,
    cursor: c,
    limit: 50,
  });

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(null);
    api.audit(params(applied)).then(
      (r) => {
        if (stale) return;
        setItems(r.items);
        setCursor(r.nextCursor);
        setLoading(false);
      },
      (err) => {
        if (stale) return;
        setError(err);
        setItems([]);
        setCursor(null);
        setLoading(false);
      },
    );
    return () => {
      stale = true;
    };
  }, [applied, tz]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const r = await api.audit(params(applied, cursor));
      setItems((p) => [...p, ...r.items]);
      setCursor(r.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const runVerify = async () => {
    setVerifying(true);
    setVerifyError(null);
    setVerify(null);
    try {
      setVerify(await api.auditVerify());
    } catch (err) {
      setVerifyError(err);
    } finally {
      setVerifying(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...draft });
  };
  const set = (k: keyof Filters, v: string) => setDraft((p) => ({ ...p, [k]: v }));
  const unitName = useMemo(() => new Map((units ?? []).map((u) => [u.id, u.name])), [units]);
  const flatUnits = useMemo(() => flattenTree(buildTree(units ?? [])), [units]);
  const active = Object.values(applied).some(Boolean);

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        description={t('audit.desc')}
        actions={<Button onClick={runVerify} busy={verifying} data-testid="audit-verify">{t('audit.verify')}</Button>}
      />
      {verify && (
        <Alert kind={verify.ok ? 'success' : 'error'} testId="audit-verify-result" title={verify.ok ? t('audit.verifyOk') : t('audit.verifyBroken')}>
          {verify.ok
            ? t('audit.verifyOkText', { n: verify.checked })
            : t('audit.verifyBrokenText', { n: verify.checked, seq: verify.firstBrokenSeq ?? '?' })}
          {!verify.ok && verify.reason && <div className="small">{verify.reason}</div>}
        </Alert>
      )}
      <ErrorAlert error={verifyError} />
      <section className="card" aria-labelledby="af-h">
        <details className="filter-box" open={filtersOpen} onToggle={(e) => setFiltersOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary><h2 id="af-h" className="h-inline">{t('audit.filters')}</h2>{active && <span className="badge badge--blue">{t('audit.filtersActive')}</span>}</summary>
        <form onSubmit={submit} className="filters filters--audit" noValidate data-testid="audit-filters">
          <SelectField label={t('audit.unit')} value={draft.unitId} onChange={(e) => set('unitId', e.target.value)}>
            <option value="">{t('audit.any')}</option>
            {flatUnits.map((n) => <option key={n.unit.id} value={n.unit.id}>{indentLabel(n)}</option>)}
          </SelectField>
          {actors ? (
            <SelectField label={t('audit.actor')} value={draft.actorId} onChange={(e) => set('actorId', e.target.value)}>
              <option value="">{t('audit.any')}</option>
              {actors.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.email})</option>)}
            </SelectField>
          ) : (
            <TextField label={t('audit.actorId')} value={draft.actorId} onChange={(e) => set('actorId', e.target.value)} />
          )}
          <TextField label={t('audit.action')} list="audit-actions" placeholder="user.login" value={draft.action} onChange={(e) => set('action', e.target.value)} data-testid="audit-action" />
          <datalist id="audit-actions">
            {Object.keys(ACTION_KEYS).map((a) => <option key={a} value={a} />)}
          </datalist>
          <TextField label={t('audit.entityType')} list="audit-entities" placeholder="user" value={draft.entityType} onChange={(e) => set('entityType', e.target.value)} />
          <datalist id="audit-entities">
            {KNOWN_ENTITY_TYPES.map((a) => <option key={a} value={a} />)}
          </datalist>
          <TextField label={t('audit.from', { tz: tzAbbr(tz) })} type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} />
          <TextField label={t('audit.to', { tz: tzAbbr(tz) })} type="date" value={draft.to} min={draft.from || undefined} onChange={(e) => set('to', e.target.value)} />
          <div className="form-actions filters__actions">
            <Button type="submit" variant="primary" data-testid="audit-apply">{t('audit.apply')}</Button>
            {active && <Button variant="ghost" onClick={() => { setDraft(EMPTY); setApplied(EMPTY); }}>{t('audit.reset')}</Button>}
          </div>
        </form>
        </details>
      </section>
      <section className="card" aria-labelledby="al-h" aria-busy={loading}>
        <h2 id="al-h" className="sr-only">{t('audit.entries')}</h2>
        <ErrorAlert error={error} />
        {loading ? <Loading /> : items.length === 0 ? <p className="empty">{t('audit.none')}</p> : (
          <ul className="audit" data-testid="audit-list">
            {items.map((e) => <EntryRow key={e.id} e={e} unitName={unitName} />)}
          </ul>
        )}
        {!loading && cursor && (
          <div className="center">
            <Button onClick={more} busy={loadingMore} data-testid="audit-more">{t('audit.more')}</Button>
          </div>
        )}
      </section>
    </>
  );
}
