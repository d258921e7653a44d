// Connecting a channel by signing in at its network (OAuth): the panel that sends the person to the
// network's consent page (or to the sandbox's practice account), and what is shown when the network
// sends them back to the settings page (?signIn=connected|error|choose): a banner, or a dialog to
// pick one of several accounts the sign-in gave (Facebook Pages, LinkedIn pages).
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import { api } from '../api.ts';
import type { Channel, NetworkId, SignInAccount } from '../api.ts';
import { useT } from '../i18n.tsx';
import { networkName } from '../content.ts';
import { useLoad } from '../hooks.ts';
import { Alert, Button, ErrorAlert, Loading, fieldErrorsOf } from './ui.tsx';

/** The networks connected by signing in there; Mastodon, Bluesky and Telegram take pasted credentials. */
export const SIGN_IN_NETWORKS: ReadonlySet<string> = new Set<NetworkId>(['x', 'facebook', 'instagram', 'threads', 'linkedin', 'youtube', 'tiktok']);

/** Where to go to sign in: the real network, or the sandbox's practice account. */
type Way = 'real' | 'practice';

export function ChannelSignInPanel({ channel, onCancel }: { channel: Channel; onCancel: () => void }) {
  const { t } = useT();
  const id = useId();
  const net = networkName(channel.network);
  const [busy, setBusy] = useState<Way | null>(null);
  const [failed, setFailed] = useState<{ way: Way; error: unknown } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const start = async (way: Way) => {
    setBusy(way);
    setFailed(null);
    try {
      const { authorizeUrl } = await api.signInChannel(channel.id, way === 'practice');
      // A full-page visit: the network's consent page, which sends the person back to Siar.
      window.location.assign(authorizeUrl);
    } catch (error) {
      setFailed({ way, error });
      setBusy(null);
    }
  };

  // The server names why it cannot start: no app configured for the network ("network"), no sandbox ("practice").
  const fe = failed ? fieldErrorsOf(failed.error) : {};
  const beside: Record<Way, string | undefined> = {
    real: failed?.way === 'real' ? fe['network'] : undefined,
    practice: failed?.way === 'practice' ? (fe['practice'] ?? fe['network']) : undefined,
  };
  const placed = beside.real || beside.practice;
  const option = (way: Way, label: string, hint: string, primary: boolean) => (
    <div className={`field ${beside[way] ? 'field--error' : ''}`}>
      <div>
        <Button
          variant={primary ? 'primary' : 'secondary'}
          busy={busy === way}
          disabled={busy !== null && busy !== way}
          onClick={() => void start(way)}
          aria-describedby={`${id}-${way}-hint${beside[way] ? ` ${id}-${way}-err` : ''}`}
          data-testid={`signin-${way}`}
        >
          {label}
        </Button>
      </div>
      <div className="field__hint" id={`${id}-${way}-hint`}>{hint}</div>
      {beside[way] && <div className="field__error" id={`${id}-${way}-err`} role="alert" data-testid={`signin-${way}-error`}>{beside[way]}</div>}
    </div>
  );
  return (
    <div className="stack cs-form ch-connect" data-testid="signin-panel" data-channel={channel.id}>
      <h3 ref={heading} tabIndex={-1}>{t('cs.siTitle', { name: channel.name, network: net })}</h3>
      <p className="muted small">{t('cs.siIntro', { network: net })}</p>
      {/* The way used before comes first (a practice account is reconnected to practice). */}
      {channel.sandbox
        ? <>{option('practice', t('cs.siPractice'), t('cs.siPracticeHint', { network: net }), true)}{option('real', t('cs.siReal', { network: net }), t('cs.siRealHint', { handle: channel.handle }), false)}</>
        : <>{option('real', t('cs.siReal', { network: net }), t('cs.siRealHint', { handle: channel.handle }), true)}{option('practice', t('cs.siPractice'), t('cs.siPracticeHint', { network: net }), false)}</>}
      {failed && !placed && <ErrorAlert error={failed.error} testId="signin-error" />}
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel} disabled={busy !== null} data-testid="signin-cancel">{t('common.cancel')}</Button>
      </div>
    </div>
  );
}

/** What the network's return address says (`/admin/content-settings?signIn=…`), or null. */
export interface SignInReturn {
  kind: 'connected' | 'error' | 'choose';
  channelId: string | null;
  message: string | null;
  state: string | null;
}

