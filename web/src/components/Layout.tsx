import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { isAnyAdmin, useSession } from '../session.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { api } from '../api.ts';
import type { Notification } from '../api.ts';
import { hasRoleAnywhere } from '../content.ts';
import { formatDateTime } from '../format.ts';
import { TIMEZONES } from '../format.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { ErrorAlert } from './ui.tsx';
import { feedbackSummary } from '../pages/feedback-api.ts';

interface NavItem {
  to: string;
  key: MessageKey;
  adminOnly?: boolean;
}
// The brand links home; API tokens are personal and live in the person's menu. The rest wraps to a
// second row where one row is too narrow, so no item is ever hidden.
const NAV: NavItem[] = [
  { to: '/posts', key: 'nav.posts' },
  { to: '/compose', key: 'nav.compose' },
  { to: '/approvals', key: 'nav.approvals' },
  { to: '/calendar', key: 'nav.calendar' },
  { to: '/kinerja', key: 'nav.kinerja' },
  { to: '/regulations', key: 'nav.regulations' },
  { to: '/feedback', key: 'nav.feedback' },
  { to: '/units', key: 'nav.units' },
  { to: '/users', key: 'nav.users', adminOnly: true },
  { to: '/content-settings', key: 'nav.contentSettings', adminOnly: true },
  { to: '/audit', key: 'nav.audit' },
];

function isActive(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

const NOTIF_KEYS: Record<string, MessageKey> = {
  review_requested: 'notif.review_requested',
  approved: 'notif.approved',
  changes_requested: 'notif.changes_requested',
  mentioned: 'notif.mentioned',
  published_without_approval: 'notif.published_without_approval',
  published: 'notif.published',
  publish_failed: 'notif.publish_failed',
  publish_partly: 'notif.publish_partly',
  channel_needs_reconnect: 'notif.channel_needs_reconnect',
};

/** Where a notification leads: its post, or (for an account to reconnect) the content settings. */
function notificationTarget(n: Notification): string | null {
  if (n.kind === 'channel_needs_reconnect') return '/content-settings';
  return n.postId ? `/posts/${n.postId}` : null;
}

/** Fired after an action that may change the inbox or notification counts. */
export const COUNTS_EVENT = 'siar:counts';
export function refreshCounts(): void {
  window.dispatchEvent(new Event(COUNTS_EVENT));
}

/** Polls a loader every minute (unless `every` is null) and whenever the screen changes. */
function usePoll<T>(load: () => Promise<T>, enabled: boolean, every: number | null = 60_000): [T | undefined, () => void] {
  const { path } = useLocation();
  const [value, setValue] = useState<T | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    load().then((v) => !cancelled && setValue(v), () => undefined);
    const h = every === null ? undefined : window.setInterval(() => setTick((x) => x + 1), every);
    const bump = () => setTick((x) => x + 1);
    window.addEventListener(COUNTS_EVENT, bump);
    return () => {
      cancelled = true;
      window.clearInterval(h);
      window.removeEventListener(COUNTS_EVENT, bump);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick, enabled, every]);
  return [value, () => setTick((x) => x + 1)];
}

interface StreamHandlers {
  /** Connected: new notifications arrive by themselves. */
  onLive: (live: boolean) => void;
  onUnread: (count: number) => void;
  onNotification: (n: Notification) => void;
}

/**
 * New notifications pushed by the server (server-sent events, GET /notifications/stream). While
 * the stream is down the bell falls back to fetching every minute; EventSource reconnects by
 * itself (sending Last-Event-ID, so nothing is missed), and when it gives up (signed out, a proxy
 * that refuses streams) it is tried again a minute later.
 */
function useNotificationStream(handlers: StreamHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let again: number | undefined;
    const seen = new Set<string>();
    const connect = () => {
      const es = new EventSource('/api/v1/notifications/stream', { withCredentials: true });
      source = es;
      es.addEventListener('open', () => latest.current.onLive(true));
      es.addEventListener('unread', (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as { unread: number };
        latest.current.onUnread(data.unread);
      });
      es.addEventListener('notification', (e) => {
        const n = JSON.parse((e as MessageEvent<string>).data) as Notification;
        if (seen.has(n.id)) return;
        seen.add(n.id);
        latest.current.onNotification(n);
      });
      es.addEventListener('error', () => {
        latest.current.onLive(false);
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          again = window.setTimeout(connect, 60_000);
        }
      });
    };
    connect();
    return () => {
      window.clearTimeout(again);
      source?.close();
    };
  }, []);
}

