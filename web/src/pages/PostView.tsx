// One post: status, where it goes and how publishing to each account went (link when live, the
// reason when it failed, attempt history, "Coba lagi" for editors; refreshed every 5 s while
// publishing; once live, "Hapus dari jaringan" and "Koreksi teks" for approvers), the portal line (the
// article, its clicks, "Koreksi artikel" and "Tarik dari portal"), the approval timeline, what the person may do now (from `actions`), internal
// comments with @mentions and the version history with a word diff.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api, ApiError } from '../api.ts';
import type { Comment, Compare, Hint, Post, PostTarget, PublishAttempt, Ref, VersionSummary } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { useFocusHeading, useLoad } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { formatDateTime, tzAbbr } from '../format.ts';
import { bi, formatLocal, networkName, networkShort, statusKey, statusTone, toZonedLocal } from '../content.ts';
import { isAnyAdmin, useSession } from '../session.tsx';
import { Alert, Badge, Button, ErrorAlert, Loading, PageHeader, TextAreaField, TextField } from '../components/ui.tsx';
import { NetworkPreview } from '../components/NetworkPreview.tsx';
import { refreshCounts } from '../components/Layout.tsx';
import { TargetEditor, TargetMarks, TargetRemove, targetTexts } from '../components/TargetActions.tsx';
import { PortalRow } from '../components/PortalLine.tsx';

const TARGET_KEYS: Record<string, MessageKey> = {
  pending: 'target.pending', queued: 'target.queued', publishing: 'target.publishing', published: 'target.published', failed: 'target.failed', cancelled: 'target.cancelled',
};
const TARGET_TONES: Record<string, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
  pending: 'neutral', queued: 'neutral', publishing: 'blue', published: 'green', failed: 'red', cancelled: 'neutral',
};
const OUTCOME_KEYS: Record<string, MessageKey> = {
  published: 'pub.outcome.published', found: 'pub.outcome.found', permanent: 'pub.outcome.permanent', transient: 'pub.outcome.transient', uncertain: 'pub.outcome.uncertain',
};
/** How often the page asks for the post again while it is being published. */
const POLL_MS = 5_000;
const DECISION_KEYS: Record<string, MessageKey> = { approved: 'decision.approved', changes_requested: 'decision.changes_requested', reviewed_after: 'decision.reviewed_after' };

type Pending = null | 'approve' | 'request_changes' | 'schedule' | 'reschedule';

