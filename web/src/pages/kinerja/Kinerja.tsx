// The Kinerja page: choose a unit and a year; goals with their indicators (target, realisasi,
// capaian and its category band); editing one indicator; its history; the import wizard.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import { ApiError } from '../../api.ts';
import type { Role } from '../../api.ts';
import { useFocusHeading, useLoad, useUnits } from '../../hooks.ts';
import { useT } from '../../i18n.tsx';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../../session.tsx';
import { ancestorsOf, buildTree, flattenTree, indentLabel } from '../../units-tree.ts';
import { Alert, Badge, Button, ErrorAlert, Loading, PageHeader, SelectField, TextAreaField, TextField } from '../../components/ui.tsx';
import { FIELDS, formatDecimal, kinerjaApi, toDecimalInput } from './kinerja-api.ts';
import type { Capaian, Indicator, Polarity } from './kinerja-api.ts';
import { ImportWizard } from './ImportWizard.tsx';
import { TellButton } from './TellButton.tsx';
import { useKT } from './messages.ts';
import type { KinerjaKey } from './messages.ts';

const rank: Record<Role, number> = { viewer: 1, editor: 2, approver: 3, admin: 4 };
const bandTone: Record<string, 'green' | 'blue' | 'amber' | 'red' | 'neutral'> = { sangat_baik: 'green', baik: 'green', cukup: 'blue', kurang: 'amber', sangat_kurang: 'red' };

export function useModal(): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return ref;
}

export function CapaianBadge({ capaian }: { capaian: Capaian }) {
  const { kt, locale } = useKT();
  if (!capaian.computable) {
    return <span className="small muted" title={capaian.message} data-testid="capaian-none">{kt('notComputable')}</span>;
  }
  return (
    <span className="badges" data-testid="capaian">
      <strong>{formatDecimal(capaian.value, locale)}%</strong>
      <Badge tone={bandTone[capaian.band.key] ?? 'neutral'}><span data-testid="capaian-band">{locale === 'en' ? capaian.band.labelEn : capaian.band.label}</span></Badge>
      {capaian.capped && <span className="small muted">({kt('capped')})</span>}
    </span>
  );
}

interface EditDraft { name: string; satuan: string; target: string; realisasi: string; polarity: Polarity; responsibleUnit: string; dataSource: string; notes: string }

function EditDialog({ indicator, onClose, onSaved }: { indicator: Indicator; onClose: () => void; onSaved: (i: Indicator) => void }) {
  const { kt, locale } = useKT();
  const ref = useModal();
  const id = useId();
  const show = (v: string | null) => (v === null ? '' : formatDecimal(v, locale));
  const [d, setD] = useState<EditDraft>({
    name: indicator.name, satuan: indicator.satuan, target: show(indicator.target), realisasi: show(indicator.realisasi), polarity: indicator.polarity,
    responsibleUnit: indicator.responsibleUnit ?? '', dataSource: indicator.dataSource ?? '', notes: indicator.notes ?? '',
  });
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const target = toDecimalInput(d.target);
    const realisasi = toDecimalInput(d.realisasi);
    const errs: Record<string, string> = {};
    if (target === undefined) errs.target = kt('notANumber');
    if (realisasi === undefined) errs.realisasi = kt('notANumber');
    setLocal(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await kinerjaApi.updateIndicator(indicator.id, {
        version: indicator.version, name: d.name, satuan: d.satuan, target: target ?? null, realisasi: realisasi ?? null, polarity: d.polarity,
        responsibleUnit: d.responsibleUnit, dataSource: d.dataSource, notes: d.notes,
      });
      onSaved(saved);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const conflict = error instanceof ApiError && error.code === 'kinerja.version_conflict';
  return (
    <dialog ref={ref} className="dialog__box" style={{ border: 'none', maxWidth: '40rem' }} aria-labelledby={`${id}-h`} onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }} data-testid="kinerja-edit-dialog">
      <form onSubmit={submit} noValidate className="stack">
        <h2 id={`${id}-h`}>{kt('editTitle')}</h2>
        <TextAreaField label={kt('name')} rows={2} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} required data-testid="kinerja-edit-name" />
        <TextField label={kt('satuan')} value={d.satuan} onChange={(e) => setD({ ...d, satuan: e.target.value })} data-testid="kinerja-edit-satuan" />
        <TextField label={kt('target')} hint={kt('numberHint')} inputMode="decimal" value={d.target} error={local.target} onChange={(e) => setD({ ...d, target: e.target.value })} data-testid="kinerja-edit-target" />
        <TextField label={kt('realisasi')} hint={kt('numberHint')} inputMode="decimal" value={d.realisasi} error={local.realisasi} onChange={(e) => setD({ ...d, realisasi: e.target.value })} data-testid="kinerja-edit-realisasi" />
        <SelectField label={kt('polarity')} value={d.polarity} onChange={(e) => setD({ ...d, polarity: e.target.value as Polarity })} data-testid="kinerja-edit-polarity">
          <option value="higher">{kt('higher')}</option>
          <option value="lower">{kt('lower')}</option>
        </SelectField>
        <TextField label={kt('responsibleUnit')} value={d.responsibleUnit} onChange={(e) => setD({ ...d, responsibleUnit: e.target.value })} />
        <TextField label={kt('dataSource')} value={d.dataSource} onChange={(e) => setD({ ...d, dataSource: e.target.value })} />
        <TextAreaField label={kt('notes')} rows={2} value={d.notes} onChange={(e) => setD({ ...d, notes: e.target.value })} />
        <ErrorAlert error={error} testId="kinerja-edit-error" />
        <div className="form-actions">
          {conflict ? (
            <Button variant="primary" onClick={onClose} data-testid="kinerja-edit-reload">{kt('conflictReload')}</Button>
          ) : (
            <Button type="submit" variant="primary" busy={busy} data-testid="kinerja-edit-save">{kt('edit')}</Button>
          )}
          <button type="button" className="btn btn--ghost" disabled={busy} onClick={onClose}>{kt('close')}</button>
        </div>
      </form>
    </dialog>
  );
}