const TOAST_MS = 8_000;

function Toast({ n, onOpen, onClose }: { n: Notification; onOpen: () => void; onClose: () => void }) {
  const { t } = useT();
  useEffect(() => {
    const h = window.setTimeout(onClose, TOAST_MS);
    return () => window.clearTimeout(h);
  }, [n, onClose]);
  return (
    <div className={`toast${isWarning(n) ? ' toast--warn' : ''}`} role="status" data-testid="notif-toast" data-kind={n.kind}>
      <div className="toast__body">
        <strong className="toast__title">{t('notif.new')}</strong>
        <span>{notificationText(t, n)}</span>
      </div>
      <div className="toast__actions">
        {notificationTarget(n) && <button type="button" className="btn btn--small btn--primary" onClick={onOpen} data-testid="notif-toast-open">{t('notif.view')}</button>}
        <button type="button" className="toast__close" onClick={onClose} aria-label={t('notif.dismiss')}>×</button>
      </div>
    </div>
  );
}

function isWarning(n: Notification): boolean {
  return n.kind === 'publish_failed' || n.kind === 'publish_partly' || n.kind === 'channel_needs_reconnect';
}

function notificationText(t: ReturnType<typeof useT>['t'], n: Notification): string {
  return t(NOTIF_KEYS[n.kind] ?? 'notif.other', { name: n.actor?.name ?? 'Siar', title: n.postTitle ?? n.excerpt ?? '', excerpt: n.excerpt ?? '' });
}

