// The import wizard: upload a CSV/XLSX → check the column mapping against a preview with row
// errors → confirm → result. A file with any error imports nothing; the errors name the row as
// numbered in the file and the column.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, ErrorAlert, SelectField, TextField } from '../../components/ui.tsx';
import { ApiError } from '../../api.ts';
import { FIELDS, formatDecimal, kinerjaApi } from './kinerja-api.ts';
import type { Field, ImportPreview, ImportResult, Mapping, RowError } from './kinerja-api.ts';
import { CapaianBadge } from './Kinerja.tsx';
import { useKT } from './messages.ts';
import type { KinerjaKey } from './messages.ts';

const fieldKey = (f: Field) => `field${f}` as KinerjaKey;
const REQUIRED: Field[] = ['goal', 'indicator', 'target'];

function ErrorList({ errors, total }: { errors: RowError[]; total: number }) {
  const { kt } = useKT();
  return (
    <Alert kind="error" title={kt('errorsTitle', { n: total })} testId="kinerja-import-errors">
      <ul style={{ margin: 0, paddingLeft: '1.2rem' }}>
        {errors.slice(0, 30).map((e, i) => (
          <li key={`${e.row}-${e.field}-${i}`} data-testid="kinerja-import-error" data-row={e.row} data-field={e.field}>
            <strong>{kt('row')} {e.row}</strong>{e.column ? ` · ${e.column}` : ''}: {e.message}
          </li>
        ))}
      </ul>
      {total > 30 && <p className="small">{kt('errorsMore', { n: total - 30 })}</p>}
    </Alert>
  );
}

