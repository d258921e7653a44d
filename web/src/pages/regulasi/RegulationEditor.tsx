// One regulation (/regulations/new, /regulations/:id): its data, the plain-language explanation with
// a live readability panel, the FAQ (add, remove, reorder) and the linked posts. What the person typed
// stays in the form on any error and is kept in the browser until it is saved.
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError } from '../../api.ts';
import type { PostSummary } from '../../api.ts';
import { Alert, Badge, Button, ConfirmButton, ErrorAlert, Loading, PageHeader, SelectField, TextAreaField, TextField, fieldErrorsOf } from '../../components/ui.tsx';
import { unitsWithRole } from '../../content.ts';
import { useFocusHeading, useUnits } from '../../hooks.ts';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { StatusBadge } from '../Posts.tsx';
import {
  createRegulation, deleteRegulation, EXPLANATION_FIELDS, getRegulation, linkPost, REGULATION_STATUSES, REGULATION_TYPES, unlinkPost, updateRegulation,
} from './api.ts';
import type { FaqEntry, RegulationDetail, RegulationFields, RegulationStatus, RegulationType } from './api.ts';
import { useRegT } from './messages.ts';
import { ReadabilityPanel } from './ReadabilityPanel.tsx';
import { ExplainThis } from './ExplainThis.tsx';
import { statusTone } from './Regulations.tsx';

/** The form: like the API's fields, with the year and optional values as typed. */
interface Form {
  unitId: string;
  type: RegulationType;
  number: string;
  year: string;
  title: string;
  enactedOn: string;
  inForceOn: string;
  status: RegulationStatus;
  jdihUrl: string;
  purpose: string;
  reasons: string;
  affected: string;
  changes: string;
  starts: string;
  faq: FaqEntry[];
}

const blank = (unitId: string): Form => ({
  unitId, type: 'pergub', number: '', year: String(new Date().getFullYear()), title: '', enactedOn: '', inForceOn: '', status: 'berlaku', jdihUrl: '',
  purpose: '', reasons: '', affected: '', changes: '', starts: '', faq: [],
});

const fromRegulation = (r: RegulationDetail): Form => ({
  unitId: r.unit.id, type: r.type, number: r.number, year: String(r.year), title: r.title, enactedOn: r.enactedOn ?? '', inForceOn: r.inForceOn ?? '',
  status: r.status, jdihUrl: r.jdihUrl ?? '', purpose: r.purpose, reasons: r.reasons, affected: r.affected, changes: r.changes, starts: r.starts,
  faq: r.faq.map((f) => ({ ...f })),
});

const toFields = (f: Form): RegulationFields => ({
  type: f.type, number: f.number, year: Number(f.year), title: f.title, enactedOn: f.enactedOn || null, inForceOn: f.inForceOn || null, status: f.status,
  jdihUrl: f.jdihUrl.trim() || null, purpose: f.purpose, reasons: f.reasons, affected: f.affected, changes: f.changes, starts: f.starts, faq: f.faq,
});

const same = (a: Form, b: Form) => JSON.stringify(a) === JSON.stringify(b);

/** A copy of unsaved input in the browser, per regulation (or "new"). */
const backupKey = (id: string | undefined) => `siar.regulasi.form.${id ?? 'new'}`;
function readBackup(id: string | undefined): Form | null {
  try {
    const raw = localStorage.getItem(backupKey(id));
    return raw ? (JSON.parse(raw) as Form) : null;
  } catch {
    return null;
  }
}
function writeBackup(id: string | undefined, form: Form | null): void {
  try {
    if (form) localStorage.setItem(backupKey(id), JSON.stringify(form));
    else localStorage.removeItem(backupKey(id));
  } catch {
    /* storage may be unavailable */
  }
}

