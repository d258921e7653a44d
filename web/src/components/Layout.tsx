import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { isAnyAdmin, useSession } from '../session.tsx';
import { Link, useLocation } from '../router.tsx';
import { TIMEZONES } from '../format.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { ErrorAlert } from './ui.tsx';

interface NavItem {
  to: string;
  key: MessageKey;
  adminOnly?: boolean;
}
const NAV: NavItem[] = [
  { to: '/', key: 'nav.home' },
  { to: '/units', key: 'nav.units' },
  { to: '/users', key: 'nav.users', adminOnly: true },
  { to: '/tokens', key: 'nav.tokens' },
  { to: '/audit', key: 'nav.audit' },
];

function isActive(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
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
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <UserMenu />
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
