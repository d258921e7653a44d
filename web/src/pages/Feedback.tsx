// Citizens' feedback ("Masukan warga"): messages sent from the form under each portal article, for
// the staff of the article's unit; filters, and marking each answered, closed or spam with a note.
import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { useFocusHeading, useUnits } from '../hooks.ts';
import { formatDateTime } from '../format.ts';
import { refreshCounts } from '../components/Layout.tsx';
import { Badge, Button, ErrorAlert, Loading, PageHeader, SelectField, TextField } from '../components/ui.tsx';
import { FEEDBACK_KINDS, FEEDBACK_STATUSES, listFeedback, setFeedbackStatus } from './feedback-api.ts';
import type { Feedback as FeedbackItem, FeedbackKind, FeedbackStatus } from './feedback-api.ts';

const kindKey = (k: FeedbackKind): MessageKey => `fb.kind.${k}` as MessageKey;
const statusKey = (s: FeedbackStatus): MessageKey => `fb.status.${s}` as MessageKey;
const statusTone: Record<FeedbackStatus, 'blue' | 'green' | 'neutral' | 'red'> = { new: 'blue', answered: 'green', closed: 'neutral', spam: 'red' };
const EXCERPT = 280;

interface Filters {
  status: FeedbackStatus | '';
  kind: FeedbackKind | '';
  unitId: string;
}