function HistoryDialog({ indicator, onClose }: { indicator: Indicator; onClose: () => void }) {
  const { kt, locale } = useKT();
  const { tz } = useT();
  const ref = useModal();
  const id = useId();
  const history = useLoad(() => kinerjaApi.indicatorHistory(indicator.id), [indicator.id]);
  const label = (k: string) => (k === 'name' ? kt('name') : (FIELDS as readonly string[]).includes(k) ? kt(`field${k}` as KinerjaKey) : k);
  const shown = (k: string, v: unknown) => (v === null || v === undefined ? '–' : (k === 'target' || k === 'realisasi') && typeof v === 'string' ? formatDecimal(v, locale) : String(v));
  const describe = (values: Record<string, unknown> | null) => Object.entries(values ?? {}).map(([k, v]) => `${label(k)}: ${shown(k, v)}`).join(', ');
  return (
    <dialog ref={ref} className="dialog__box" style={{ border: 'none', maxWidth: '44rem' }} aria-labelledby={`${id}-h`} onCancel={(e) => { e.preventDefault(); onClose(); }} data-testid="kinerja-history-dialog">
      <h2 id={`${id}-h`}>{kt('historyTitle', { name: indicator.name })}</h2>
      <ErrorAlert error={history.error} />
      {history.loading && <Loading />}
      {history.data && history.data.items.length === 0 && <p className="muted">{kt('historyNone')}</p>}
      <ol className="stack" data-testid="kinerja-history" style={{ paddingLeft: '1.2rem' }}>
        {history.data?.items.map((h) => (
          <li key={h.id} data-testid="kinerja-history-item">
            <div className="small muted">
              {formatDateTime(h.changedAt, locale, tz)} · {h.changedBy?.name ?? '—'} · {h.source === 'import' ? kt('viaImport') : kt('viaEdit')}
            </div>
            {h.action === 'update' ? (
              <div><del>{describe(h.before)}</del> → <ins>{describe(h.after)}</ins></div>
            ) : (
              <div>{h.action === 'create' ? kt('created') : h.action === 'delete' ? kt('deleted') : h.action}</div>
            )}
          </li>
        ))}
      </ol>
      <div className="form-actions"><Button onClick={onClose}>{kt('close')}</Button></div>
    </dialog>
  );
}