function Bell() {
  const { t, locale, tz } = useT();
  const [live, setLive] = useState(false);
  const [data, refresh] = usePoll(() => api.notifications(), true, live ? null : 60_000);
  // The count pushed by the stream since the list was last fetched (null: use the fetched one).
  const [pushedUnread, setPushedUnread] = useState<number | null>(null);
  const [toast, setToast] = useState<Notification | null>(null);
  useEffect(() => setPushedUnread(null), [data]);
  useNotificationStream({
    onLive: setLive,
    onUnread: setPushedUnread,
    onNotification: (n) => {
      setToast(n);
      refresh();
    },
  });
  const closeToast = useCallback(() => setToast(null), []);
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const { path } = useLocation();
  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const unread = pushedUnread ?? data?.unread ?? 0;
  const openOne = async (n: Notification) => {
    if (!n.read) await api.readNotifications([n.id]).catch(() => undefined);
    refresh();
    const to = notificationTarget(n);
    if (to) navigate(to);
  };
  return (
    <div className="bell" ref={wrap}>
      <button type="button" className="bell__btn" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen((o) => !o)} aria-label={t('notif.open', { n: unread })} data-testid="bell">
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" /><path d="M13.7 21a2 2 0 0 1-3.4 0" /></svg>
        {unread > 0 && <span className="count-badge" data-testid="bell-count">{unread > 99 ? '99+' : unread}</span>}
      </button>
      {open && (
        <div className="bell__panel" data-testid="bell-panel">
          <div className="bell__head">
            <strong>{t('notif.title')}</strong>
            {unread > 0 && <button type="button" className="btn btn--link btn--small" onClick={() => void api.readNotifications().then(refresh, () => undefined)} data-testid="bell-read-all">{t('notif.readAll')}</button>}
          </div>
          {(data?.items.length ?? 0) === 0 && <p className="muted bell__empty">{t('notif.none')}</p>}
          <ul className="bell__list">
            {data?.items.slice(0, 20).map((n) => (
              <li key={n.id}>
                <button type="button" className={`bell__item${n.read ? '' : ' bell__item--unread'}${isWarning(n) ? ' bell__item--warn' : ''}`} onClick={() => void openOne(n)} data-testid="bell-item" data-kind={n.kind}>
                  <span>{notificationText(t, n)}</span>
                  {n.excerpt && n.kind === 'mentioned' && <span className="small muted block">“{n.excerpt}”</span>}
                  <span className="small muted block">{formatDateTime(n.createdAt, locale, tz)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {toast && <Toast n={toast} onClose={closeToast} onOpen={() => { setToast(null); void openOne(toast); }} />}
    </div>
  );
}

function UserMenu() {
  const { t, tz, setTz } = useT();
  const { me, logout } = useSession();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<null | 'one' | 'all'>(null);
  const [error, setError] = useState<unknown>(null);
  const doLogout = async (everywhere: boolean) => {
    setBusy(everywhere ? 'all' : 'one');
    setError(null);
    try {
      await logout(everywhere);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };
  const wrap = useRef<HTMLDivElement>(null);
  const btn = useRef<HTMLButtonElement>(null);
  const { path } = useLocation();

  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        btn.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const initials = me.user.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('') || '?';

  return (
    <div className="usermenu" ref={wrap}>
      <button
        ref={btn}
        type="button"
        className="usermenu__btn"
        aria-expanded={open}
        aria-controls="usermenu-panel"
        aria-haspopup="true"
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu"
      >
        <span className="avatar" aria-hidden="true">{initials}</span>
        <span className="usermenu__name">{me.user.name}</span>
        <span className="sr-only">{t('menu.open')}</span>
        <span aria-hidden="true" className={`chev chev--down${open ? ' chev--open' : ''}`}>▾</span>
      </button>
      {open && (
        <div className="usermenu__panel" id="usermenu-panel" data-testid="user-menu-panel">
          <div className="usermenu__who">
            <div className="strong">{me.user.name}</div>
            <div className="muted small break">{me.user.email}</div>
          </div>
          <div className="usermenu__section">
            <div className="usermenu__label" id="lang-label">{t('menu.language')}</div>
            <LanguageSwitch />
          </div>
          <div className="usermenu__section">
            <label className="usermenu__label" htmlFor="tz-select">{t('menu.timezone')}</label>
            <select id="tz-select" className="select-inline" value={tz} onChange={(e) => setTz(e.target.value)}>
              {TIMEZONES.map((z) => <option key={z.id} value={z.id}>{z.abbr} ({z.id})</option>)}
            </select>
          </div>
          <div className="usermenu__section usermenu__links">
            <Link to="/security" className="usermenu__item" data-testid="menu-security">{t('menu.security')}</Link>
            <Link to="/tokens" className="usermenu__item" data-testid="nav-tokens">{t('nav.tokens')}</Link>
          </div>
          <div className="usermenu__section usermenu__links">
            {error !== null && (
              <div className="usermenu__error">
                <ErrorAlert error={error} testId="logout-error" />
              </div>
            )}
            <button type="button" className="usermenu__item" disabled={busy !== null} onClick={() => void doLogout(false)} data-testid="logout">
              {t('menu.logout')}
            </button>
            <button type="button" className="usermenu__item usermenu__item--danger" disabled={busy !== null} onClick={() => void doLogout(true)} data-testid="logout-all">
              {t('menu.logoutAll')}
              <span className="muted small block">{t('menu.logoutAllHint')}</span>
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useT();
  const { me } = useSession();
  const { path } = useLocation();
  const admin = isAnyAdmin(me);
  const approver = hasRoleAnywhere(me, 'approver');
  const [inbox] = usePoll(() => api.inbox(), approver);
  const waiting = inbox?.items.length ?? 0;
  const [feedback] = usePoll(() => feedbackSummary(), me.memberships.length > 0);
  const newFeedback = feedback?.new ?? 0;
  return (
    <div className="app">
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label={t('nav.homeLabel')}>
            <span className="brand__mark" aria-hidden="true">S</span>
            <span>Siar <span className="brand__sub">Admin</span></span>
          </Link>
          <nav className="nav" aria-label={t('nav.label')}>
            <ul>
              {NAV.filter((n) => !n.adminOnly || admin).map((n) => (
                <li key={n.to}>
                  <Link to={n.to} className="nav__link" aria-current={isActive(path, n.to) ? 'page' : undefined} data-testid={`nav-${n.to === '/' ? 'home' : n.to.slice(1)}`}>
                    {t(n.key)}
                    {n.to === '/approvals' && waiting > 0 && <span className="count-badge count-badge--nav" data-testid="nav-approvals-count" aria-label={t('nav.waiting', { n: waiting })}>{waiting}</span>}
                    {n.to === '/feedback' && newFeedback > 0 && <span className="count-badge count-badge--nav" data-testid="nav-feedback-count" aria-label={t('nav.feedbackNew', { n: newFeedback })}>{newFeedback}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="topbar__tools">
            <Bell />
            <UserMenu />
          </div>
        </div>
      </header>
      {me.user.totpRequired && !me.user.totpEnabled && path !== '/security' && (
        <div className="banner" role="status" data-testid="totp-required-banner">
          <div className="banner__inner">
            <span>{t('tfa.requiredBanner')}</span>
            <Link to="/security" className="btn btn--small btn--primary">{t('tfa.setupNow')}</Link>
          </div>
        </div>
      )}
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>Siar · {t('footer.license')}</span>
      </footer>
    </div>
  );
}
