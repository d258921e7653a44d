// Content settings (/content-settings) for unit admins: the unit's social accounts with their own
// limits and their connection for publishing (signing in at the network for X, Meta, LinkedIn,
// YouTube and TikTok; credentials typed in for Mastodon, Bluesky and Telegram, checked by the server
// against the network, never shown again), its approval flow (0–3 tiers, serta-merta, crowding
// limit) and its sensitive terms. The networks' sign-in comes back here (?signIn=…) with the outcome.
// Forms keep what was typed on every error; the server's field errors appear next to the fields.
import { useEffect, useId, useMemo, useState } from 'react';
import type { ChangeEvent, FormEvent, ReactNode } from 'react';
import { api, ApiError, NETWORK_IDS, SENSITIVE_CATEGORIES } from '../api.ts';
import type { ApprovalPolicy, UnitOnPath, Channel, DirectRole, LimitOverrides, NetworkId, NetworkInfo, SensitiveCategory, SensitiveTerm, Unit } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey, TFunc } from '../i18n.tsx';
import { adminUnitIds, isAnyAdmin, useSession } from '../session.tsx';
import { useFocusHeading, useLoad, useUnits } from '../hooks.ts';
import { navigate, useLocation } from '../router.tsx';
import { buildTree, flattenTree, indentLabel } from '../units-tree.ts';
import { initials, isNetwork, networkShort } from '../content.ts';
import { formatDateTime } from '../format.ts';
import { Alert, Badge, Button, CheckboxField, ConfirmButton, ErrorAlert, Loading, PageHeader, SelectField, TextField } from '../components/ui.tsx';
import { ChannelSignInOutcome, ChannelSignInPanel, SIGN_IN_NETWORKS, readSignInReturn } from '../components/ChannelSignIn.tsx';
import type { SignInReturn } from '../components/ChannelSignIn.tsx';

export const NETWORK_KEYS: Record<NetworkId, MessageKey> = {
  facebook: 'net.facebook', instagram: 'net.instagram', threads: 'net.threads', x: 'net.x', tiktok: 'net.tiktok',
  youtube: 'net.youtube', linkedin: 'net.linkedin', telegram: 'net.telegram', mastodon: 'net.mastodon', bluesky: 'net.bluesky', webhook: 'net.webhook',
};

/** What a handle looks like on each network (shown as an example, not copy to translate). */
const HANDLE_EXAMPLES: Record<NetworkId, string> = {
  facebook: 'diskominfo.kaltim', instagram: '@diskominfokaltim', threads: '@diskominfokaltim', x: '@diskominfokaltim',
  tiktok: '@diskominfokaltim', youtube: '@diskominfokaltim', linkedin: 'diskominfo-kaltim', telegram: '@diskominfokaltim',
  mastodon: '@humas@kaltim.social', bluesky: '@diskominfo.kaltimprov.go.id', webhook: 'ppid-kaltim',
};

const CATEGORY_KEYS: Record<SensitiveCategory, MessageKey> = {
  sara: 'cs.stCat.sara',
  hate: 'cs.stCat.hate',
  unverified: 'cs.stCat.unverified',
  other: 'cs.stCat.other',
};

const DIRECT_ROLES: { value: DirectRole | ''; label: MessageKey; hint?: MessageKey }[] = [
  { value: '', label: 'cs.apDirectNone', hint: 'cs.apDirectNoneHint' },
  { value: 'editor', label: 'cs.apDirectEditor' },
  { value: 'approver', label: 'cs.apDirectApprover' },
  { value: 'admin', label: 'cs.apDirectAdmin' },
];

function networkLabel(t: TFunc, n: string): string {
  return isNetwork(n) ? t(NETWORK_KEYS[n]) : n;
}

