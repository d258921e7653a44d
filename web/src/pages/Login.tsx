import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Button, ErrorAlert, TextField, fieldErrorsOf } from '../components/ui.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';

export function Login({ onLoggedIn, notice }: { onLoggedIn: () => Promise<void>; notice?: string | null }) {
  const { t } = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const [showNotice, setShowNotice] = useState(true);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);
  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setShowNotice(false);
    try {
      const res = await api.login({ email: email.trim(), password, ...(needTotp ? { totp: totp.trim() } : {}) });
      setCsrfToken(res.csrfToken);
      await onLoggedIn();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'auth.totp_required') {
        setNeedTotp(true);
        setError(null);
      } else {
        if (err instanceof ApiError && err.code === 'auth.totp_invalid') setTotp('');
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const fe = fieldErrorsOf(error);
  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="auth-card__top">
          <div className="brand brand--large">
            <span className="brand__mark" aria-hidden="true">S</span>
            <span>Siar <span className="brand__sub">Admin</span></span>
          </div>
          <LanguageSwitch compact />
        </div>
        <main>
          <h1 className="auth-title">{needTotp ? t('login.totpTitle') : t('login.title')}</h1>
          <p className="auth-desc">{needTotp ? t('login.totpDesc') : t('login.desc')}</p>
          {notice && showNotice && <div className="alert alert--info" role="status">{notice}</div>}
          <form onSubmit={submit} noValidate data-testid="login-form">
            <ErrorAlert error={error} testId="login-error" fields={['email', 'password', 'totp']} />
            <div hidden={needTotp}>
              <TextField
                label={t('login.email')}
                type="email"
                name="email"
                autoComplete="username"
                inputMode="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                error={fe['email']}
                ref={emailRef}
                data-testid="login-email"
              />
              <TextField
                label={t('login.password')}
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                error={fe['password']}
                data-testid="login-password"
              />
            </div>
            {needTotp && (
              <TextField
                label={t('login.totp')}
                hint={t('login.totpHint')}
                name="totp"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                required
                value={totp}
                onChange={(e) => setTotp(e.target.value.replace(/\D/g, '').slice(0, 6))}
                error={fe['totp']}
                ref={totpRef}
                className="field--code"
                data-testid="login-totp"
              />
            )}
            <Button type="submit" variant="primary" busy={busy} className="btn--block" data-testid="login-submit">
              {needTotp ? t('login.verify') : t('login.submit')}
            </Button>
            {needTotp && (
              <Button
                variant="link"
                className="btn--block"
                onClick={() => {
                  setNeedTotp(false);
                  setTotp('');
                  setError(null);
                }}
              >
                {t('login.back')}
              </Button>
            )}
          </form>
          <p className="auth-foot">{t('login.forgot')}</p>
        </main>
      </div>
    </div>
  );
}
