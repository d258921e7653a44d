// Posts list: filters (status, rubric, unit, mine, search), status badges, urgent marker, "load more".
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api, POST_STATUSES } from '../api.ts';
import type { PostSummary, Rubric } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useFocusHeading, useUnits } from '../hooks.ts';
import { Link } from '../router.tsx';
import { formatDateTime } from '../format.ts';
import { formatLocal, networkName, networkShort, statusKey, statusTone } from '../content.ts';
import { Badge, Button, CheckboxField, ErrorAlert, Loading, PageHeader, SelectField, TextField } from '../components/ui.tsx';

interface Filters {
  status: string;
  rubricId: string;
  unitId: string;
  mine: boolean;
  q: string;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useT();
  return <Badge tone={statusTone(status)}>{t(statusKey(status))}</Badge>;
}

export function UrgentMark() {
  const { t } = useT();
  return <span className="urgent-mark" title={t('post.urgent')} data-testid="urgent-mark">⚡ {t('post.urgentShort')}</span>;
}

export function NetworkMarks({ networks }: { networks: string[] }) {
  return (
    <span className="net-marks">
      {networks.map((n) => <abbr key={n} className={`net-mark net-mark--${n}`} title={networkName(n)}>{networkShort(n)}</abbr>)}
    </span>
  );
}

export function Posts() {
  const { t, locale, tz } = useT();
  useFocusHeading();
  const { units } = useUnits();
  const [rubrics, setRubrics] = useState<Rubric[]>([]);
  const [draft, setDraft] = useState<Filters>({ status: '', rubricId: '', unitId: '', mine: false, q: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [items, setItems] = useState<PostSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    api.rubrics().then((r) => setRubrics(r.items)).catch(() => undefined);
  }, []);

  const params = (f: Filters, c?: string) => ({
    status: f.status || undefined, rubricId: f.rubricId || undefined, unitId: f.unitId || undefined, mine: f.mine ? 'true' : undefined, q: f.q.trim() || undefined, cursor: c,
  });

  useEffect(() => {
    let cancelled = false;
    setItems(null);
    setError(null);
    api.posts(params(filters)).then(
      (r) => {
        if (cancelled) return;
        setItems(r.items);
        setCursor(r.nextCursor);
      },
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [filters]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const r = await api.posts(params(filters, cursor));
      setItems((cur) => [...(cur ?? []), ...r.items]);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };

  return (
    <>
      <PageHeader title={t('posts.title')} description={t('posts.desc')} actions={<Link to="/compose" className="btn btn--primary" data-testid="posts-new">{t('posts.new')}</Link>} />
      <section className="card">
        <form className="filters filters--posts" onSubmit={apply} data-testid="posts-filters">
          <SelectField label={t('posts.status')} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })} data-testid="posts-status">
            <option value="">{t('posts.allStatuses')}</option>
            {POST_STATUSES.map((s) => <option key={s} value={s}>{t(statusKey(s))}</option>)}
          </SelectField>
          <SelectField label={t('posts.rubric')} value={draft.rubricId} onChange={(e) => setDraft({ ...draft, rubricId: e.target.value })}>
            <option value="">{t('posts.allRubrics')}</option>
            {rubrics.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </SelectField>
          <SelectField label={t('posts.unit')} value={draft.unitId} onChange={(e) => setDraft({ ...draft, unitId: e.target.value })}>
            <option value="">{t('posts.allUnits')}</option>
            {(units ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </SelectField>
          <TextField label={t('posts.search')} type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} data-testid="posts-search" />
          <CheckboxField label={t('posts.mine')} checked={draft.mine} onChange={(e) => setDraft({ ...draft, mine: e.target.checked })} data-testid="posts-mine" />
          <div className="filters__actions">
            <Button type="submit" variant="primary" data-testid="posts-apply">{t('audit.apply')}</Button>
          </div>
        </form>
      </section>
      <ErrorAlert error={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p className="empty" data-testid="posts-empty">{t('posts.none')}</p>}
      {items && items.length > 0 && (
        <section className="card">
          <table className="table table--cards" data-testid="posts-table">
            <thead>
              <tr>
                <th>{t('posts.colTitle')}</th>
                <th>{t('posts.status')}</th>
                <th>{t('posts.networks')}</th>
                <th>{t('posts.when')}</th>
                <th>{t('posts.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-testid="post-row" data-id={p.id}>
                  <td data-label={t('posts.colTitle')}>
                    {p.urgent && <UrgentMark />} <Link to={`/posts/${p.id}`} className="strong">{p.title}</Link>
                    <div className="muted small">{p.unit.name} · {p.author.name}{p.rubric ? ` · ${p.rubric.name}` : ''}</div>
                  </td>
                  <td data-label={t('posts.status')}><StatusBadge status={p.status} />{p.needsPostReview && <> <Badge tone="amber">{t('post.reviewAfterShort')}</Badge></>}</td>
                  <td data-label={t('posts.networks')}><NetworkMarks networks={p.networks} /></td>
                  <td data-label={t('posts.when')}>{p.scheduled ? formatLocal(p.scheduled.local, p.scheduled.zoneName, locale) : <span className="muted">—</span>}</td>
                  <td data-label={t('posts.updated')} className="small">{formatDateTime(p.updatedAt, locale, tz)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor && <div className="center"><Button onClick={() => void more()} busy={loadingMore} data-testid="posts-more">{t('audit.more')}</Button></div>}
        </section>
      )}
    </>
  );
}