export function readSignInReturn(query: URLSearchParams): SignInReturn | null {
  const kind = query.get('signIn');
  if (kind !== 'connected' && kind !== 'error' && kind !== 'choose') return null;
  return { kind, channelId: query.get('channel'), message: query.get('message'), state: query.get('state') };
}

/** The banner (connected / error) or the account chooser (choose) after coming back from the network. */
export function ChannelSignInOutcome({ outcome, channel, onConnected, onDismissed }: {
  outcome: SignInReturn;
  /** The channel signed in for, when known (for its name). */
  channel: Channel | null;
  onConnected: (c: Channel) => void;
  onDismissed: () => void;
}) {
  const { t } = useT();
  if (outcome.kind === 'connected') {
    return (
      <Alert kind="success" testId="signin-msg">
        {channel ? t('cs.siConnectedMsg', { name: channel.name, network: networkName(channel.network) }) : t('cs.siConnectedPlain')}
      </Alert>
    );
  }
  if (outcome.kind === 'error') {
    return (
      <Alert kind="error" title={t('cs.siErrorTitle')} testId="signin-error-banner">
        {outcome.message && <span className="block break" data-testid="signin-error-message">{outcome.message}</span>}
        <span className="block">{t('cs.siErrorHint')}</span>
      </Alert>
    );
  }
  if (!outcome.state) return null;
  return <ChannelAccountChooser state={outcome.state} channel={channel} onConnected={onConnected} onCancel={onDismissed} />;
}

function useModal(): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return ref;
}

function ChannelAccountChooser({ state, channel, onConnected, onCancel }: { state: string; channel: Channel | null; onConnected: (c: Channel) => void; onCancel: () => void }) {
  const { t } = useT();
  const id = useId();
  const ref = useModal();
  const pending = useLoad(() => api.pendingSignIn(state), [state]);
  const [chosen, setChosen] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const accounts: SignInAccount[] = pending.data?.accounts ?? [];
  useEffect(() => {
    if (!chosen && accounts[0]) setChosen(accounts[0].externalAccountId);
  }, [accounts, chosen]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      onConnected(await api.chooseSignInAccount(state, chosen));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const net = channel ? networkName(channel.network) : '';
  return (
    <dialog
      ref={ref}
      className="dialog__box"
      style={{ border: 'none' }}
      aria-labelledby={`${id}-h`}
      onCancel={(e) => { e.preventDefault(); if (!busy) onCancel(); }}
      data-testid="signin-choose"
    >
      <form onSubmit={submit} noValidate className="stack">
        <h2 id={`${id}-h`}>{t('cs.siChooseTitle')}</h2>
        {channel && <p className="muted">{t('cs.siChooseDesc', { network: net, name: channel.name })}</p>}
        <ErrorAlert error={pending.error} testId="signin-choose-load-error" />
        {pending.loading && !pending.data && <Loading />}
        {pending.data && accounts.length === 0 && <p data-testid="signin-choose-none">{t('cs.siChooseNone')}</p>}
        {accounts.length > 0 && (
          <fieldset className="fieldset" aria-describedby={missing ? `${id}-err` : undefined}>
            <legend className="sr-only">{t('cs.siChooseTitle')}</legend>
            {accounts.map((a) => (
              <div key={a.externalAccountId} className="field field--check">
                <input
                  type="radio"
                  id={`${id}-${a.externalAccountId}`}
                  name={`${id}-account`}
                  checked={chosen === a.externalAccountId}
                  onChange={() => setChosen(a.externalAccountId)}
                  data-testid="signin-choose-account"
                  data-id={a.externalAccountId}
                />
                <label htmlFor={`${id}-${a.externalAccountId}`}><span className="strong">{a.name}</span>{a.handle !== a.name && <> <span className="muted break">{a.handle}</span></>}</label>
              </div>
            ))}
            {missing && <div className="field__error" id={`${id}-err`}>{t('cs.siChooseRequired')}</div>}
          </fieldset>
        )}
        <ErrorAlert error={error} testId="signin-choose-error" />
        <div className="form-actions">
          {accounts.length > 0 && <Button type="submit" variant="primary" busy={busy} data-testid="signin-choose-submit">{t('cs.siChooseSubmit')}</Button>}
          <Button variant="ghost" onClick={onCancel} disabled={busy} data-testid="signin-choose-cancel">{t('common.cancel')}</Button>
        </div>
      </form>
    </dialog>
  );
}