export function RegulationEditor({ id }: { id?: string }) {
  const { rt } = useRegT();
  useFocusHeading();
  const { me } = useSession();
  const { units } = useUnits();
  const writable = useMemo(() => (units ? unitsWithRole(me, units, 'editor') : []), [me, units]);

  const [loaded, setLoaded] = useState<RegulationDetail | null>(null);
  const [saved, setSaved] = useState<Form | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [backup, setBackup] = useState<Form | null>(null);
  const [active, setActive] = useState<string>('purpose');

  // Load the regulation, or start a new one in the first unit the person may write in.
  useEffect(() => {
    if (id) {
      getRegulation(id).then(
        (r) => {
          const f = fromRegulation(r);
          setLoaded(r);
          setSaved(f);
          setForm(f);
          const b = readBackup(id);
          setBackup(b && !same(b, f) ? b : null);
        },
        setLoadError,
      );
    } else if (units && !form) {
      const f = blank(writable[0]?.id ?? '');
      setSaved(f);
      setForm(f);
      const b = readBackup(undefined);
      setBackup(b && !same(b, f) ? b : null);
    }
  }, [id, units]);

  // Keep unsaved input in the browser.
  useEffect(() => {
    if (form && saved && !same(form, saved)) writeBackup(id, form);
  }, [form, saved, id]);

  if (loadError) return <><Link to="/regulations" className="back">{rt('back')}</Link><ErrorAlert error={loadError} /></>;
  if (!form || !saved) return <Loading />;

  const canEdit = id ? loaded?.canEdit === true : writable.length > 0;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((cur) => (cur ? { ...cur, [key]: value } : cur));
    setNotice(null);
  };
  const setFaq = (faq: FaqEntry[]) => set('faq', faq);
  const moveFaq = (i: number, by: number) => {
    const next = [...form.faq];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    setFaq(next);
  };

  const errors = fieldErrorsOf(error);
  if (error instanceof ApiError && error.code === 'regulation.duplicate') errors.number = error.message;
  const conflict = error instanceof ApiError && error.code === 'regulation.version_conflict';
  const placed = ['unitId', 'type', 'number', 'year', 'title', 'enactedOn', 'inForceOn', 'status', 'jdihUrl', ...EXPLANATION_FIELDS, ...form.faq.flatMap((_, i) => [`faq.${i}.question`, `faq.${i}.answer`])];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      if (!id) {
        const created = await createRegulation({ unitId: form.unitId, ...toFields(form) });
        writeBackup(undefined, null);
        navigate(`/regulations/${created.id}`, { replace: true });
        return;
      }
      const updated = await updateRegulation(id, { version: loaded!.version, ...toFields(form) });
      const f = fromRegulation(updated);
      writeBackup(id, null);
      setLoaded(updated);
      setSaved(f);
      setForm(f);
      setNotice(rt('saved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const loadNewest = async () => {
    if (!id) return;
    writeBackup(id, form);
    const r = await getRegulation(id);
    const f = fromRegulation(r);
    setLoaded(r);
    setSaved(f);
    setForm(f);
    setBackup(form);
    setError(null);
  };

  const fieldLabel = (key: string) => rt(`field.${key}` as Parameters<typeof rt>[0]);
  const panelFields = [
    ...EXPLANATION_FIELDS.map((key) => ({ key, label: fieldLabel(key).split(' — ')[0]!, text: form[key] })),
    ...form.faq.map((f, i) => ({ key: `faq.${i}.answer`, label: rt('faq.answer', { n: i + 1 }), text: f.answer })),
  ];
  const missing = new Set(loaded?.missing ?? []);

  return (
    <>
      <Link to="/regulations" className="back" data-testid="regulation-back">{rt('back')}</Link>
      <PageHeader
        title={loaded ? loaded.name : rt('newTitle')}
        description={loaded ? <>{loaded.title} · {loaded.unit.name} <Badge tone={statusTone(loaded.status)}>{rt(`status.${loaded.status}`)}</Badge></> : undefined}
      />
      {backup && (
        <Alert kind="info" testId="regulation-restore">
          {rt('restore')}{' '}
          <Button small onClick={() => { setForm(backup); setBackup(null); }} data-testid="regulation-restore-do">{rt('restoreDo')}</Button>{' '}
          <Button small variant="ghost" onClick={() => { writeBackup(id, null); setBackup(null); }}>{rt('restoreDrop')}</Button>
        </Alert>
      )}
      {loaded && !canEdit && <Alert kind="info" testId="regulation-readonly">{rt('readOnly', { unit: loaded.unit.name })}</Alert>}
      <div className="grid-2">
        <form onSubmit={submit} noValidate data-testid="regulation-form">
          <fieldset disabled={!canEdit || busy} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <section className="card">
              <h2>{rt('section.data')}</h2>
              {!id && (
                <SelectField label={rt('field.unit')} value={form.unitId} onChange={(e) => set('unitId', e.target.value)} error={errors.unitId} data-testid="regulation-unit">
                  {writable.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
                </SelectField>
              )}
              <div className="grid-2 grid-2--tight">
                <SelectField label={rt('field.type')} value={form.type} onChange={(e) => set('type', e.target.value as RegulationType)} error={errors.type} data-testid="regulation-type">
                  {REGULATION_TYPES.map((x) => <option key={x} value={x}>{rt(`type.${x}`)}</option>)}
                </SelectField>
                <SelectField label={rt('field.status')} value={form.status} onChange={(e) => set('status', e.target.value as RegulationStatus)} error={errors.status} data-testid="regulation-status">
                  {REGULATION_STATUSES.map((x) => <option key={x} value={x}>{rt(`status.${x}`)}</option>)}
                </SelectField>
                <TextField label={rt('field.number')} hint={rt('field.numberHint')} value={form.number} onChange={(e) => set('number', e.target.value)} error={errors.number} required data-testid="regulation-number" />
                <TextField label={rt('field.year')} type="number" inputMode="numeric" min={1945} max={2100} value={form.year} onChange={(e) => set('year', e.target.value)} error={errors.year} required data-testid="regulation-year" />
              </div>
              <TextField label={rt('field.title')} value={form.title} onChange={(e) => set('title', e.target.value)} error={errors.title} required data-testid="regulation-title" />
              <div className="grid-2 grid-2--tight">
                <TextField label={rt('field.enactedOn')} type="date" value={form.enactedOn} onChange={(e) => set('enactedOn', e.target.value)} error={errors.enactedOn} data-testid="regulation-enacted" />
                <TextField label={rt('field.inForceOn')} type="date" value={form.inForceOn} onChange={(e) => set('inForceOn', e.target.value)} error={errors.inForceOn} data-testid="regulation-inforce" />
              </div>
              <TextField label={rt('field.jdihUrl')} hint={rt('field.jdihUrlHint')} type="url" inputMode="url" placeholder="https://jdih…" value={form.jdihUrl} onChange={(e) => set('jdihUrl', e.target.value)} error={errors.jdihUrl} data-testid="regulation-jdih" />
            </section>

            <section className="card">
              <h2>{rt('section.explanation')}</h2>
              <p className="muted">{rt('section.explanationDesc')}</p>
              {EXPLANATION_FIELDS.map((key) => {
                const required = key === 'purpose' || key === 'reasons';
                return (
                  <TextAreaField
                    key={key}
                    label={<>{fieldLabel(key)}{required && <> <Badge tone={missing.has(key) && form[key].trim() === '' ? 'amber' : 'neutral'}>{rt('field.required')}</Badge></>}</>}
                    rows={key === 'starts' ? 2 : 4}
                    value={form[key]}
                    onChange={(e) => set(key, e.target.value)}
                    onFocus={() => setActive(key)}
                    error={errors[key]}
                    data-testid={`regulation-${key}`}
                  />
                );
              })}
            </section>

            <section className="card" data-testid="regulation-faq">
              <h2>{rt('section.faq')}</h2>
              {form.faq.length === 0 && <p className="muted">{rt('faq.none')}</p>}
              <ol style={{ paddingLeft: '1.2rem' }}>
                {form.faq.map((item, i) => (
                  <li key={i} data-testid="faq-item" style={{ marginBottom: '0.75rem' }}>
                    <TextField label={rt('faq.question', { n: i + 1 })} value={item.question} onChange={(e) => setFaq(form.faq.map((f, k) => (k === i ? { ...f, question: e.target.value } : f)))} error={errors[`faq.${i}.question`]} data-testid={`faq-question-${i}`} />
                    <TextAreaField label={rt('faq.answer', { n: i + 1 })} rows={3} value={item.answer} onChange={(e) => setFaq(form.faq.map((f, k) => (k === i ? { ...f, answer: e.target.value } : f)))} onFocus={() => setActive(`faq.${i}.answer`)} error={errors[`faq.${i}.answer`]} data-testid={`faq-answer-${i}`} />
                    <div className="action-row" style={{ gap: '0.4rem' }}>
                      <Button small disabled={i === 0} onClick={() => moveFaq(i, -1)} aria-label={`${rt('faq.up')}: ${rt('faq.question', { n: i + 1 })}`} data-testid={`faq-up-${i}`}>↑ {rt('faq.up')}</Button>
                      <Button small disabled={i === form.faq.length - 1} onClick={() => moveFaq(i, 1)} aria-label={`${rt('faq.down')}: ${rt('faq.question', { n: i + 1 })}`} data-testid={`faq-down-${i}`}>↓ {rt('faq.down')}</Button>
                      <Button small variant="ghost" className="btn--danger-text" onClick={() => setFaq(form.faq.filter((_, k) => k !== i))} data-testid={`faq-remove-${i}`}>{rt('faq.remove')}</Button>
                    </div>
                  </li>
                ))}
              </ol>
              <Button small onClick={() => setFaq([...form.faq, { question: '', answer: '' }])} disabled={form.faq.length >= 30} data-testid="faq-add">{rt('faq.add')}</Button>
            </section>
          </fieldset>

          {canEdit && (
            <div className="composer__bar">
              {conflict && (
                <Alert kind="warning" testId="regulation-conflict">
                  {rt('conflict')} <Button small onClick={() => void loadNewest()} data-testid="regulation-load-newest">{rt('conflictLoad')}</Button>
                </Alert>
              )}
              {!conflict && <ErrorAlert error={error} testId="regulation-error" fields={placed} />}
              {notice && <Alert kind="success" testId="regulation-saved">{notice}</Alert>}
              <div className="action-row">
                <Button type="submit" variant="primary" busy={busy} data-testid="regulation-save">{id ? rt('save') : rt('create')}</Button>
                {id && (
                  <ConfirmButton label={rt('delete')} confirmLabel={rt('deleteConfirm')} testId="regulation-delete" onConfirm={async () => {
                    try {
                      await deleteRegulation(id);
                      writeBackup(id, null);
                      navigate('/regulations', { replace: true });
                    } catch (err) {
                      setError(err);
                    }
                  }} />
                )}
              </div>
            </div>
          )}
        </form>

        <div className="split__side">
          <ReadabilityPanel fields={panelFields} active={active} />
          {loaded && canEdit && <ExplainThis regulation={loaded} unsaved={!same(form, saved)} />}
          {loaded && <LinkedPosts regulation={loaded} onChange={setLoaded} />}
        </div>
      </div>
    </>
  );
}

/** The posts linked to the regulation; editors link a post of the Regulasi rubric or unlink one. */
function LinkedPosts({ regulation, onChange }: { regulation: RegulationDetail; onChange: (r: RegulationDetail) => void }) {
  const { rt } = useRegT();
  const [candidates, setCandidates] = useState<PostSummary[]>([]);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.rubrics()
      .then((r) => r.items.find((x) => x.slug === 'regulasi'))
      .then((rubric) => (rubric ? api.posts({ rubricId: rubric.id, limit: 50 }) : { items: [] as PostSummary[] }))
      .then((r) => !cancelled && setCandidates(r.items))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  const linked = new Set(regulation.posts.map((p) => p.id));
  const run = async (action: () => Promise<RegulationDetail>) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await action());
      setChoice('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="regulation-posts">
      <h2>{rt('section.posts')}</h2>
      {regulation.posts.length === 0 && <p className="muted">{rt('posts.none')}</p>}
      <ul className="list-plain">
        {regulation.posts.map((p) => (
          <li key={p.id} className="action-row" data-testid="linked-post">
            <div><Link to={`/posts/${p.id}`}>{p.title}</Link> <StatusBadge status={p.status} /><div className="muted small">{p.unit.name}</div></div>
            <Button small variant="ghost" disabled={busy} onClick={() => void run(async () => { await unlinkPost(regulation.id, p.id); return getRegulation(regulation.id); })} data-testid="linked-post-unlink">{rt('posts.unlink')}</Button>
          </li>
        ))}
      </ul>
      <div className="inline-form">
        <SelectField label={rt('posts.pick')} value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="link-post-choice">
          <option value="">—</option>
          {candidates.filter((p) => !linked.has(p.id)).map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
        </SelectField>
        <Button disabled={!choice} busy={busy} onClick={() => void run(() => linkPost(regulation.id, choice))} data-testid="link-post">{rt('posts.link')}</Button>
      </div>
      <ErrorAlert error={error} testId="link-post-error" />
    </section>
  );
}