function ActionBar({ post, onDone }: { post: Post; onDone: (p: Post, msg: string) => void }) {
  const { t, locale } = useT();
  const [pending, setPending] = useState<Pending>(null);
  const [note, setNote] = useState('');
  const [when, setWhen] = useState(post.scheduled?.local ?? '');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secondLook, setSecondLook] = useState<Hint[] | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const a = new Set(post.actions);

  const run = async (key: string, fn: () => Promise<Post>, msg: MessageKey) => {
    setBusy(key);
    setError(null);
    try {
      const p = await fn();
      setPending(null);
      setConfirm(null);
      setNote('');
      setSecondLook(null);
      onDone(p, t(msg));
      refreshCounts();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'post.needs_second_look') setSecondLook((e.details?.['hints'] as Hint[] | undefined) ?? []);
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const v = { version: post.version };
  const simple = (key: 'submit' | 'withdraw' | 'cancel' | 'restore' | 'unschedule' | 'publish-now' | 'review-after', msg: MessageKey, extra: { acknowledgeSensitive?: boolean } = {}) =>
    run(key, () => api.postAction(post.id, key, { ...v, ...extra }), msg);

  const confirmable = (key: string, label: ReactNode, testId: string, doIt: () => void, danger = false) =>
    confirm === key ? (
      <span className="confirm" role="group">
        <span className="confirm__q">{t('common.areYouSure')}</span>
        <Button small variant={danger ? 'danger' : 'primary'} busy={busy === key} onClick={doIt} data-testid={`${testId}-yes`}>{t('common.yes')}</Button>
        <Button small variant="ghost" onClick={() => setConfirm(null)}>{t('common.cancel')}</Button>
      </span>
    ) : (
      <Button small variant={danger ? 'ghost' : 'secondary'} className={danger ? 'btn--danger-text' : ''} onClick={() => setConfirm(key)} data-testid={testId}>{label}</Button>
    );

  if (post.actions.length === 0) return <p className="muted" data-testid="no-actions">{t('post.noActions')}</p>;

  return (
    <div className="stack" data-testid="post-actions">
      <div className="form-actions">
        {a.has('approve') && <Button variant="primary" onClick={() => setPending(pending === 'approve' ? null : 'approve')} aria-expanded={pending === 'approve'} data-testid="action-approve">{t('act.approve')}</Button>}
        {a.has('request_changes') && <Button onClick={() => setPending(pending === 'request_changes' ? null : 'request_changes')} aria-expanded={pending === 'request_changes'} data-testid="action-request-changes">{t('act.requestChanges')}</Button>}
        {a.has('edit') && <Link to={`/posts/${post.id}/edit`} className="btn" data-testid="action-edit">{t('act.edit')}</Link>}
        {a.has('submit') && <Button variant="primary" busy={busy === 'submit'} onClick={() => void simple('submit', 'post.submittedMsg')} data-testid="action-submit">{t('act.submit')}</Button>}
        {a.has('schedule') && <Button variant="primary" onClick={() => setPending(pending === 'schedule' ? null : 'schedule')} data-testid="action-schedule">{t('act.schedule')}</Button>}
        {a.has('reschedule') && post.scheduled && <Button onClick={() => setPending(pending === 'reschedule' ? null : 'reschedule')} data-testid="action-reschedule">{t('act.reschedule')}</Button>}
        {a.has('unschedule') && <Button busy={busy === 'unschedule'} onClick={() => void simple('unschedule', 'post.unscheduledMsg')} data-testid="action-unschedule">{t('act.unschedule')}</Button>}
        {a.has('review_after') && <Button busy={busy === 'review-after'} onClick={() => void simple('review-after', 'post.reviewedMsg')} data-testid="action-review-after">{t('act.reviewAfter')}</Button>}
        {a.has('publish_now') && confirmable('publish-now', t('act.publishNow'), 'action-publish-now', () => void simple('publish-now', 'post.publishedNowMsg'))}
        {a.has('withdraw') && confirmable('withdraw', t('act.withdraw'), 'action-withdraw', () => void simple('withdraw', 'post.withdrawnMsg'))}
        {a.has('restore') && <Button busy={busy === 'restore'} onClick={() => void simple('restore', 'post.restoredMsg')} data-testid="action-restore">{t('act.restore')}</Button>}
        {a.has('cancel') && confirmable('cancel', t('act.cancel'), 'action-cancel', () => void simple('cancel', 'post.cancelledMsg'), true)}
      </div>
      {pending === 'approve' && (
        <form className="card card--inset" onSubmit={(e: FormEvent) => { e.preventDefault(); void run('approve', () => api.postAction(post.id, 'approve', { ...v, ...(note.trim() ? { note: note.trim() } : {}) }), 'post.approvedMsg'); }} data-testid="approve-form">
          <TextAreaField label={t('act.noteOptional')} rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="approve-note" />
          <Button type="submit" variant="primary" busy={busy === 'approve'} data-testid="approve-confirm">{t('act.approveConfirm')}</Button>
        </form>
      )}
      {pending === 'request_changes' && (
        <form className="card card--inset" noValidate onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (!note.trim()) { setError(new Error(t('act.noteRequired'))); return; }
          void run('request_changes', () => api.requestChanges(post.id, { ...v, note: note.trim() }), 'post.changesRequestedMsg');
        }} data-testid="request-changes-form">
          <TextAreaField label={t('act.noteRequiredLabel')} rows={3} required value={note} onChange={(e) => setNote(e.target.value)} error={error instanceof Error && !(error instanceof ApiError) ? error.message : undefined} data-testid="request-changes-note" />
          <Button type="submit" variant="primary" busy={busy === 'request_changes'} data-testid="request-changes-confirm">{t('act.requestChangesConfirm')}</Button>
        </form>
      )}
      {(pending === 'schedule' || pending === 'reschedule') && (
        <form className="card card--inset" onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const action = pending;
          void run(action, async () => (await api.schedulePost(post.id, action, { ...v, scheduledAt: when })).post, 'post.scheduledMsg');
        }} data-testid="schedule-form">
          <TextField label={t('act.when', { zone: post.scheduled?.zoneName ?? post.unit.timezone })} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required data-testid="schedule-when" />
          <Button type="submit" variant="primary" busy={busy === pending} data-testid="schedule-confirm">{t('act.scheduleConfirm')}</Button>
        </form>
      )}
      {secondLook && (
        <Alert kind="warning" title={t('cmp.secondLookTitle')} testId="post-second-look">
          <ul>{secondLook.map((h, i) => <li key={i}>{bi(h.message, locale)}{h.excerpt ? <> — <q>{h.excerpt}</q></> : null}</li>)}</ul>
          <Button small variant="primary" onClick={() => void simple('submit', 'post.submittedMsg', { acknowledgeSensitive: true })} data-testid="post-second-look-confirm">{t('cmp.secondLookConfirm')}</Button>
        </Alert>
      )}
      {!(error instanceof Error && !(error instanceof ApiError) && pending === 'request_changes') && <ErrorAlert error={error} testId="action-error" />}
    </div>
  );
}