function Item({ item, onChanged }: { item: FeedbackItem; onChanged: (next: FeedbackItem) => void }) {
  const { t, locale, tz } = useT();
  const headingId = useId();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<FeedbackStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const long = item.message.length > EXCERPT;
  const shown = open || !long ? item.message : `${item.message.slice(0, EXCERPT).trimEnd()}…`;

  const mark = async (status: FeedbackStatus) => {
    setBusy(status);
    setError(null);
    setDone(null);
    try {
      const next = await setFeedbackStatus(item.id, status, note.trim() === '' ? undefined : note.trim());
      setNote('');
      setDone(t('fb.markedAs', { status: t(statusKey(status)) }));
      onChanged(next);
      refreshCounts();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const actions: { status: FeedbackStatus; key: MessageKey }[] = [
    { status: 'answered', key: 'fb.markAnswered' },
    { status: 'closed', key: 'fb.markClosed' },
    { status: 'spam', key: 'fb.markSpam' },
    ...(item.status !== 'new' ? [{ status: 'new' as const, key: 'fb.markNew' as MessageKey }] : []),
  ];

  return (
    <li className="list-rows__item" data-testid="feedback-item" data-id={item.id} data-status={item.status}>
      <div className="list-rows__main">
        <h2 className="h-plain" id={headingId} style={{ fontSize: '1rem', margin: 0 }}>
          <span className="badges">
            <Badge tone={item.kind === 'complaint' ? 'amber' : 'neutral'}>{t(kindKey(item.kind))}</Badge>
            <Badge tone={statusTone[item.status]}><span data-testid="feedback-status">{t(statusKey(item.status))}</span></Badge>
          </span>{' '}
          {t('fb.from')} {item.name ?? t('fb.anonymous')}
        </h2>
        <div className="small muted">
          {t('fb.article')}: <a href={item.article.url} target="_blank" rel="noreferrer" data-testid="feedback-article">{item.article.title}</a> · {item.unit.name} ·{' '}
          <time dateTime={item.createdAt}>{t('fb.received', { when: formatDateTime(item.createdAt, locale, tz) })}</time>
        </div>
        <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: '0.5rem 0' }} data-testid="feedback-message">{shown}</p>
        {long && (
          <Button small variant="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t('fb.showLess') : t('fb.showAll')}
          </Button>
        )}
        <div className="small">
          {t('fb.contact')}: {item.contact ? <span className="break" data-testid="feedback-contact">{item.contact}</span> : <span className="muted">{t('fb.noContact')}</span>}
        </div>
        {item.note && <div className="small" data-testid="feedback-note">{t('fb.savedNote', { note: item.note })}</div>}
        {item.handledBy && item.handledAt && (
          <div className="small muted">{t('fb.handled', { status: t(statusKey(item.status)), name: item.handledBy.name, when: formatDateTime(item.handledAt, locale, tz) })}</div>
        )}
        <ErrorAlert error={error} testId="feedback-error" />
        <div role="status" className="small" data-testid="feedback-done">{done}</div>
      </div>
      {item.canModerate ? (
        <div className="list-rows__actions" role="group" aria-labelledby={headingId} style={{ flexDirection: 'column', alignItems: 'stretch', maxWidth: '20rem' }}>
          <TextField label={t('fb.note')} hint={t('fb.noteHint')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="feedback-note-input" />
          <div className="badges">
            {actions.map((a) => (
              <Button key={a.status} small variant={a.status === 'answered' ? 'primary' : 'secondary'} busy={busy === a.status} disabled={busy !== null || (item.status === a.status && note.trim() === '')} onClick={() => void mark(a.status)} data-testid={`feedback-mark-${a.status}`}>
                {t(a.key)}
              </Button>
            ))}
          </div>
        </div>
      ) : (
        <p className="small muted">{t('fb.readOnly')}</p>
      )}
    </li>
  );
}

export function Feedback() {
  const { t } = useT();
  useFocusHeading();
  const { units } = useUnits();
  const [draft, setDraft] = useState<Filters>({ status: 'new', kind: '', unitId: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [items, setItems] = useState<FeedbackItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const params = (f: Filters, p = 1) => ({ status: f.status || undefined, kind: f.kind || undefined, unitId: f.unitId || undefined, page: p });

  useEffect(() => {
    let cancelled = false;
    setItems(null);
    setError(null);
    listFeedback(params(filters)).then(
      (r) => {
        if (cancelled) return;
        setItems(r.items);
        setTotal(r.total);
        setPage(1);
      },
      (e) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [filters]);

  const more = async () => {
    setLoadingMore(true);
    try {
      const r = await listFeedback(params(filters, page + 1));
      setItems((cur) => [...(cur ?? []), ...r.items.filter((i) => !(cur ?? []).some((c) => c.id === i.id))]);
      setTotal(r.total);
      setPage(page + 1);
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
      <PageHeader title={t('fb.title')} description={t('fb.desc')} />
      <section className="card">
        <form className="filters filters--posts" onSubmit={apply} data-testid="feedback-filters">
          <SelectField label={t('fb.status')} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as Filters['status'] })} data-testid="feedback-filter-status">
            <option value="">{t('fb.allStatuses')}</option>
            {FEEDBACK_STATUSES.map((s) => <option key={s} value={s}>{t(statusKey(s))}</option>)}
          </SelectField>
          <SelectField label={t('fb.kind')} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Filters['kind'] })} data-testid="feedback-filter-kind">
            <option value="">{t('fb.allKinds')}</option>
            {FEEDBACK_KINDS.map((k) => <option key={k} value={k}>{t(kindKey(k))}</option>)}
          </SelectField>
          <SelectField label={t('fb.unit')} value={draft.unitId} onChange={(e) => setDraft({ ...draft, unitId: e.target.value })} data-testid="feedback-filter-unit">
            <option value="">{t('fb.allUnits')}</option>
            {(units ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </SelectField>
          <div className="filters__actions">
            <Button type="submit" variant="primary" data-testid="feedback-apply">{t('fb.apply')}</Button>
          </div>
        </form>
      </section>
      <ErrorAlert error={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p className="empty" data-testid="feedback-empty">{t('fb.none')}</p>}
      {items && items.length > 0 && (
        <>
          <p className="small muted" data-testid="feedback-count">{t('fb.count', { shown: items.length, total })}</p>
          <ul className="card list-rows" data-testid="feedback-list">
            {items.map((item) => (
              <Item key={item.id} item={item} onChanged={(next) => setItems((cur) => (cur ?? []).map((c) => (c.id === next.id ? next : c)))} />
            ))}
          </ul>
          {items.length < total && (
            <Button onClick={() => void more()} busy={loadingMore} data-testid="feedback-more">{t('fb.more')}</Button>
          )}
        </>
      )}
    </>
  );
}