const validUrl = (s: string): boolean => /^https?:\/\/[^\s/]+\.[^\s]+$/i.test(s.trim());
/** An API root: any http(s) address with a host (an intranet Bot API server may have no dot). */
function validApiUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** "" → undefined (use the default); "1.000" / "1 000" / "1000" → 1000; anything else → null (invalid). */
function parseCount(s: string): number | undefined | null {
  const v = s.trim().replace(/[.\s,_']/g, '');
  if (!v) return undefined;
  return /^\d{1,8}$/.test(v) ? Number(v) : null;
}

/**
 * Field errors the server names: validation errors and conflicts that point at a field (a handle or
 * a term already listed). Keyed like ApiError.fieldErrors ("limitOverrides.maxText").
 */
function serverFieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  if (error.code === 'validation.invalid') return error.fieldErrors();
  if (error.code !== 'conflict') return {};
  const out: Record<string, string> = {};
  const issues = error.details?.['issues'];
  if (!Array.isArray(issues)) return out;
  for (const raw of issues) {
    const issue = raw as { path?: unknown; message?: unknown };
    if (typeof issue.path === 'string' && typeof issue.message === 'string' && !(issue.path in out)) out[issue.path.replace(/^\//, '').replace(/\//g, '.')] = issue.message;
  }
  return out;
}

function useNumber() {
  const { locale } = useT();
  return useMemo(() => {
    const f = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID');
    return (n: number) => f.format(n);
  }, [locale]);
}

function Radio({ name, checked, onChange, label, hint, testId }: { name: string; checked: boolean; onChange: (e: ChangeEvent<HTMLInputElement>) => void; label: ReactNode; hint?: ReactNode; testId: string }) {
  const id = useId();
  return (
    <div className="field field--check">
      <input type="radio" id={id} name={name} checked={checked} onChange={onChange} aria-describedby={hint ? `${id}-hint` : undefined} data-testid={testId} />
      <label htmlFor={id}>{label}</label>
      {hint && <div className="field__hint" id={`${id}-hint`}>{hint}</div>}
    </div>
  );
}

// ---------- Channels ----------

interface ChannelDraft {
  network: NetworkId;
  name: string;
  handle: string;
  avatarUrl: string;
  maxText: string;
  charsPerUrl: string;
}

function draftOf(c: Channel | undefined): ChannelDraft {
  if (!c) return { network: 'facebook', name: '', handle: '', avatarUrl: '', maxText: '', charsPerUrl: '' };
  const o = c.limitOverrides;
  return {
    network: isNetwork(c.network) ? c.network : 'facebook',
    name: c.name,
    handle: c.handle,
    avatarUrl: c.avatarUrl ?? '',
    maxText: num(o['maxText']) !== undefined ? String(o['maxText']) : '',
    charsPerUrl: num(o['charsPerUrl']) !== undefined ? String(o['charsPerUrl']) : '',
  };
}

function ChannelForm({ unit, channel, networks, onSaved, onCancel }: { unit: Unit; channel?: Channel; networks: NetworkInfo[]; onSaved: (c: Channel) => void; onCancel: () => void }) {
  const { t } = useT();
  const fmt = useNumber();
  const prefix = channel ? 'channel-edit' : 'channel-new';
  const [f, setF] = useState<ChannelDraft>(() => draftOf(channel));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const set = <K extends keyof ChannelDraft>(k: K, v: ChannelDraft[K]) => setF((p) => ({ ...p, [k]: v }));

  const defaults = networks.find((n) => n.id === f.network)?.limits ?? {};
  const defMax = num(defaults['maxText']);
  const defUrl = num(defaults['charsPerUrl']);
  const unitWord = defaults['unit'] === 'bytes' ? t('cs.unitBytes') : t('cs.unitChars');
  const mastodon = f.network === 'mastodon';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!f.name.trim()) errs['name'] = t('cs.chErrName');
    if (!channel && !f.handle.trim()) errs['handle'] = t('cs.chErrHandle');
    if (f.avatarUrl.trim() && !validUrl(f.avatarUrl)) errs['avatarUrl'] = t('cs.urlInvalid');
    const maxText = parseCount(f.maxText);
    if (maxText === null) errs['limitOverrides.maxText'] = t('cs.numberInvalid');
    const charsPerUrl = mastodon ? parseCount(f.charsPerUrl) : undefined;
    if (charsPerUrl === null) errs['limitOverrides.charsPerUrl'] = t('cs.numberInvalid');
    setLocal(errs);
    if (Object.keys(errs).length > 0) {
      setError(null);
      return;
    }
    // Overrides set elsewhere (through the API) are kept; only the two offered here change.
    const overrides: LimitOverrides = { ...(channel?.limitOverrides ?? {}) };
    delete overrides.maxText;
    if (maxText !== undefined && maxText !== null) overrides.maxText = maxText;
    if (mastodon) {
      delete overrides.charsPerUrl;
      if (charsPerUrl !== undefined && charsPerUrl !== null) overrides.charsPerUrl = charsPerUrl;
    }
    const avatarUrl = f.avatarUrl.trim() ? f.avatarUrl.trim() : null;
    setBusy(true);
    setError(null);
    try {
      const saved = channel
        ? await api.updateChannel(channel.id, { name: f.name.trim(), avatarUrl, limitOverrides: overrides })
        : await api.createChannel({ unitId: unit.id, network: f.network, name: f.name.trim(), handle: f.handle.trim(), avatarUrl, limitOverrides: overrides });
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = { ...serverFieldErrors(error), ...local };
  const placed = ['network', 'name', 'handle', 'avatarUrl', 'limitOverrides.maxText', 'limitOverrides.charsPerUrl'];
  return (
    <form onSubmit={submit} noValidate className="stack cs-form" data-testid={`${prefix}-form`}>
      <h3>{channel ? t('cs.chEditTitle', { name: channel.name }) : t('cs.chAddTitle', { unit: unit.name })}</h3>
      <ErrorAlert error={error} testId={`${prefix}-error`} fields={placed} />
      {channel ? (
        <p className="muted small">
          <span className={`net-mark net-mark--${channel.network}`}>{networkShort(channel.network)}</span> {networkLabel(t, channel.network)} · <span className="break">{channel.handle}</span>
          <span className="block">{t('cs.chFixed')}</span>
        </p>
      ) : (
        <div className="grid-2 grid-2--tight">
          <SelectField label={t('cs.chNetwork')} value={f.network} onChange={(e) => set('network', e.target.value as NetworkId)} error={fe['network']} data-testid={`${prefix}-network`}>
            {NETWORK_IDS.map((n) => <option key={n} value={n}>{t(NETWORK_KEYS[n])}</option>)}
          </SelectField>
          <TextField
            label={t('cs.chHandle')}
            value={f.handle}
            onChange={(e) => set('handle', e.target.value)}
            error={fe['handle']}
            hint={t('cs.chHandleHint', { example: HANDLE_EXAMPLES[f.network] })}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            data-testid={`${prefix}-handle`}
          />
        </div>
      )}
      <TextField label={t('cs.chName')} value={f.name} onChange={(e) => set('name', e.target.value)} error={fe['name']} hint={t('cs.chNameHint')} required data-testid={`${prefix}-name`} />
      <TextField label={t('cs.chAvatar')} type="url" inputMode="url" placeholder="https://" value={f.avatarUrl} onChange={(e) => set('avatarUrl', e.target.value)} error={fe['avatarUrl']} hint={t('cs.chAvatarHint')} data-testid={`${prefix}-avatar`} />
      <fieldset className="fieldset">
        <legend>{t('cs.chLimits')}</legend>
        <p className="muted small">{t('cs.chLimitsDesc')}</p>
        <div className="grid-2 grid-2--tight">
          <TextField
            label={t('cs.chMaxText', { unit: unitWord })}
            inputMode="numeric"
            placeholder={defMax !== undefined ? fmt(defMax) : ''}
            value={f.maxText}
            onChange={(e) => set('maxText', e.target.value)}
            error={fe['limitOverrides.maxText'] ?? fe['maxText']}
            hint={defMax !== undefined ? t('cs.chMaxTextHint', { network: networkLabel(t, f.network), n: fmt(defMax) }) : undefined}
            data-testid={`${prefix}-maxText`}
          />
          {mastodon && (
            <TextField
              label={t('cs.chCharsPerUrl')}
              inputMode="numeric"
              placeholder={defUrl !== undefined ? fmt(defUrl) : ''}
              value={f.charsPerUrl}
              onChange={(e) => set('charsPerUrl', e.target.value)}
              error={fe['limitOverrides.charsPerUrl'] ?? fe['charsPerUrl']}
              hint={defUrl !== undefined ? t('cs.chCharsPerUrlHint', { n: fmt(defUrl) }) : undefined}
              data-testid={`${prefix}-charsPerUrl`}
            />
          )}
        </div>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid={`${prefix}-save`}>{channel ? t('common.save') : t('cs.chCreate')}</Button>
        <Button variant="ghost" onClick={onCancel} data-testid={`${prefix}-cancel`}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

function ChannelAvatar({ channel }: { channel: Channel }) {
  const [broken, setBroken] = useState(false);
  if (channel.avatarUrl && !broken) return <img className="ch-avatar" src={channel.avatarUrl} alt="" width={40} height={40} onError={() => setBroken(true)} />;
  return <span className="ch-avatar ch-avatar--empty" aria-hidden="true">{initials(channel.name)}</span>;
}

function LimitsText({ channel }: { channel: Channel }) {
  const { t } = useT();
  const fmt = useNumber();
  const max = num(channel.limitOverrides['maxText']);
  const url = num(channel.limitOverrides['charsPerUrl']);
  const parts: string[] = [];
  if (max !== undefined) parts.push(t('cs.chLimitMaxText', { n: fmt(max), unit: channel.network === 'youtube' ? t('cs.unitBytes') : t('cs.unitChars') }));
  if (url !== undefined) parts.push(t('cs.chLimitUrl', { n: fmt(url) }));
  return <span className="small muted block" data-testid="channel-limits">{parts.length > 0 ? t('cs.chOwnLimits', { list: parts.join(', ') }) : t('cs.chDefaultLimits')}</span>;
}

// ---------- Connecting an account (publishing) ----------

interface CredentialField {
  key: string;
  label: MessageKey;
  hint: MessageKey;
  /** Typed into a password field, cleared after a failed attempt, never shown again. */
  secret: boolean;
}

interface ConnectSpec {
  defaultBaseUrl: string;
  baseUrlLabel: MessageKey;
  baseUrlHint: MessageKey;
  fields: CredentialField[];
  /** Said before the fields (what must be done on the network first). */
  before?: MessageKey;
}

/** The networks Siar publishes to, and what each needs to connect (the server's connector keys). */
const CONNECT_SPECS: Partial<Record<NetworkId, ConnectSpec>> = {
  telegram: {
    defaultBaseUrl: 'https://api.telegram.org',
    baseUrlLabel: 'cs.cnTgBaseUrl',
    baseUrlHint: 'cs.cnTgBaseUrlHint',
    before: 'cs.cnTgSteps',
    fields: [
      { key: 'botToken', label: 'cs.cnTgBotToken', hint: 'cs.cnTgBotTokenHint', secret: true },
      { key: 'chatId', label: 'cs.cnTgChatId', hint: 'cs.cnTgChatIdHint', secret: false },
    ],
  },
  bluesky: {
    defaultBaseUrl: 'https://bsky.social',
    baseUrlLabel: 'cs.cnBsBaseUrl',
    baseUrlHint: 'cs.cnBsBaseUrlHint',
    fields: [
      { key: 'identifier', label: 'cs.cnBsIdentifier', hint: 'cs.cnBsIdentifierHint', secret: false },
      { key: 'appPassword', label: 'cs.cnBsAppPassword', hint: 'cs.cnBsAppPasswordHint', secret: true },
    ],
  },
  mastodon: {
    defaultBaseUrl: '',
    baseUrlLabel: 'cs.cnMaBaseUrl',
    baseUrlHint: 'cs.cnMaBaseUrlHint',
    fields: [{ key: 'accessToken', label: 'cs.cnMaToken', hint: 'cs.cnMaTokenHint', secret: true }],
  },
  webhook: {
    defaultBaseUrl: '',
    baseUrlLabel: 'cs.cnWhBaseUrl',
    baseUrlHint: 'cs.cnWhBaseUrlHint',
    fields: [{ key: 'secret', label: 'cs.cnWhSecret', hint: 'cs.cnWhSecretHint', secret: true }],
  },
};

const CONNECTION_KEYS: Record<Channel['connection'], MessageKey> = {
  connected: 'cs.cnConnected',
  unconnected: 'cs.cnUnconnected',
  needs_reconnect: 'cs.cnNeedsReconnect',
};

/** A first guess at the API root: what it was connected with, else the network's usual one (Mastodon: the handle's server). */
function baseUrlGuess(channel: Channel, spec: ConnectSpec): string {
  if (channel.baseUrl) return channel.baseUrl;
  if (channel.network === 'mastodon') {
    const server = /^@?[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(channel.handle.trim())?.[1];
    return server ? `https://${server}` : '';
  }
  return spec.defaultBaseUrl;
}

/** What is not secret may be pre-filled from the channel (a Telegram channel's @name, a Bluesky handle). */
function credentialGuess(channel: Channel, key: string): string {
  const handle = channel.handle.trim();
  if (channel.network === 'telegram' && key === 'chatId') return handle.startsWith('@') || handle.startsWith('-100') ? handle : '';
  if (channel.network === 'bluesky' && key === 'identifier') return handle.replace(/^@/, '');
  return '';
}

/** Whether Siar connects the channel by signing in at its network (rather than pasted credentials). */
const signsIn = (network: string): boolean => SIGN_IN_NETWORKS.has(network);
const connectable = (network: string): boolean => signsIn(network) || (isNetwork(network) && CONNECT_SPECS[network] !== undefined);

function ConnectionState({ channel }: { channel: Channel }) {
  const { t, locale, tz } = useT();
  const tone = channel.connection === 'connected' ? 'green' : channel.connection === 'needs_reconnect' ? 'red' : 'neutral';
  const reason = locale === 'en' ? (channel.connectionReasonEn ?? channel.connectionReason) : channel.connectionReason;
  return (
    <span className="ch-conn small block" data-testid="channel-connection" data-state={channel.connection}>
      <span data-testid="channel-connection-state"><Badge tone={tone}>{t(CONNECTION_KEYS[channel.connection] ?? 'cs.cnUnconnected')}</Badge></span>
      {channel.sandbox && channel.connection !== 'unconnected' && <> <span data-testid="channel-sandbox"><Badge tone="blue">{t('cs.cnSandbox')}</Badge></span></>}
      {channel.connection === 'connected' && channel.connectedAt && <span className="muted"> {t('cs.cnSince', { when: formatDateTime(channel.connectedAt, locale, tz) })}</span>}
      {channel.connection === 'needs_reconnect' && reason && (
        <span className="ch-conn__reason block" data-testid="channel-connection-reason">{t('cs.cnReason', { reason })}</span>
      )}
      {/* The server matters where the person typed it (Mastodon's instance); signed-in networks have one. */}
      {channel.connection !== 'unconnected' && channel.baseUrl && !signsIn(channel.network) && <span className="muted block break">{t('cs.cnServer', { url: channel.baseUrl })}</span>}
    </span>
  );
}

function ConnectForm({ channel, spec, onConnected, onCancel }: { channel: Channel; spec: ConnectSpec; onConnected: (c: Channel) => void; onCancel: () => void }) {
  const { t } = useT();
  const networkText = networkLabel(t, channel.network);
  const [baseUrl, setBaseUrl] = useState(() => baseUrlGuess(channel, spec));
  const [creds, setCreds] = useState<Record<string, string>>(() => Object.fromEntries(spec.fields.map((f) => [f.key, credentialGuess(channel, f.key)])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [cleared, setCleared] = useState(false);
  const first = spec.fields.find((f) => f.secret) ?? spec.fields[0]!;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!validApiUrl(baseUrl)) errs['baseUrl'] = t('cs.cnErrBaseUrl');
    for (const f of spec.fields) if (!(creds[f.key] ?? '').trim()) errs[`credentials.${f.key}`] = t('cs.cnErrRequired');
    setLocal(errs);
    if (Object.keys(errs).length > 0) {
      setError(null);
      return;
    }
    setBusy(true);
    setError(null);
    setCleared(false);
    try {
      const credentials = Object.fromEntries(spec.fields.map((f) => [f.key, (creds[f.key] ?? '').trim()]));
      const saved = await api.connectChannel(channel.id, { baseUrl: baseUrl.trim().replace(/\/+$/, ''), credentials });
      onConnected(saved);
    } catch (err) {
      setError(err);
      // Secrets are not kept in the page after a failed attempt: the person types them again.
      setCreds((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, spec.fields.find((f) => f.key === k)?.secret ? '' : v])));
      setCleared(true);
    } finally {
      setBusy(false);
    }
  };

  const fe = { ...serverFieldErrors(error), ...local };
  const placed = ['baseUrl', 'credentials', ...spec.fields.map((f) => `credentials.${f.key}`)];
  return (
    <form onSubmit={submit} noValidate className="stack cs-form ch-connect" data-testid="connect-form" data-channel={channel.id} autoComplete="off">
      <h3>{t('cs.cnTitle', { name: channel.name, network: networkText })}</h3>
      <p className="muted small">{t('cs.cnIntro', { network: networkText })}</p>
      {spec.before && <p className="cs-explain">{t(spec.before)}</p>}
      <ErrorAlert error={error} testId="connect-error" fields={placed} />
      <TextField
        label={t(spec.baseUrlLabel)}
        type="url"
        inputMode="url"
        placeholder={spec.defaultBaseUrl || 'https://mastodon.social'}
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        error={fe['baseUrl']}
        hint={t(spec.baseUrlHint)}
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        required
        data-testid="connect-baseUrl"
      />
      {spec.fields.map((f) => (
        <TextField
          key={f.key}
          label={t(f.label)}
          type={f.secret ? 'password' : 'text'}
          autoComplete={f.secret ? 'new-password' : 'off'}
          value={creds[f.key] ?? ''}
          onChange={(e) => { const v = e.target.value; setCreds((p) => ({ ...p, [f.key]: v })); }}
          error={fe[`credentials.${f.key}`] ?? (f.key === first.key ? fe['credentials'] : undefined)}
          hint={<>{t(f.hint)}{f.secret && cleared && <strong className="block">{t('cs.cnSecretNote')}</strong>}</>}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
          data-testid={`connect-${f.key}`}
        />
      ))}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="connect-submit">{t('cs.cnSubmit')}</Button>
        <Button variant="ghost" onClick={onCancel} data-testid="connect-cancel">{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

function ChannelRow({ channel, onEdit, onChanged }: { channel: Channel; onEdit: () => void; onChanged: (c: Channel, msg: string) => void }) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [connecting, setConnecting] = useState(false);
  const spec = isNetwork(channel.network) ? CONNECT_SPECS[channel.network] : undefined;
  const signIn = signsIn(channel.network);
  const canConnect = !!spec || signIn;
  const disconnect = async () => {
    setError(null);
    try {
      const saved = await api.disconnectChannel(channel.id);
      onChanged(saved, t('cs.cnDisconnectedMsg', { name: saved.name }));
    } catch (e) {
      setError(e);
    }
  };
  const toggle = async (active: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateChannel(channel.id, { disabled: !active });
      onChanged(saved, t(active ? 'cs.chEnabledMsg' : 'cs.chDisabledMsg', { name: saved.name }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`list-rows__item ch-row${channel.disabled ? ' ch-row--off' : ''}${connecting ? ' ch-row--open' : ''}`} data-testid="channel-item" data-id={channel.id} data-network={channel.network}>
      <ChannelAvatar channel={channel} />
      <div className="list-rows__main">
        <span className="strong" data-testid="channel-name">{channel.name}</span> <span className="muted break" data-testid="channel-handle">{channel.handle}</span>
        <span className="small block">
          <span className={`net-mark net-mark--${channel.network}`} aria-hidden="true">{networkShort(channel.network)}</span> {networkLabel(t, channel.network)}
          {channel.disabled && <> · <Badge tone="amber">{t('cs.chDisabled')}</Badge></>}
        </span>
        <LimitsText channel={channel} />
        {canConnect ? <ConnectionState channel={channel} /> : <span className="small muted block" data-testid="channel-connect-soon">{t('cs.cnSoon', { network: networkLabel(t, channel.network) })}</span>}
        {error !== null && <ErrorAlert error={error} testId={`channel-error-${channel.id}`} />}
      </div>
      <div className="list-rows__actions">
        <CheckboxField label={t('cs.chActive')} checked={!channel.disabled} disabled={busy} onChange={(e) => void toggle(e.target.checked)} className="ch-toggle" data-testid={`channel-active-${channel.id}`} />
        <Button small onClick={onEdit} data-testid={`channel-edit-${channel.id}`}>{t('common.edit')}</Button>
        {canConnect && !connecting && (
          <Button small variant={channel.connection === 'connected' ? 'secondary' : 'primary'} onClick={() => { setConnecting(true); setError(null); }} data-testid={`channel-connect-${channel.id}`}>
            {channel.connection === 'unconnected' ? t('cs.cnConnect') : t('cs.cnReconnect')}
          </Button>
        )}
        {canConnect && channel.connection !== 'unconnected' && (
          <ConfirmButton
            label={<>{t('cs.cnDisconnect')}<span className="sr-only"> {channel.name}</span></>}
            confirmLabel={t('cs.cnDisconnectConfirm', { name: channel.name })}
            onConfirm={disconnect}
            testId={`channel-disconnect-${channel.id}`}
          />
        )}
      </div>
      {signIn && connecting && (
        <div className="ch-connect-wrap">
          <ChannelSignInPanel channel={channel} onCancel={() => setConnecting(false)} />
        </div>
      )}
      {spec && connecting && (
        <div className="ch-connect-wrap">
          <ConnectForm
            channel={channel}
            spec={spec}
            onCancel={() => setConnecting(false)}
            onConnected={(saved) => { setConnecting(false); onChanged(saved, t('cs.cnConnectedMsg', { name: saved.name })); }}
          />
        </div>
      )}
    </li>
  );
}

function ChannelsSection({ unit, units, networks, version }: { unit: Unit; units: Unit[]; networks: NetworkInfo[]; version: number }) {
  const { t } = useT();
  // `version` changes when a channel was connected outside this section (an account chosen after signing in).
  const list = useLoad(async () => (await api.channels(unit.id)).items, [unit.id, version]);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const own = (list.data ?? []).filter((c) => c.unitId === unit.id);
  const inherited = (list.data ?? []).filter((c) => c.unitId !== unit.id);
  const nameOf = (id: string) => units.find((u) => u.id === id)?.name ?? t('cs.unitHidden');
  const replace = (c: Channel) => list.setData((list.data ?? []).map((x) => (x.id === c.id ? c : x)));

  return (
    <section className="card" id="cs-channels" aria-labelledby="cs-channels-h" data-testid="cs-channels">
      <div className="card__head">
        <h2 id="cs-channels-h">{t('cs.chTitle')}</h2>
        {!adding && <Button variant="primary" small onClick={() => { setAdding(true); setMsg(null); }} data-testid="channel-add-open">{t('cs.chAdd')}</Button>}
      </div>
      <p className="muted">{t('cs.chDesc')} {t('cs.chActiveHint')}</p>
      {msg && <Alert kind="success" testId="channel-msg">{msg}</Alert>}
      {adding && (
        <div className="card card--inset cs-inset">
          <ChannelForm
            unit={unit}
            networks={networks}
            onCancel={() => setAdding(false)}
            onSaved={(c) => {
              setAdding(false);
              setMsg(t('cs.chAdded', { name: c.name }));
              list.setData([...(list.data ?? []), c]);
              void list.reload();
            }}
          />
        </div>
      )}
      <ErrorAlert error={list.error} testId="channels-error" />
      {list.loading && !list.data && <Loading />}
      {list.data && own.length === 0 && <p className="empty" data-testid="channels-empty">{t('cs.chNone')}</p>}
      {own.length > 0 && (
        <ul className="list-rows" data-testid="channel-list">
          {own.map((c) =>
            editing === c.id ? (
              <li key={c.id} className="list-rows__item">
                <ChannelForm
                  unit={unit}
                  channel={c}
                  networks={networks}
                  onCancel={() => setEditing(null)}
                  onSaved={(saved) => {
                    setEditing(null);
                    replace(saved);
                    setMsg(t('cs.chSaved', { name: saved.name }));
                  }}
                />
              </li>
            ) : (
              <ChannelRow key={c.id} channel={c} onEdit={() => { setEditing(c.id); setMsg(null); }} onChanged={(saved, m) => { replace(saved); setMsg(m); }} />
            ),
          )}
        </ul>
      )}
      {inherited.length > 0 && (
        <details className="disclosure" data-testid="channels-inherited">
          <summary>{t('cs.chInherited')} ({inherited.length})</summary>
          <ul className="list-rows">
            {inherited.map((c) => (
              <li key={c.id} className="list-rows__item">
                <ChannelAvatar channel={c} />
                <div className="list-rows__main">
                  <span className="strong">{c.name}</span> <span className="muted break">{c.handle}</span>
                  <span className="small block">
                    <span className={`net-mark net-mark--${c.network}`} aria-hidden="true">{networkShort(c.network)}</span> {networkLabel(t, c.network)} · {t('cs.chOwner', { unit: nameOf(c.unitId) })}
                    {c.disabled && <> · <Badge tone="amber">{t('cs.chDisabled')}</Badge></>}
                  </span>
                  {connectable(c.network) && <ConnectionState channel={c} />}
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

// ---------- Approval policy ----------

interface UnitChoice {
  id: string;
  label: string;
}

/**
 * The unit and the units above it, as far as the caller can see them. GET /units only lists the
 * caller's units and those below, so the chain ends at the first parent the caller cannot see; that
 * parent is still offered (its id is known), named by its child.
 */
function chainOf(unit: Unit, units: Unit[], t: TFunc): UnitChoice[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: UnitChoice[] = [{ id: unit.id, label: t('cs.thisUnit', { name: unit.name }) }];
  const seen = new Set([unit.id]);
  let cur = unit;
  while (cur.parentId && !seen.has(cur.parentId)) {
    seen.add(cur.parentId);
    const parent = byId.get(cur.parentId);
    if (!parent) {
      out.push({ id: cur.parentId, label: t('cs.unitAbove', { name: cur.name }) });
      break;
    }
    out.push({ id: parent.id, label: parent.name });
    cur = parent;
  }
  return out;
}

function PolicyForm({ unit, units, above, policy, onSaved }: { unit: Unit; units: Unit[]; above: UnitOnPath[]; policy: ApprovalPolicy; onSaved: (p: ApprovalPolicy) => void }) {
  const { t } = useT();
  const choices = useMemo(() => {
    const chain: UnitChoice[] = above.length > 0
      ? above.map((u, i) => ({ id: u.id, label: i === 0 ? t('cs.thisUnit', { name: u.name }) : u.name }))
      : chainOf(unit, units, t);
    for (const id of policy.tierUnitIds) if (!chain.some((c) => c.id === id)) chain.push({ id, label: t('cs.unitHidden') });
    return chain;
  }, [unit, units, above, policy, t]);
  const fallback = (i: number) => choices[Math.min(i, choices.length - 1)]?.id ?? unit.id;
  const [count, setCount] = useState(policy.tierUnitIds.length);
  const [tiers, setTiers] = useState<string[]>(() => [0, 1, 2].map((i) => policy.tierUnitIds[i] ?? fallback(i)));
  const [direct, setDirect] = useState<DirectRole | ''>(policy.sertaMertaDirectRole ?? '');
  const [crowding, setCrowding] = useState(String(policy.crowdingPerHour));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const labelOf = (id: string) => choices.find((c) => c.id === id)?.label ?? t('cs.unitHidden');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const n = parseCount(crowding);
    if (n === undefined || n === null || n < 1 || n > 100) {
      setLocal({ crowdingPerHour: t('cs.apCrowdingInvalid') });
      setError(null);
      return;
    }
    setLocal({});
    setBusy(true);
    setError(null);
    try {
      const p = await api.saveApprovalPolicy(unit.id, { tierUnitIds: tiers.slice(0, count), sertaMertaDirectRole: direct || null, crowdingPerHour: n });
      setSaved(t('cs.apSaved', { unit: unit.name }));
      onSaved(p);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = { ...serverFieldErrors(error), ...local };
  return (
    <form onSubmit={submit} noValidate data-testid="policy-form">
      {!policy.configured && <Alert kind="info" testId="policy-default">{t('cs.apDefault')}</Alert>}
      <fieldset className="fieldset">
        <legend>{t('cs.apTiers')}</legend>
        <div className="choice-row">
          {[0, 1, 2, 3].map((n) => (
            <Radio key={n} name={`tiers-${unit.id}`} checked={count === n} onChange={() => { setCount(n); setSaved(null); }} label={n === 0 ? t('cs.apTiers0') : t('cs.apTiersN', { n })} testId={`policy-tiers-${n}`} />
          ))}
        </div>
        <p className={count === 0 ? 'cs-explain cs-explain--warn' : 'cs-explain'} data-testid="policy-explain">{count === 0 ? t('cs.apZeroExplain') : t('cs.apTiersExplain')}</p>
        {[0, 1, 2].slice(0, count).map((i) => (
          <SelectField
            key={i}
            label={t('cs.apTierUnit', { n: i + 1 })}
            value={tiers[i] ?? unit.id}
            onChange={(e) => { const v = e.target.value; setTiers((p) => p.map((x, j) => (j === i ? v : x))); setSaved(null); }}
            error={fe[`tierUnitIds.${i}`]}
            data-testid={`policy-tier-${i + 1}`}
          >
            {choices.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </SelectField>
        ))}
        <div className="cs-summary">
          <h3 className="field__label">{t('cs.apSummary')}</h3>
          {count === 0 ? (
            <p className="muted" data-testid="policy-summary">{t('cs.apNoTiers')}</p>
          ) : (
            <ol className="tiers" data-testid="policy-summary">
              {tiers.slice(0, count).map((id, i) => (
                <li key={i} className="tiers__item tiers__item--current" data-testid="policy-summary-tier">
                  <span className="tiers__dot" aria-hidden="true">{i + 1}</span>
                  {t('cs.apTierLine', { n: i + 1, name: labelOf(id) })}
                </li>
              ))}
            </ol>
          )}
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('cs.apDirect')}</legend>
        <p className="cs-explain">{t('cs.apDirectExplain')}</p>
        {DIRECT_ROLES.map((r) => (
          <Radio
            key={r.value || 'none'}
            name={`direct-${unit.id}`}
            checked={direct === r.value}
            onChange={() => { setDirect(r.value); setSaved(null); }}
            label={t(r.label)}
            hint={r.hint ? t(r.hint) : undefined}
            testId={`policy-direct-${r.value || 'none'}`}
          />
        ))}
        {fe['sertaMertaDirectRole'] && <div className="field__error">{fe['sertaMertaDirectRole']}</div>}
      </fieldset>
      <TextField
        label={t('cs.apCrowding')}
        inputMode="numeric"
        className="cs-narrow"
        value={crowding}
        onChange={(e) => { setCrowding(e.target.value); setSaved(null); }}
        error={fe['crowdingPerHour']}
        hint={t('cs.apCrowdingHint')}
        data-testid="policy-crowding"
      />
      <ErrorAlert error={error} testId="policy-error" fields={['tierUnitIds.0', 'tierUnitIds.1', 'tierUnitIds.2', 'sertaMertaDirectRole', 'crowdingPerHour']} />
      {saved && <Alert kind="success" testId="policy-saved">{saved}</Alert>}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="policy-save">{t('cs.apSave')}</Button>
      </div>
    </form>
  );
}

function PolicySection({ unit, units }: { unit: Unit; units: Unit[] }) {
  const { t } = useT();
  const policy = useLoad(() => api.approvalPolicy(unit.id), [unit.id]);
  // The unit and every unit above it, by name (even those the person holds no role in).
  const path = useLoad(async () => (await api.unitPath(unit.id)).items, [unit.id]);
  return (
    <section className="card" id="cs-policy" aria-labelledby="cs-policy-h" data-testid="cs-policy">
      <h2 id="cs-policy-h">{t('cs.apTitle')}</h2>
      <p className="muted">{t('cs.apDesc')}</p>
      <ErrorAlert error={policy.error} testId="policy-load-error" />
      {policy.loading && !policy.data && <Loading />}
      <ErrorAlert error={path.error} testId="policy-path-error" />
      {policy.data && path.data && <PolicyForm key={unit.id} unit={unit} units={units} above={path.data} policy={policy.data} onSaved={(p) => policy.setData(p)} />}
    </section>
  );
}

// ---------- Sensitive terms ----------

function TermsSection({ unit, units, adminIds, topAdmin }: { unit: Unit; units: Unit[]; adminIds: Set<string>; topAdmin: boolean }) {
  const { t } = useT();
  const list = useLoad(async () => (await api.sensitiveTerms(unit.id)).items, [unit.id]);
  const [term, setTerm] = useState('');
  const [category, setCategory] = useState<SensitiveCategory>('sara');
  const [scope, setScope] = useState<'unit' | 'all'>('unit');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);

  const scopeOf = (x: SensitiveTerm): { key: 'all' | 'unit' | 'parent'; label: string } => {
    if (x.unitId === null) return { key: 'all', label: t('cs.stScopeAll') };
    if (x.unitId === unit.id) return { key: 'unit', label: t('cs.stScopeUnit') };
    const owner = units.find((u) => u.id === x.unitId);
    return { key: 'parent', label: owner ? t('cs.stScopeParent', { unit: owner.name }) : t('cs.stScopeAbove') };
  };
  const canDelete = (x: SensitiveTerm) => (x.unitId === null ? topAdmin : adminIds.has(x.unitId));
  const grouped = SENSITIVE_CATEGORIES.map((c) => ({ category: c, items: (list.data ?? []).filter((x) => x.category === c) }));
  const unknown = (list.data ?? []).filter((x) => !(SENSITIVE_CATEGORIES as readonly string[]).includes(x.category));
  if (unknown.length > 0) grouped[grouped.length - 1]!.items.push(...unknown);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    if (term.trim().length < 2) {
      setLocal(t('cs.stErrTerm'));
      setError(null);
      return;
    }
    setLocal(null);
    setBusy(true);
    setError(null);
    try {
      const created = await api.addSensitiveTerm({ unitId: topAdmin && scope === 'all' ? null : unit.id, term: term.trim(), category });
      setTerm('');
      setMsg(t('cs.stAdded', { term: created.term }));
      list.setData([...(list.data ?? []), created]);
      void list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (x: SensitiveTerm) => {
    setMsg(null);
    setError(null);
    try {
      await api.deleteSensitiveTerm(x.id);
      setMsg(t('cs.stDeleted', { term: x.term }));
      list.setData((list.data ?? []).filter((y) => y.id !== x.id));
    } catch (err) {
      setError(err);
    }
  };

  const fe = serverFieldErrors(error);
  return (
    <section className="card" id="cs-terms" aria-labelledby="cs-terms-h" data-testid="cs-terms">
      <h2 id="cs-terms-h">{t('cs.stTitle')}</h2>
      <p className="muted">{t('cs.stDesc')}</p>
      <ErrorAlert error={list.error} testId="terms-load-error" />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <div className="term-groups">
          {grouped.map((g) => (
            <div key={g.category} className="term-group" data-testid={`terms-${g.category}`}>
              <h3>{t(CATEGORY_KEYS[g.category])} <span className="muted small">({g.items.length})</span></h3>
              {g.items.length === 0 ? (
                <p className="muted small">{t('cs.stNone')}</p>
              ) : (
                <ul className="chips">
                  {g.items.map((x) => {
                    const s = scopeOf(x);
                    return (
                      <li key={x.id} className={`chip chip--${s.key}`} data-testid="term-item" data-id={x.id} data-scope={s.key}>
                        <span className="chip__text" data-testid="term-text">{x.term}</span>
                        <Badge tone={s.key === 'all' ? 'blue' : s.key === 'unit' ? 'green' : 'neutral'}>{s.label}</Badge>
                        {canDelete(x) && (
                          <ConfirmButton
                            label={<>{t('cs.stDelete')}<span className="sr-only"> {x.term}</span></>}
                            confirmLabel={t('cs.stDeleteConfirm', { term: x.term })}
                            onConfirm={() => remove(x)}
                            testId={`term-delete-${x.id}`}
                          />
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </div>
          ))}
          <p className="muted small">{t('cs.stLegend')}</p>
        </div>
      )}
      <form onSubmit={add} noValidate className="card card--inset cs-inset" data-testid="term-form">
        <h3>{t('cs.stAdd')}</h3>
        {msg && <Alert kind="success" testId="term-msg">{msg}</Alert>}
        <ErrorAlert error={error} testId="term-error" fields={['term', 'category', 'unitId']} />
        <div className={topAdmin ? 'term-form term-form--wide' : 'term-form'}>
          <TextField label={t('cs.stTerm')} value={term} onChange={(e) => setTerm(e.target.value)} error={local ?? fe['term']} hint={t('cs.stTermHint')} required data-testid="term-new" />
          <SelectField label={t('cs.stCategory')} value={category} onChange={(e) => setCategory(e.target.value as SensitiveCategory)} error={fe['category']} data-testid="term-category">
            {SENSITIVE_CATEGORIES.map((c) => <option key={c} value={c}>{t(CATEGORY_KEYS[c])}</option>)}
          </SelectField>
          {topAdmin && (
            <SelectField label={t('cs.stScope')} value={scope} onChange={(e) => setScope(e.target.value as 'unit' | 'all')} error={fe['unitId']} data-testid="term-scope">
              <option value="unit">{t('cs.stScopeOptUnit', { unit: unit.name })}</option>
              <option value="all">{t('cs.stScopeOptAll')}</option>
            </SelectField>
          )}
          <Button type="submit" variant="primary" busy={busy} data-testid="term-add">{t('cs.stAdd')}</Button>
        </div>
      </form>
    </section>
  );
}

// ---------- Page ----------

export function ContentSettings() {
  const { t } = useT();
  const { me } = useSession();
  const { query } = useLocation();
  const { units, error, loading } = useUnits();
  const networks = useLoad(async () => (await api.networks()).items, []);
  useFocusHeading();

  const adminIds = useMemo(() => adminUnitIds(me, units ?? []), [me, units]);
  const options = useMemo(() => flattenTree(buildTree((units ?? []).filter((u) => adminIds.has(u.id)))), [units, adminIds]);
  const topAdmin = !!units && me.memberships.some((m) => m.role === 'admin' && units.find((u) => u.id === m.unitId)?.parentId === null);
  const selectedId = query.get('unit');
  const unit = selectedId && adminIds.has(selectedId) ? units?.find((u) => u.id === selectedId) : undefined;

  // Back from signing in at a network: kept from the first address (the URL is cleaned below), and
  // the channel looked up to open its unit and name it.
  const [signIn, setSignIn] = useState<SignInReturn | null>(() => readSignInReturn(query));
  const [signInNote, setSignInNote] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Channel | null>(null);
  const [channelsVersion, setChannelsVersion] = useState(0);
  const signInChannelId = signIn?.channelId ?? null;
  const signInChannel = useLoad(async () => (signInChannelId ? (await api.channels()).items.find((c) => c.id === signInChannelId) ?? null : null), [signInChannelId]);
  const returning = query.has('signIn');

  // Nothing (or something not manageable) chosen: start with the signed-in channel's unit, else the
  // first unit the person administers. Replacing the address also drops the sign-in's parameters.
  useEffect(() => {
    if (!units || (unit && !returning)) return;
    if (signInChannelId && signInChannel.loading) return;
    const own = signInChannel.data && adminIds.has(signInChannel.data.unitId) ? signInChannel.data.unitId : undefined;
    const next = own ?? unit?.id ?? options[0]?.unit.id;
    if (next) navigate(`/content-settings?unit=${encodeURIComponent(next)}`, { replace: true });
  }, [units, options, unit, returning, adminIds, signInChannelId, signInChannel.loading, signInChannel.data]);

  if (!isAnyAdmin(me)) {
    return (
      <>
        <PageHeader title={t('cs.title')} />
        <Alert kind="info" testId="cs-not-admin">{t('cs.notAdmin')}</Alert>
      </>
    );
  }

  return (
    <div data-testid="content-settings">
      <PageHeader title={t('cs.title')} description={t('cs.desc')} />
      {signIn && !(signInChannelId && signInChannel.loading && !chosen) && (
        <ChannelSignInOutcome
          outcome={signIn}
          channel={chosen ?? signInChannel.data ?? null}
          onConnected={(c) => { setChosen(c); setSignIn({ kind: 'connected', channelId: c.id, message: null, state: null }); setChannelsVersion((v) => v + 1); }}
          onDismissed={() => { setSignIn(null); setSignInNote(t('cs.siChooseCancelled')); }}
        />
      )}
      {signInNote && <Alert kind="info" testId="signin-note">{signInNote}</Alert>}
      <ErrorAlert error={error} />
      {loading && !units && <Loading />}
      {units && (
        <div className="card cs-picker">
          <SelectField
            label={t('cs.unit')}
            hint={t('cs.unitHint')}
            value={unit?.id ?? ''}
            onChange={(e) => navigate(`/content-settings?unit=${encodeURIComponent(e.target.value)}`, { replace: true })}
            data-testid="cs-unit"
          >
            {options.map((n) => <option key={n.unit.id} value={n.unit.id}>{indentLabel(n)}</option>)}
          </SelectField>
          <nav className="cs-jump" aria-label={t('cs.sections')}>
            <a href="#cs-channels">{t('cs.chTitle')}</a>
            <a href="#cs-policy">{t('cs.apTitle')}</a>
            <a href="#cs-terms">{t('cs.stTitle')}</a>
          </nav>
        </div>
      )}
      {units && unit && (
        <div key={unit.id}>
          <ChannelsSection unit={unit} units={units} networks={networks.data ?? []} version={channelsVersion} />
          <PolicySection unit={unit} units={units} />
          <TermsSection unit={unit} units={units} adminIds={adminIds} topAdmin={topAdmin} />
        </div>
      )}
    </div>
  );
}
