// Calendar: month / week / list of posts with a time, filters, crowding warnings, drag to reschedule
// (month keeps the time of day; week moves to the hour) and a keyboard "Pindahkan" alternative.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { api, NETWORK_IDS, POST_STATUSES } from '../api.ts';
import type { CalendarItem, Crowding, Rubric } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useFocusHeading, useUnits } from '../hooks.ts';
import { Link } from '../router.tsx';
import { tzAbbr } from '../format.ts';
import { addDays, bi, formatDay, networkName, statusKey, statusTone, toZonedLocal, todayIn, weekdayOf, withOffset } from '../content.ts';
import { Alert, Button, ErrorAlert, Loading, PageHeader, SelectField, TextField } from '../components/ui.tsx';
import { NetworkMarks, UrgentMark } from './Posts.tsx';

type View = 'month' | 'week' | 'list';

function rangeOf(view: View, anchor: string): { from: string; to: string; days: string[] } {
  if (view === 'week') {
    const from = addDays(anchor, -weekdayOf(anchor));
    const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
    return { from, to: addDays(from, 7), days };
  }
  const first = `${anchor.slice(0, 8)}01`;
  const nextMonth = (() => {
    const d = new Date(`${first}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 1);
    return d.toISOString().slice(0, 10);
  })();
  if (view === 'list') {
    const days: string[] = [];
    for (let d = first; d < nextMonth; d = addDays(d, 1)) days.push(d);
    return { from: first, to: nextMonth, days };
  }
  const from = addDays(first, -weekdayOf(first));
  const days = Array.from({ length: 42 }, (_, i) => addDays(from, i));
  return { from, to: addDays(from, 42), days };
}

function shiftAnchor(view: View, anchor: string, dir: number): string {
  if (view === 'week') return addDays(anchor, 7 * dir);
  const d = new Date(`${anchor.slice(0, 8)}01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + dir);
  return d.toISOString().slice(0, 10);
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function Calendar() {
  const { t, locale, tz } = useT();
  useFocusHeading();
  const { units } = useUnits();
  const [rubrics, setRubrics] = useState<Rubric[]>([]);
  const [view, setView] = useState<View>('month');
  const [anchor, setAnchor] = useState(() => todayIn(tz));
  const [filters, setFilters] = useState({ unitId: '', network: '', rubricId: '', status: '' });
  const [items, setItems] = useState<CalendarItem[] | null>(null);
  const [crowding, setCrowding] = useState<Crowding[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [moveError, setMoveError] = useState<{ title: string; error: unknown } | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const [moving, setMoving] = useState<CalendarItem | null>(null);
  const [moveWhen, setMoveWhen] = useState('');
  const [dragOver, setDragOver] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => {
    api.rubrics().then((r) => setRubrics(r.items)).catch(() => undefined);
  }, []);

  const range = useMemo(() => rangeOf(view, anchor), [view, anchor]);
  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await api.calendar({ from: range.from, to: range.to, timeZone: tz, unitId: filters.unitId || undefined, network: filters.network || undefined, rubricId: filters.rubricId || undefined, status: filters.status || undefined });
      setItems(r.items);
      setCrowding(r.crowding);
    } catch (e) {
      setError(e);
    }
  }, [range, tz, filters]);
  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  const crowdedIds = useMemo(() => new Set(crowding.flatMap((c) => c.postIds)), [crowding]);
  const placed = useMemo(() => {
    const byDay = new Map<string, CalendarItem[]>();
    for (const it of items ?? []) {
      const day = toZonedLocal(it.scheduled.utc, tz).slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), it]);
    }
    return byDay;
  }, [items, tz]);

  /** Moves a post; optimistic, reverted with the server's reason when refused. */
  const move = async (item: CalendarItem, scheduledAt: string, optimisticLocal: string) => {
    const before = items;
    setMoveError(null);
    setMoved(null);
    const utc = new Date(/[+-]\d{2}:\d{2}$|Z$/.test(scheduledAt) ? scheduledAt : withOffset(scheduledAt, item.scheduled.timeZone)).toISOString();
    setItems((cur) => (cur ?? []).map((x) => (x.id === item.id ? { ...x, scheduled: { ...x.scheduled, utc, local: optimisticLocal } } : x)));
    setBusyId(item.id);
    try {
      const r = await api.schedulePost(item.id, 'reschedule', { version: item.version, scheduledAt });
      setMoved(t('cal.moved', { title: item.title, when: r.post.scheduled ? `${r.post.scheduled.local.replace('T', ' ')} ${r.post.scheduled.zoneName}` : '' }));
      setMoving(null);
      await load();
    } catch (e) {
      setItems(before);
      setMoveError({ title: item.title, error: e });
    } finally {
      setBusyId(null);
    }
  };

  const dropOn = (e: DragEvent, day: string, hour?: number) => {
    e.preventDefault();
    setDragOver(null);
    const id = e.dataTransfer.getData('text/plain');
    const item = items?.find((x) => x.id === id);
    if (!item) return;
    if (hour === undefined) {
      // Month: another day, same time of day (in the unit's zone).
      const local = `${day}T${item.scheduled.local.slice(11, 16)}`;
      if (local === item.scheduled.local.slice(0, 16)) return;
      void move(item, local, local);
    } else {
      const minute = toZonedLocal(item.scheduled.utc, tz).slice(14, 16);
      const local = `${day}T${String(hour).padStart(2, '0')}:${minute}`;
      if (local === toZonedLocal(item.scheduled.utc, tz)) return;
      const at = withOffset(local, tz);
      void move(item, at, toZonedLocal(new Date(at), item.scheduled.timeZone));
    }
  };
  const over = (key: string) => (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    if (dragOver !== key) setDragOver(key);
  };

  const renderItem = (it: CalendarItem, compact?: boolean) => (
    <div
      key={it.id}
      className={`cal-item cal-item--${statusTone(it.status)}${crowdedIds.has(it.id) ? ' cal-item--crowded' : ''}${busyId === it.id ? ' cal-item--busy' : ''}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData('text/plain', it.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      data-testid="cal-item"
      data-id={it.id}
    >
      <div className="cal-item__top">
        <span className="cal-item__time" data-testid="cal-item-time">{it.scheduled.local.slice(11, 16)} {it.scheduled.zoneName}</span>
        {it.urgent && <UrgentMark />}
      </div>
      <Link to={`/posts/${it.id}`} className="cal-item__title" data-testid="cal-item-title">{it.title}</Link>
      {!compact && <div className="cal-item__meta"><NetworkMarks networks={it.networks} /> <span className="cal-item__status">{t(statusKey(it.status))}</span></div>}
      {compact && <NetworkMarks networks={it.networks} />}
      <button type="button" className="cal-item__move" onClick={() => { setMoving(it); setMoveWhen(it.scheduled.local.slice(0, 16)); }} aria-label={t('cal.moveNamed', { title: it.title })} data-testid="cal-item-move">
        {t('cal.move')}
      </button>
    </div>
  );

  const today = todayIn(tz);
  const monthTitle = formatDay(`${anchor.slice(0, 8)}15`, locale, { month: 'long', year: 'numeric' });
  const title = view === 'week'
    ? `${formatDay(range.days[0]!, locale, { day: 'numeric', month: 'short' })} – ${formatDay(range.days[6]!, locale, { day: 'numeric', month: 'short', year: 'numeric' })}`
    : monthTitle;

  return (
    <>
      <PageHeader title={t('cal.title')} description={t('cal.desc', { zone: tzAbbr(tz) })} />
      <section className="card">
        <div className="filters filters--cal">
          <SelectField label={t('posts.unit')} value={filters.unitId} onChange={(e) => setFilters({ ...filters, unitId: e.target.value })} data-testid="cal-unit">
            <option value="">{t('posts.allUnits')}</option>
            {(units ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </SelectField>
          <SelectField label={t('cal.network')} value={filters.network} onChange={(e) => setFilters({ ...filters, network: e.target.value })} data-testid="cal-network">
            <option value="">{t('cal.allNetworks')}</option>
            {NETWORK_IDS.map((n) => <option key={n} value={n}>{networkName(n)}</option>)}
          </SelectField>
          <SelectField label={t('posts.rubric')} value={filters.rubricId} onChange={(e) => setFilters({ ...filters, rubricId: e.target.value })}>
            <option value="">{t('posts.allRubrics')}</option>
            {rubrics.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </SelectField>
          <SelectField label={t('posts.status')} value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })} data-testid="cal-status">
            <option value="">{t('cal.allActive')}</option>
            {POST_STATUSES.map((s) => <option key={s} value={s}>{t(statusKey(s))}</option>)}
          </SelectField>
        </div>
        <div className="cal-bar">
          <div className="seg" role="group" aria-label={t('cal.view')}>
            {(['month', 'week', 'list'] as const).map((v) => (
              <button key={v} type="button" className="seg__btn" aria-pressed={view === v} onClick={() => setView(v)} data-testid={`cal-view-${v}`}>{t(`cal.${v}`)}</button>
            ))}
          </div>
          <div className="cal-nav">
            <Button small onClick={() => setAnchor(shiftAnchor(view, anchor, -1))} aria-label={t('cal.prev')} data-testid="cal-prev">‹</Button>
            <Button small onClick={() => setAnchor(today)} data-testid="cal-today">{t('cal.today')}</Button>
            <Button small onClick={() => setAnchor(shiftAnchor(view, anchor, 1))} aria-label={t('cal.next')} data-testid="cal-next">›</Button>
          </div>
          <h2 className="cal-title" aria-live="polite" data-testid="cal-title">{title}</h2>
        </div>
      </section>

      <ErrorAlert error={error} />
      {moveError && (
        <div data-testid="cal-move-error">
          <Alert kind="error" title={t('cal.moveFailed', { title: moveError.title })}>
            <span data-testid="cal-move-error-detail">{moveError.error instanceof Error ? moveError.error.message : t('common.unexpected')}</span>
          </Alert>
        </div>
      )}
      {moved && <Alert kind="success" testId="cal-moved">{moved}</Alert>}
      {crowding.length > 0 && (
        <Alert kind="warning" title={t('cal.crowded')} testId="cal-crowding">
          <ul>{crowding.map((c, i) => <li key={i}>{bi(c.message, locale)}</li>)}</ul>
        </Alert>
      )}
      {moving && (
        <form
          className="card move-form"
          onSubmit={(e: FormEvent) => { e.preventDefault(); void move(moving, moveWhen, moveWhen); }}
          data-testid="cal-move-form"
        >
          <h2>{t('cal.moveTitle', { title: moving.title })}</h2>
          <TextField label={t('act.when', { zone: moving.scheduled.zoneName })} type="datetime-local" value={moveWhen} onChange={(e) => setMoveWhen(e.target.value)} required autoFocus data-testid="cal-move-when" />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busyId === moving.id} data-testid="cal-move-confirm">{t('cal.move')}</Button>
            <Button variant="ghost" onClick={() => setMoving(null)}>{t('common.cancel')}</Button>
          </div>
        </form>
      )}

      {!items && !error && <Loading />}
      {items && view === 'month' && (
        <div className="cal-month" role="grid" aria-label={monthTitle} data-testid="cal-month">
          {range.days.slice(0, 7).map((d) => <div key={d} className="cal-month__dow" role="columnheader">{formatDay(d, locale, { weekday: 'short' })}</div>)}
          {range.days.map((d) => {
            const list = placed.get(d) ?? [];
            const inMonth = d.slice(0, 7) === anchor.slice(0, 7);
            return (
              <div
                key={d}
                role="gridcell"
                className={`cal-day${inMonth ? '' : ' cal-day--out'}${d === today ? ' cal-day--today' : ''}${dragOver === d ? ' cal-day--over' : ''}${list.some((x) => crowdedIds.has(x.id)) ? ' cal-day--crowded' : ''}`}
                onDragOver={over(d)}
                onDragLeave={() => setDragOver(null)}
                onDrop={(e) => dropOn(e, d)}
                data-testid={`cal-day-${d}`}
              >
                <div className="cal-day__num">{Number(d.slice(8))}</div>
                {list.map((it) => renderItem(it, true))}
              </div>
            );
          })}
        </div>
      )}
      {items && view === 'week' && (
        <div className="cal-week-wrap">
          <div className="cal-week" role="grid" data-testid="cal-week">
            <div className="cal-week__corner" />
            {range.days.map((d) => (
              <div key={d} className={`cal-week__head${d === today ? ' cal-day--today' : ''}`} role="columnheader">{formatDay(d, locale, { weekday: 'short', day: 'numeric', month: 'short' })}</div>
            ))}
            {HOURS.map((h) => (
              <div key={h} className="cal-week__row">
                <div className="cal-week__hour">{String(h).padStart(2, '0')}:00</div>
                {range.days.map((d) => {
                  const key = `${d}T${h}`;
                  const list = (placed.get(d) ?? []).filter((it) => Number(toZonedLocal(it.scheduled.utc, tz).slice(11, 13)) === h);
                  return (
                    <div key={key} className={`cal-slot${dragOver === key ? ' cal-day--over' : ''}`} onDragOver={over(key)} onDragLeave={() => setDragOver(null)} onDrop={(e) => dropOn(e, d, h)} data-testid={`cal-slot-${d}-${String(h).padStart(2, '0')}`}>
                      {list.map((it) => renderItem(it, true))}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        </div>
      )}
      {items && view === 'list' && (
        <section className="card" data-testid="cal-list">
          {items.length === 0 && <p className="muted">{t('cal.none')}</p>}
          {range.days.filter((d) => placed.has(d)).map((d) => (
            <div key={d} className="cal-list__day">
              <h3>{formatDay(d, locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}</h3>
              {(placed.get(d) ?? []).map((it) => renderItem(it))}
            </div>
          ))}
        </section>
      )}
    </>
  );
}
