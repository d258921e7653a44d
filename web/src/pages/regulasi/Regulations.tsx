// Regulations list (/regulations): filters (type, year, status, unit, words), explanation state, pages.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Badge, Button, ErrorAlert, Loading, PageHeader, SelectField, TextField } from '../../components/ui.tsx';
import { hasRoleAnywhere } from '../../content.ts';
import { useFocusHeading, useUnits } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { listRegulations, REGULATION_STATUSES, REGULATION_TYPES } from './api.ts';
import type { Regulation, RegulationStatus } from './api.ts';
import { useRegT } from './messages.ts';
import type { RegKey } from './messages.ts';

interface Filters { type: string; year: string; status: string; unitId: string; q: string }
const EMPTY: Filters = { type: '', year: '', status: '', unitId: '', q: '' };

export const statusTone = (s: RegulationStatus) => (s === 'berlaku' ? 'green' : s === 'rancangan' ? 'blue' : s === 'diubah' ? 'amber' : 'neutral');

/** "tujuan, alasan" for the missing explanation fields. */
export function useMissingNames(): (missing: string[]) => string {
  const { rt } = useRegT();
  return (missing) => missing.map((f) => rt(`field.${f}` as RegKey).split(' — ')[0]!.toLowerCase()).join(', ');
}

export function Regulations() {
  const { rt } = useRegT();
  useFocusHeading();
  const { me } = useSession();
  const { units } = useUnits();
  const missingNames = useMissingNames();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: Regulation[]; total: number; pageSize: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    setData(null);
    setError(null);
    listRegulations({ ...filters, q: filters.q.trim(), page }).then(
      (r) => !cancelled && setData(r),
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [filters, page]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setFilters({ ...draft });
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const canWrite = hasRoleAnywhere(me, 'editor');

  return (
    <>
      <PageHeader
        title={rt('title')}
        description={rt('desc')}
        actions={canWrite ? <Link to="/regulations/new" className="btn btn--primary" data-testid="regulations-new">{rt('new')}</Link> : undefined}
      />
      <section className="card">
        <form className="filters" onSubmit={apply} data-testid="regulations-filters">
          <SelectField label={rt('filter.type')} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })} data-testid="regulations-type">
            <option value="">{rt('filter.allTypes')}</option>
            {REGULATION_TYPES.map((t) => <option key={t} value={t}>{rt(`type.${t}`)}</option>)}
          </SelectField>
          <TextField label={rt('filter.year')} type="number" inputMode="numeric" min={1945} max={2100} value={draft.year} onChange={(e) => setDraft({ ...draft, year: e.target.value })} data-testid="regulations-year" />
          <SelectField label={rt('filter.status')} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })} data-testid="regulations-status">
            <option value="">{rt('filter.allStatuses')}</option>
            {REGULATION_STATUSES.map((s) => <option key={s} value={s}>{rt(`status.${s}`)}</option>)}
          </SelectField>
          <SelectField label={rt('filter.unit')} value={draft.unitId} onChange={(e) => setDraft({ ...draft, unitId: e.target.value })} data-testid="regulations-unit">
            <option value="">{rt('filter.allUnits')}</option>
            {(units ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </SelectField>
          <TextField label={rt('filter.q')} type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} data-testid="regulations-search" />
          <div className="filters__actions">
            <Button type="submit" variant="primary" data-testid="regulations-apply">{rt('filter.apply')}</Button>
          </div>
        </form>
      </section>
      <ErrorAlert error={error} />
      {!data && !error && <Loading />}
      {data && data.items.length === 0 && <p className="empty" data-testid="regulations-empty">{rt('none')}</p>}
      {data && data.items.length > 0 && (
        <section className="card">
          <p className="muted small" data-testid="regulations-total">{rt('total', { n: data.total })}</p>
          <table className="table table--cards" data-testid="regulations-table">
            <thead>
              <tr>
                <th>{rt('col.regulation')}</th>
                <th>{rt('col.status')}</th>
                <th>{rt('col.explained')}</th>
                <th>{rt('col.posts')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} data-testid="regulation-row" data-id={r.id}>
                  <td data-label={rt('col.regulation')}>
                    <Link to={`/regulations/${r.id}`} className="strong">{r.name}</Link>
                    <div>{r.title}</div>
                    <div className="muted small">{r.unit.name}</div>
                  </td>
                  <td data-label={rt('col.status')}><Badge tone={statusTone(r.status)}>{rt(`status.${r.status}`)}</Badge></td>
                  <td data-label={rt('col.explained')}>
                    {r.missing.length === 0
                      ? <Badge tone="green">{rt('explained.ok')}</Badge>
                      : <Badge tone="amber">{rt('explained.missing', { fields: missingNames(r.missing) })}</Badge>}
                  </td>
                  <td data-label={rt('col.posts')}>{r.postCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <div className="center">
              <Button small disabled={page <= 1} onClick={() => setPage(page - 1)}>{rt('prev')}</Button>{' '}
              <span className="small">{page} / {pages}</span>{' '}
              <Button small disabled={page >= pages} onClick={() => setPage(page + 1)}>{rt('next')}</Button>
            </div>
          )}
        </section>
      )}
    </>
  );
}