function Timeline({ post }: { post: Post }) {
  const { t, locale, tz } = useT();
  const { approval } = post;
  const tiers = Array.from({ length: approval.tiers }, (_, i) => i + 1);
  const thisRound = approval.decisions.filter((d) => d.round === approval.round);
  return (
    <div data-testid="approval-timeline">
      {approval.tiers === 0 ? <p className="muted">{t('post.noTiers')}</p> : (
        <ol className="tiers">
          {tiers.map((tier) => {
            const done = thisRound.find((d) => d.tier === tier && d.decision === 'approved');
            const current = approval.currentTier === tier;
            return (
              <li key={tier} className={`tiers__item${done ? ' tiers__item--done' : ''}${current ? ' tiers__item--current' : ''}`} data-testid={`tier-${tier}`}>
                <span className="tiers__dot" aria-hidden="true">{done ? '✓' : tier}</span>
                <span>{t('post.tier', { n: tier })}: {done ? t('post.tierDone', { name: done.approver.name }) : current ? t('post.tierWaiting') : t('post.tierLater')}</span>
              </li>
            );
          })}
        </ol>
      )}
      {approval.decisions.length > 0 && (
        <ul className="timeline">
          {[...approval.decisions].reverse().map((d, i) => (
            <li key={i} className={`timeline__item timeline__item--${d.decision}`} data-testid="decision">
              <div><strong>{d.approver.name}</strong> · {t(DECISION_KEYS[d.decision] ?? 'decision.approved')} · {t('post.tier', { n: d.tier })} · {t('post.round', { n: d.round })}</div>
              <div className="muted small">{formatDateTime(d.at, locale, tz)}</div>
              {d.note && <blockquote className="timeline__note">{d.note}</blockquote>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Comments with @mentions of people who can see the post. */
function Comments({ post }: { post: Post }) {
  const { t, locale, tz } = useT();
  const { data, error, reload } = useLoad(() => api.comments(post.id), [post.id]);
  const { data: visible } = useLoad(() => api.postPeople(post.id), [post.id]);
  const [body, setBody] = useState('');
  const [mentions, setMentions] = useState<Ref[]>([]);
  const [picker, setPicker] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const ta = useRef<HTMLTextAreaElement>(null);

  const people = useMemo(() => {
    const m = new Map<string, Ref>();
    for (const p of visible?.items ?? []) m.set(p.id, p);
    m.set(post.author.id, post.author);
    for (const d of post.approval.decisions) m.set(d.approver.id, d.approver);
    for (const c of data?.items ?? []) {
      m.set(c.author.id, c.author);
      for (const x of c.mentions) m.set(x.id, x);
    }
    return [...m.values()];
  }, [post, data, visible]);

  const onType = (v: string) => {
    setBody(v);
    const caret = ta.current?.selectionStart ?? v.length;
    const before = v.slice(0, caret);
    const m = /(?:^|\s)@([\p{L}\p{N}_.-]*)$/u.exec(before);
    setPicker(m ? (m[1] ?? '') : null);
  };
  const choose = (p: Ref) => {
    const caret = ta.current?.selectionStart ?? body.length;
    const before = body.slice(0, caret).replace(/@([\p{L}\p{N}_.-]*)$/u, `@${p.name} `);
    setBody(before + body.slice(caret));
    setMentions((ms) => (ms.some((x) => x.id === p.id) ? ms : [...ms, p]));
    setPicker(null);
    ta.current?.focus();
  };
  const matches = picker === null ? [] : people.filter((p) => p.name.toLowerCase().includes(picker.toLowerCase()));

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setSendError(null);
    try {
      const used = mentions.filter((m) => body.includes(`@${m.name}`)).map((m) => m.id);
      await api.addComment(post.id, { body: body.trim(), mentions: used });
      setBody('');
      setMentions([]);
      await reload();
    } catch (err) {
      setSendError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="comments-h" data-testid="comments">
      <h2 id="comments-h">{t('post.comments')}</h2>
      <ErrorAlert error={error} testId="comments-error" />
      {data && data.items.length === 0 && <p className="muted">{t('post.noComments')}</p>}
      <ul className="comments">
        {data?.items.map((c: Comment) => (
          <li key={c.id} className="comment" data-testid="comment">
            <div><strong>{c.author.name}</strong> <span className="muted small">{formatDateTime(c.createdAt, locale, tz)}</span></div>
            <p className="pre-wrap">{c.body.split(/(@[^\s@][^@\n]*?)(?=\s|$)/).map((part, i) => (c.mentions.some((m) => part === `@${m.name}` || part.startsWith(`@${m.name}`)) ? <mark key={i} className="mention">{part}</mark> : <span key={i}>{part}</span>))}</p>
          </li>
        ))}
      </ul>
      <form onSubmit={send} className="comment-form">
        <div className="mention-wrap">
          <TextAreaField
            label={t('post.addComment')}
            hint={t('post.mentionHint')}
            rows={3}
            value={body}
            onChange={(e) => onType(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Escape') setPicker(null); }}
            data-testid="comment-body"
            ref={ta}
          />
          {picker !== null && matches.length > 0 && (
            <ul className="mention-picker" role="listbox" aria-label={t('post.mentionPick')} data-testid="mention-picker">
              {matches.map((p) => (
                <li key={p.id}>
                  <button type="button" role="option" aria-selected="false" onClick={() => choose(p)} data-testid={`mention-${p.id}`}>@{p.name}</button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {mentions.length > 0 && <p className="small muted">{t('post.willNotify', { names: mentions.map((m) => m.name).join(', ') })}</p>}
        <ErrorAlert error={sendError} testId="comment-error" />
        <Button type="submit" busy={busy} data-testid="comment-send">{t('post.send')}</Button>
      </form>
    </section>
  );
}

function DiffText({ diff }: { diff: NonNullable<Compare['changes'][number]['diff']> }) {
  return (
    <p className="diff pre-wrap">
      {diff.map((d, i) => (d.op === 'insert' ? <ins key={i}>{d.text}</ins> : d.op === 'delete' ? <del key={i}>{d.text}</del> : <span key={i}>{d.text}</span>))}
    </p>
  );
}

const show = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function Versions({ post }: { post: Post }) {
  const { t, locale, tz } = useT();
  const { data, error } = useLoad(() => api.postVersions(post.id), [post.id, post.version]);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [cmp, setCmp] = useState<Compare | null>(null);
  const [cmpError, setCmpError] = useState<unknown>(null);
  useEffect(() => {
    if (!data || data.items.length < 2) return;
    setTo(data.items[0]!.version);
    setFrom(data.items[1]!.version);
  }, [data]);
  const compare = async () => {
    if (from === null || to === null) return;
    setCmpError(null);
    try {
      setCmp(await api.comparePost(post.id, Math.min(from, to), Math.max(from, to)));
    } catch (e) {
      setCmpError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="versions-h" data-testid="versions">
      <h2 id="versions-h">{t('post.versions')}</h2>
      <ErrorAlert error={error} testId="versions-error" />
      <ul className="list-rows">
        {data?.items.map((v: VersionSummary) => (
          <li key={v.version} className="list-rows__item" data-testid="version-row">
            <div className="list-rows__main">
              <strong>v{v.version}</strong> · {v.action} · {v.author?.name ?? t('audit.system')}
              <div className="muted small">{formatDateTime(v.at, locale, tz)} · {t(statusKey(v.status))}</div>
            </div>
            <div className="list-rows__actions">
              <label className="small"><input type="radio" name="vfrom" checked={from === v.version} onChange={() => setFrom(v.version)} /> {t('post.from')}</label>
              <label className="small"><input type="radio" name="vto" checked={to === v.version} onChange={() => setTo(v.version)} /> {t('post.to')}</label>
            </div>
          </li>
        ))}
      </ul>
      {data && data.items.length > 1 && <Button small onClick={() => void compare()} data-testid="versions-compare">{t('post.compare')}</Button>}
      <ErrorAlert error={cmpError} testId="compare-error" />
      {cmp && (
        <div className="compare" data-testid="compare">
          <p className="muted small">v{cmp.from.version} → v{cmp.to.version}</p>
          {cmp.changes.length === 0 && <p className="muted">{t('post.noChanges')}</p>}
          {cmp.changes.map((c) => (
            <div key={c.field} className="compare__field">
              <h3>{c.field}</h3>
              {c.diff ? <DiffText diff={c.diff} /> : <p className="diff"><del>{show(c.before)}</del> <ins>{show(c.after)}</ins></p>}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

/** "akan dicoba lagi pukul 14:05 WITA" (today in the display zone), else with the date. */
function RetryAt({ at }: { at: string }) {
  const { t, locale, tz } = useT();
  const local = toZonedLocal(at, tz);
  const today = local.slice(0, 10) === toZonedLocal(new Date(), tz).slice(0, 10);
  return (
    <span className="target__note" data-testid="target-next-attempt">
      {today ? t('pub.retryAt', { time: `${local.slice(11, 16)} ${tzAbbr(tz)}` }) : t('pub.retryAtDay', { when: formatDateTime(at, locale, tz) })}
    </span>
  );
}

/** Every attempt of one target, loaded when opened (and again when the count changes while open). */
function AttemptHistory({ postId, target }: { postId: string; target: PostTarget }) {
  const { t, locale, tz } = useT();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<PublishAttempt[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    api.targetAttempts(postId, target.id).then(
      (r) => { if (!cancelled) { setItems(r.items); setError(null); } },
      (e: unknown) => { if (!cancelled) setError(e); },
    );
    return () => { cancelled = true; };
  }, [open, postId, target.id, target.attempts, target.status]);
  return (
    <details className="disclosure target__history" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)} data-testid="target-history">
      <summary data-testid="target-history-toggle">{t('pub.history')} ({target.attempts})</summary>
      <ErrorAlert error={error} testId="target-history-error" />
      {open && !items && !error && <Loading />}
      {items && items.length === 0 && <p className="muted small">{t('pub.historyEmpty')}</p>}
      {items && items.length > 0 && (
        <ol className="attempts">
          {items.map((a) => (
            <li key={`${a.attempt}-${a.startedAt}`} className={`attempts__item attempts__item--${a.outcome ?? 'running'}`} data-testid="target-attempt" data-outcome={a.outcome ?? 'running'}>
              <strong>{t('pub.attemptN', { n: a.attempt })}</strong> · {formatDateTime(a.startedAt, locale, tz)} · {a.outcome ? t(OUTCOME_KEYS[a.outcome] ?? 'pub.outcome.permanent') : t('pub.running')}
              {a.code && <span className="muted small"> ({a.code})</span>}
              {a.detail && a.outcome !== 'published' && a.outcome !== 'found' && <span className="muted small block break">{a.detail}</span>}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

function TargetRow({ post, target: x, onRetried, onChanged }: { post: Post; target: PostTarget; onRetried: (msg: string) => void; onChanged: () => void }) {
  const { t, locale, tz } = useT();
  const { me } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Removing and correcting are answered beside the target (the page's message is far above).
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  /** What this page last sent as the correction: the editor starts from it the next time. */
  const [sent, setSent] = useState<{ texts: string[]; title: string | null } | null>(null);
  const net = networkName(x.network);
  const reason = x.errorReason ? bi(x.errorReason, locale) : x.error;
  const disconnected = x.channelConnection !== 'connected';
  // The server says what this person may do to the target now (writers retry, approvers change what is live).
  const may = new Set(x.actions ?? []);
  const removed = !!x.removedAt;
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.retryTarget(post.id, x.id);
      onRetried(t('pub.retriedMsg', { network: net }));
      refreshCounts();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`list-rows__item target target--${x.status}`} data-testid="target" data-id={x.id} data-network={x.network} data-status={x.status}>
      <div className="list-rows__main">
        <div>
          <span className={`net-mark net-mark--${x.network}`} aria-hidden="true">{networkShort(x.network)}</span> <strong>{net}</strong> · {x.channel.name} <span className="muted break">{x.channel.handle}</span>
        </div>
        <div className="target__line">
          {!removed && <span data-testid="target-status"><Badge tone={TARGET_TONES[x.status] ?? 'neutral'}>{t(TARGET_KEYS[x.status] ?? 'target.pending')}</Badge></span>}
          {x.status === 'published' && !removed && x.externalUrl && (
            <a href={x.externalUrl} target="_blank" rel="noreferrer noopener" data-testid="target-link">{t('pub.viewOn', { network: net })}</a>
          )}
          {x.status === 'published' && x.publishedAt && <span className="small muted" data-testid="target-published-at">{t('pub.publishedAt', { when: formatDateTime(x.publishedAt, locale, tz) })}</span>}
          <TargetMarks target={x} />
          {x.uncertain && (x.status === 'pending' || x.status === 'publishing') && <span className="target__note" data-testid="target-uncertain">{t('pub.uncertain')}</span>}
          {x.status === 'pending' && x.nextAttemptAt && !x.uncertain && x.attempts > 0 && <RetryAt at={x.nextAttemptAt} />}
          <span className="small muted" data-testid="target-attempts">{x.attempts > 0 ? t('pub.attempts', { n: x.attempts }) : t('pub.noAttempts')}</span>
        </div>
        {x.status === 'published' && !removed && x.notice && (
          <p className="small muted" data-testid="target-notice"><strong>{t('pub.noticeLabel')}</strong> {bi(x.notice, locale)}</p>
        )}
        {x.status === 'failed' && reason && (
          <p className="target__reason" data-testid="target-reason"><strong>{t('pub.reasonLabel')}</strong> {reason}</p>
        )}
        {x.status === 'pending' && x.attempts > 0 && reason && (
          <p className="small muted" data-testid="target-wait-reason">{t('pub.waitLabel')} {reason}</p>
        )}
        {disconnected && x.status !== 'published' && x.status !== 'cancelled' && (
          <p className="small target__conn" data-testid="target-connection">
            {t(x.channelConnection === 'needs_reconnect' ? 'pub.needsReconnect' : 'pub.unconnected')}
            {isAnyAdmin(me) && <> <Link to="/content-settings">{t('pub.toSettings')}</Link></>}
          </p>
        )}
        {x.attempts > 0 && <AttemptHistory postId={post.id} target={x} />}
        <ErrorAlert error={error} testId="target-retry-error" />
        {done && <Alert kind="success" testId="target-msg">{done}</Alert>}
        {editing && may.has('edit') && (
          <TargetEditor
            post={post}
            target={x}
            start={sent ?? targetTexts(post, x)}
            onCancel={() => setEditing(false)}
            onEdited={(s, m) => { setSent(s); setEditing(false); setDone(m); onChanged(); }}
          />
        )}
      </div>
      {((may.has('retry') && !disconnected) || may.has('edit') || may.has('remove')) && (
        <div className="list-rows__actions">
          {may.has('retry') && !disconnected && <Button small variant="primary" busy={busy} onClick={() => void retry()} data-testid="target-retry">{t('pub.retry')}<span className="sr-only"> ({net})</span></Button>}
          {may.has('edit') && !editing && (
            <Button small onClick={() => { setEditing(true); setDone(null); }} data-testid="target-edit">{t('pub.edit')}<span className="sr-only"> ({net}, {x.channel.name})</span></Button>
          )}
          {may.has('remove') && <TargetRemove post={post} target={x} onRemoved={(m) => { setEditing(false); setDone(m); onChanged(); }} />}
        </div>
      )}
    </li>
  );
}

export function PostView({ id }: { id: string }) {
  const { t, locale, tz } = useT();
  const { query } = useLocation();
  useFocusHeading();
  const { data: post, error, setData, reload } = useLoad(() => api.post(id), [id]);
  const [msg, setMsg] = useState<string | null>(query.get('submitted') ? t('post.submittedMsg') : null);
  const [tab, setTab] = useState<string | null>(null);

  // While publishing (or due now), ask again every 5 s; a post due later wakes the page at its time.
  const [, setWake] = useState(0);
  const dueAt = post?.status === 'scheduled' && post.scheduled ? Date.parse(post.scheduled.utc) : null;
  const live = !!post && (post.status === 'publishing' || post.targets.some((x) => x.status === 'publishing') || (dueAt !== null && dueAt <= Date.now() + POLL_MS));
  useEffect(() => {
    if (!live) return;
    // A failed poll keeps what is shown (the next one may succeed); only a fresh post replaces it.
    const h = window.setInterval(() => { api.post(id).then(setData, () => undefined); }, POLL_MS);
    return () => window.clearInterval(h);
  }, [live, id, setData]);
  useEffect(() => {
    if (live || dueAt === null) return;
    const wait = dueAt - Date.now();
    if (wait > 24 * 3600_000) return;
    const h = window.setTimeout(() => setWake((x) => x + 1), Math.max(0, wait - POLL_MS));
    return () => window.clearTimeout(h);
  }, [live, dueAt]);

  if (error) return <><PageHeader title={t('post.title')} /><ErrorAlert error={error} /></>;
  if (!post) return <><PageHeader title={t('post.title')} /><Loading /></>;
  const nets = post.variants.map((v) => v.network);
  const active = tab && nets.includes(tab) ? tab : nets[0];
  const variant = post.variants.find((v) => v.network === active);
  const channel = post.targets.find((x) => x.network === active)?.channel;

  return (
    <div data-testid="post-view">
      <Link to="/posts" className="back">← {t('post.back')}</Link>
      <PageHeader
        title={<span data-testid="post-title">{post.title}</span>}
        description={<>{post.unit.name} · {t('post.by', { name: post.author.name })}</>}
        actions={<span className="badges">
          {post.urgent && <Badge tone="red">{t('post.urgent')}</Badge>}
          <span data-testid="post-status"><Badge tone={statusTone(post.status)}>{t(statusKey(post.status))}</Badge></span>
        </span>}
      />
      {msg && <Alert kind="success" testId="post-msg">{msg}</Alert>}
      <div className="grid-2">
        <section className="card" aria-labelledby="act-h">
          <h2 id="act-h">{t('common.actions')}</h2>
          <dl className="dl dl--compact">
            <dt>{t('post.scheduled')}</dt>
            <dd data-testid="post-scheduled">{post.scheduled ? formatLocal(post.scheduled.local, post.scheduled.zoneName, locale) : t('post.notScheduled')}</dd>
          </dl>
          <ActionBar post={post} onDone={(p, m) => { setData(p); setMsg(m); if (p.status === 'in_review' && query.get('submitted')) navigate(`/posts/${p.id}`, { replace: true }); }} />
        </section>
        <section className="card" aria-labelledby="appr-h">
          <h2 id="appr-h">{t('post.approval')}</h2>
          <Timeline post={post} />
        </section>
      </div>

      {post.needsPostReview && <Alert kind="warning" testId="needs-post-review">{t('post.needsPostReview')}</Alert>}
      {post.urgent && post.sertaMerta && (
        <section className="card card--urgent" data-testid="post-serta-merta">
          <h2>{t('sm.title')}</h2>
          <dl className="dl">
            {(['what', 'areas', 'actions', 'help', 'contact'] as const).map((k) => (
              <div key={k} className="dl__pair"><dt>{t(`sm.${k}` as MessageKey)}</dt><dd>{post.sertaMerta?.[k] ?? '—'}</dd></div>
            ))}
          </dl>
        </section>
      )}

      <section className="card" aria-labelledby="targets-h">
        <h2 id="targets-h">{t('post.targets')}</h2>
        {live && <p className="small muted" data-testid="post-live" role="status">{t('pub.live')}</p>}
        <PortalRow post={post} onChanged={() => void reload()} />
        {post.targets.length === 0 ? <p className="muted">{t('post.noTargets')}</p> : (
          <ul className="list-rows" data-testid="post-targets">
            {post.targets.map((x) => (
              <TargetRow key={x.id} post={post} target={x} onRetried={(m) => { setMsg(m); void reload(); }} onChanged={() => void reload()} />
            ))}
          </ul>
        )}
      </section>

      {nets.length > 0 && (
        <section className="card" aria-labelledby="pv-h">
          <h2 id="pv-h">{t('cmp.previews')}</h2>
          <div className="tabs" role="tablist">
            {nets.map((n) => {
              const bad = post.checks.some((c) => c.network === n && !c.ok);
              return <button key={n} type="button" role="tab" aria-selected={n === active} className={`tab${bad ? ' tab--error' : ''}`} onClick={() => setTab(n)} data-testid={`post-tab-${n}`}>{networkName(n)}</button>;
            })}
          </div>
          {variant && active && (
            <div className="netpanel">
              <NetworkPreview
                network={active}
                account={channel ?? { name: post.unit.name, handle: '', avatarUrl: null }}
                text={variant.text}
                parts={variant.parts}
                title={variant.title}
                media={post.media.filter((m) => variant.mediaIds.length === 0 || variant.mediaIds.includes(m.mediaId)).map((m) => ({ id: m.mediaId, url: m.url, thumbnailUrl: m.thumbnailUrl, alt: m.alt, kind: m.kind, width: m.width, height: m.height }))}
              />
              {post.checks.filter((c) => c.network === active).flatMap((c) => c.issues).map((i, k) => (
                <div key={k} className={`issues issues--${i.severity}`}>{bi(i.message, locale)}</div>
              ))}
            </div>
          )}
        </section>
      )}

      <section className="card" aria-labelledby="body-h">
        <h2 id="body-h">{t('cmp.master')}</h2>
        {post.summary && <p className="lead">{post.summary}</p>}
        <div className="prose" data-testid="post-body" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
        {post.tags.length > 0 && <p className="badges">{post.tags.map((x) => <Badge key={x}>#{x}</Badge>)}</p>}
        {post.portalUrl && <p><a href={post.portalUrl} target="_blank" rel="noreferrer noopener">{post.portalUrl}</a></p>}
        <p className="muted small">{t('post.updated', { when: formatDateTime(post.updatedAt, locale, tz) })} · v{post.version}{post.scheduled ? ` · ${toZonedLocal(post.scheduled.utc, post.scheduled.timeZone).replace('T', ' ')} ${post.scheduled.zoneName}` : ''}</p>
      </section>

      <Comments post={post} />
      <Versions post={post} />
    </div>
  );
}