export function Kinerja() {
  const { kt, locale } = useKT();
  useFocusHeading();
  const { me } = useSession();
  const { units } = useUnits();
  const [unitId, setUnitId] = useState('');
  const [year, setYear] = useState<number | undefined>(undefined);
  const [editing, setEditing] = useState<Indicator | null>(null);
  const [historyOf, setHistoryOf] = useState<Indicator | null>(null);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!unitId && me.memberships[0]) setUnitId(me.memberships[0].unitId);
  }, [me, unitId]);
  const report = useLoad(() => (unitId ? kinerjaApi.report(unitId, year) : Promise.resolve(undefined)), [unitId, year]);
  const data = report.data;
  const path = unitId && units ? [unitId, ...ancestorsOf(unitId, units)] : [];
  const role = me.memberships.filter((m) => path.includes(m.unitId)).reduce<Role | null>((best, m) => (best === null || rank[m.role] > rank[best] ? m.role : best), null);
  const canEdit = role !== null && rank[role] >= rank.editor;
  const options = units ? flattenTree(buildTree(units)) : [];

  return (
    <>
      <PageHeader title={kt('title')} description={kt('desc')} actions={canEdit && !importing ? <Button variant="primary" onClick={() => { setImporting(true); setNotice(null); }} data-testid="kinerja-import-open">{kt('importButton')}</Button> : undefined} />
      <section className="card">
        <div className="filters">
          <SelectField label={kt('unit')} value={unitId} onChange={(e) => { setUnitId(e.target.value); setYear(undefined); }} data-testid="kinerja-unit">
            {options.map((n) => <option key={n.unit.id} value={n.unit.id}>{indentLabel(n)}</option>)}
          </SelectField>
          <SelectField label={kt('year')} value={data?.year ?? ''} onChange={(e) => setYear(Number(e.target.value))} disabled={!data || data.years.length === 0} data-testid="kinerja-year">
            {(data?.years.length ?? 0) === 0 && <option value="">{kt('noYear')}</option>}
            {data?.years.map((y) => <option key={y} value={y}>{y}</option>)}
          </SelectField>
        </div>
      </section>
      {importing && unitId && (
        <ImportWizard
          unitId={unitId}
          defaultYear={data?.year ?? new Date().getFullYear()}
          onClose={() => setImporting(false)}
          onImported={(years) => { setYear(years[0]); void report.reload(); }}
        />
      )}
      {notice && <Alert kind="success" testId="kinerja-notice">{notice}</Alert>}
      <ErrorAlert error={report.error} />
      {report.loading && !data && <Loading />}
      {data && data.goals.length === 0 && data.programmes.length === 0 && <p className="empty" data-testid="kinerja-empty">{kt('empty')}</p>}
      {data && data.goals.length > 0 && (
        <>
          <p className="small muted" data-testid="kinerja-summary">{kt('summary', { n: data.summary.indicators, computable: data.summary.computable })}</p>
          {data.goals.map((goal) => (
            <section className="card" key={goal.id} data-testid="kinerja-goal">
              <h2 style={{ fontSize: '1.05rem', marginTop: 0 }}>{goal.name}</h2>
              <div className="table-wrap">
                <table className="table table--cards">
                  <thead>
                    <tr>
                      <th scope="col">{kt('indicator')}</th>
                      <th scope="col">{kt('satuan')}</th>
                      <th scope="col">{kt('target')}</th>
                      <th scope="col">{kt('realisasi')}</th>
                      <th scope="col">{kt('capaian')}</th>
                      <th scope="col"><span className="sr-only">{kt('edit')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    {goal.indicators.map((i) => (
                      <tr key={i.id} data-testid="kinerja-indicator" data-name={i.name}>
                        <td data-label={kt('indicator')}>
                          {i.name}
                          {i.polarity === 'lower' && <div className="small muted">↓ {kt('polarityLower')}</div>}
                        </td>
                        <td data-label={kt('satuan')}>{i.satuan}</td>
                        <td data-label={kt('target')} data-testid="kinerja-target">{formatDecimal(i.target, locale)}</td>
                        <td data-label={kt('realisasi')} data-testid="kinerja-realisasi">{formatDecimal(i.realisasi, locale)}</td>
                        <td data-label={kt('capaian')}><CapaianBadge capaian={i.capaian} /></td>
                        <td className="td-actions">
                          <span className="badges">
                            {canEdit && <Button small onClick={() => setEditing(i)} data-testid="kinerja-edit">{kt('edit')}</Button>}
                            {canEdit && <TellButton indicator={i} />}
                            <Button small variant="link" onClick={() => setHistoryOf(i)} data-testid="kinerja-history-open">{kt('history')}</Button>
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
      {data && data.programmes.length > 0 && (
        <section className="card" data-testid="kinerja-programmes">
          <h2 style={{ fontSize: '1.05rem', marginTop: 0 }}>{kt('programmes')}</h2>
          <ul className="list-rows">
            {data.programmes.map((p) => (
              <li key={p.id} className="list-rows__item">
                <div className="list-rows__main">
                  <strong>{p.name}</strong>
                  <div className="small">{kt('progressOf', { value: formatDecimal(p.progress.at(-1)?.value ?? null, locale), target: formatDecimal(p.target, locale), satuan: p.satuan })}</div>
                </div>
                <CapaianBadge capaian={p.capaian} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {editing && (
        <EditDialog
          key={editing.id}
          indicator={editing}
          onClose={() => { setEditing(null); void report.reload(); }}
          onSaved={() => { setEditing(null); setNotice(kt('saved')); void report.reload(); }}
        />
      )}
      {historyOf && <HistoryDialog indicator={historyOf} onClose={() => setHistoryOf(null)} />}
    </>
  );
}