export function ImportWizard({ unitId, defaultYear, onClose, onImported }: { unitId: string; defaultYear: number; onClose: () => void; onImported: (years: number[]) => void }) {
  const { kt, locale } = useKT();
  const [file, setFile] = useState<File | null>(null);
  const [year, setYear] = useState(String(defaultYear));
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [confirmErrors, setConfirmErrors] = useState<{ errors: RowError[]; total: number } | null>(null);
  const [busy, setBusy] = useState<'upload' | 'preview' | 'confirm' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [missingFile, setMissingFile] = useState(false);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) { setMissingFile(true); return; }
    setMissingFile(false);
    setBusy('upload');
    setError(null);
    try {
      const p = await kinerjaApi.upload(unitId, /^\d{4}$/.test(year) ? Number(year) : null, file);
      setPreview(p);
      setMapping(p.mapping);
      setConfirmErrors(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const refresh = async (next: Mapping) => {
    if (!preview) return;
    setBusy('preview');
    setError(null);
    try {
      const p = await kinerjaApi.preview(preview.id, next);
      setPreview(p);
      setConfirmErrors(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const changeMapping = (next: Mapping) => {
    setMapping(next);
    void refresh(next);
  };

  const confirm = async () => {
    if (!preview || !mapping) return;
    setBusy('confirm');
    setError(null);
    try {
      const r = await kinerjaApi.confirm(preview.id, mapping);
      setResult(r);
      onImported(r.years);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'kinerja.import_invalid' && err.details) {
        setConfirmErrors({ errors: err.details.errors as RowError[], total: Number(err.details.errorCount) });
      } else setError(err);
    } finally {
      setBusy(null);
    }
  };

  const restart = () => {
    setFile(null);
    setPreview(null);
    setMapping(null);
    setResult(null);
    setConfirmErrors(null);
    setError(null);
  };

  const missing = mapping ? REQUIRED.filter((f) => mapping.columns[f] === undefined) : [];

  return (
    <section className="card stack" aria-labelledby="kinerja-import-h" data-testid="kinerja-import">
      <h2 id="kinerja-import-h" style={{ marginTop: 0 }}>{kt('wizTitle')}</h2>
      {!preview && !result && (
        <form onSubmit={upload} className="stack" noValidate>
          <h3 className="h-plain">{kt('stepUpload')}</h3>
          <div className={`field ${missingFile ? 'field--error' : ''}`}>
            <label className="field__label" htmlFor="kinerja-file">{kt('file')}</label>
            <input id="kinerja-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="kinerja-import-file" />
            {missingFile && <div className="field__error">{kt('chooseFile')}</div>}
          </div>
          <TextField label={kt('yearForAll')} inputMode="numeric" value={year} onChange={(e) => setYear(e.target.value)} style={{ maxWidth: '8rem' }} data-testid="kinerja-import-year" />
          <ErrorAlert error={error} testId="kinerja-import-upload-error" />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy === 'upload'} data-testid="kinerja-import-upload">{kt('upload')}</Button>
            <button type="button" className="btn btn--ghost" onClick={onClose}>{kt('close')}</button>
          </div>
        </form>
      )}

      {preview && mapping && !result && (
        <div className="stack">
          <h3 className="h-plain">{kt('stepMapping')}</h3>
          <p className="small">{preview.fileName} · {kt('detected', { rows: preview.dataRows, header: preview.headerRows.join('–') })}</p>
          <p className="small muted">{kt('mappingHelp')}</p>
          <div className="filters" data-testid="kinerja-mapping">
            {FIELDS.map((f) => (
              <SelectField
                key={f}
                label={`${kt(fieldKey(f))}${REQUIRED.includes(f) ? ' *' : ''}`}
                value={mapping.columns[f] ?? ''}
                onChange={(e) => {
                  const columns = { ...mapping.columns };
                  if (e.target.value === '') delete columns[f];
                  else columns[f] = Number(e.target.value);
                  changeMapping({ ...mapping, columns });
                }}
                data-testid={`kinerja-map-${f}`}
              >
                <option value="">{kt('notMapped')}</option>
                {preview.columns.map((c) => <option key={c.index} value={c.index}>{c.letter} · {c.name}</option>)}
              </SelectField>
            ))}
            {mapping.columns.year === undefined && (
              <TextField label={kt('fieldyear')} inputMode="numeric" value={mapping.year ?? ''} onChange={(e) => setMapping({ ...mapping, year: /^\d{4}$/.test(e.target.value) ? Number(e.target.value) : null })} onBlur={() => void refresh(mapping)} style={{ maxWidth: '8rem' }} data-testid="kinerja-map-year-value" />
            )}
            <SelectField label={kt('numberFormat')} hint={kt('numberEvidence', preview.numberFormatEvidence)} value={mapping.numberFormat} onChange={(e) => changeMapping({ ...mapping, numberFormat: e.target.value as 'id' | 'en' })} data-testid="kinerja-map-number-format">
              <option value="id">{kt('numberFormatId')}</option>
              <option value="en">{kt('numberFormatEn')}</option>
            </SelectField>
            <SelectField label={kt('defaultPolarity')} value={mapping.defaultPolarity} onChange={(e) => changeMapping({ ...mapping, defaultPolarity: e.target.value as 'higher' | 'lower' })}>
              <option value="higher">{kt('higher')}</option>
              <option value="lower">{kt('lower')}</option>
            </SelectField>
          </div>
          {missing.length > 0 && <Alert kind="warning" testId="kinerja-mapping-missing">{kt('missingRequired', { fields: missing.map((f) => kt(fieldKey(f))).join(', ') })}</Alert>}

          <h4 className="h-plain">{kt('preview', { n: preview.rows.length })}</h4>
          <div className="table-wrap" style={{ overflowX: 'auto' }}>
            <table className="table small" data-testid="kinerja-preview">
              <thead>
                <tr>
                  <th scope="col">{kt('row')}</th>
                  {preview.columns.map((c) => <th scope="col" key={c.index}>{c.name}</th>)}
                  <th scope="col">{kt('capaian')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row} data-testid="kinerja-preview-row" style={r.errors.length > 0 ? { background: 'var(--c-danger-soft)' } : undefined}>
                    <th scope="row">{r.row}</th>
                    {r.cells.map((cell, i) => <td key={i}>{cell}</td>)}
                    <td>
                      {r.record ? <CapaianBadge capaian={r.record.capaian} /> : r.errors.map((e, i) => <div key={i} className="small">{e.message}</div>)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {confirmErrors ? (
            <ErrorList errors={confirmErrors.errors} total={confirmErrors.total} />
          ) : preview.errorCount > 0 ? (
            <ErrorList errors={preview.errors} total={preview.errorCount} />
          ) : (
            missing.length === 0 && <Alert kind="info" testId="kinerja-import-ready">{kt('noErrors', { n: preview.indicators })}</Alert>
          )}
          <ErrorAlert error={error} testId="kinerja-import-error-general" />
          <div className="form-actions">
            <Button variant="primary" busy={busy === 'confirm'} disabled={busy !== null || preview.errorCount > 0 || missing.length > 0} onClick={() => void confirm()} data-testid="kinerja-import-confirm">
              {kt('confirm', { n: formatDecimal(String(preview.indicators), locale) })}
            </Button>
            <Button onClick={() => void refresh(mapping)} busy={busy === 'preview'} disabled={busy !== null}>{kt('refresh')}</Button>
            <button type="button" className="btn btn--ghost" onClick={restart}>{kt('again')}</button>
          </div>
        </div>
      )}

      {result && (
        <div className="stack" data-testid="kinerja-import-result">
          <h3 className="h-plain">{kt('stepResult')}</h3>
          <Alert kind="success" title={kt('resultTitle')}>
            <p data-testid="kinerja-import-result-line">{result.changed === 0 ? kt('resultNothing') : kt('resultLine', { created: result.created, updated: result.updated, unchanged: result.unchanged })}</p>
            {result.notInFile > 0 && <p>{kt('resultNotInFile', { n: result.notInFile })}</p>}
          </Alert>
          <div className="form-actions">
            <Button variant="primary" onClick={onClose} data-testid="kinerja-import-done">{kt('done')}</Button>
            <Button onClick={restart}>{kt('again')}</Button>
          </div>
        </div>
      )}
    </section>
  );
}
