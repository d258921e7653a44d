import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, ROLES } from '../api.ts';
import type { Locale, Role, Unit, User } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { adminUnitIds, useSession } from '../session.tsx';
import { useFocusHeading, useLoad, useUnits } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { buildTree, flattenTree, indentLabel } from '../units-tree.ts';
import { formatDateTime } from '../format.ts';
import { Alert, Badge, Button, ConfirmButton, ErrorAlert, Loading, PageHeader, SecretNotice, SelectField, TextField, fieldErrorsOf } from '../components/ui.tsx';

export const ROLE_KEYS: Record<Role, MessageKey> = {
  admin: 'role.admin',
  approver: 'role.approver',
  editor: 'role.editor',
  viewer: 'role.viewer',
};
const ROLE_DESC_KEYS: Record<Role, MessageKey> = {
  admin: 'role.adminDesc',
  approver: 'role.approverDesc',
  editor: 'role.editorDesc',
  viewer: 'role.viewerDesc',
};

function UnitOptions({ units, only }: { units: Unit[]; only?: Set<string> }) {
  const flat = flattenTree(buildTree(units));
  return (
    <>
      {flat.map((n) => (
        <option key={n.unit.id} value={n.unit.id} disabled={only ? !only.has(n.unit.id) : false}>
          {indentLabel(n)}
        </option>
      ))}
    </>
  );
}

function RoleHelp() {
  const { t } = useT();
  return (
    <details className="disclosure">
      <summary>{t('users.rolesHelp')}</summary>
      <dl className="dl dl--compact">
        {ROLES.map((r) => (
          <div key={r} className="dl__pair">
            <dt>{t(ROLE_KEYS[r])}</dt>
            <dd>{t(ROLE_DESC_KEYS[r])}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function CreateUserForm({ units, manageable, defaultUnit, onCreated, onCancel }: { units: Unit[]; manageable: Set<string>; defaultUnit: string; onCreated: (u: User, temp: string) => void; onCancel: () => void }) {
  const { t, locale } = useT();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [unitId, setUnitId] = useState(defaultUnit && manageable.has(defaultUnit) ? defaultUnit : ([...manageable][0] ?? ''));
  const [role, setRole] = useState<Role>('editor');
  const [userLocale, setUserLocale] = useState<Locale>(locale);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.createUser({ email: email.trim(), name: name.trim(), unitId, role, locale: userLocale });
      onCreated(res.user, res.temporaryPassword);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = fieldErrorsOf(error);
  return (
    <section className="card" aria-labelledby="cu-h">
      <form onSubmit={submit} noValidate className="stack" data-testid="create-user-form">
        <h2 id="cu-h">{t('users.createTitle')}</h2>
        <p className="muted">{t('users.createDesc')}</p>
        <ErrorAlert error={error} testId="create-user-error" fields={['email', 'name', 'unitId', 'role', 'locale']} />
        <div className="grid-2 grid-2--tight">
          <TextField label={t('users.name')} value={name} onChange={(e) => setName(e.target.value)} error={fe['name']} ref={first} required autoComplete="off" data-testid="cu-name" />
          <TextField label={t('users.email')} type="email" inputMode="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fe['email']} required autoComplete="off" data-testid="cu-email" />
          <SelectField label={t('users.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)} error={fe['unitId']} data-testid="cu-unit">
            <UnitOptions units={units} only={manageable} />
          </SelectField>
          <SelectField label={t('users.role')} value={role} onChange={(e) => setRole(e.target.value as Role)} error={fe['role']} hint={t(ROLE_DESC_KEYS[role])} data-testid="cu-role">
            {ROLES.map((r) => <option key={r} value={r}>{t(ROLE_KEYS[r])}</option>)}
          </SelectField>
          <SelectField label={t('users.locale')} value={userLocale} onChange={(e) => setUserLocale(e.target.value as Locale)} error={fe['locale']}>
            <option value="id">Bahasa Indonesia</option>
            <option value="en">English</option>
          </SelectField>
        </div>
        <RoleHelp />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} data-testid="cu-submit">{t('users.create')}</Button>
          <Button variant="ghost" onClick={onCancel}>{t('common.cancel')}</Button>
        </div>
      </form>
    </section>
  );
}

function StatusBadges({ user }: { user: User }) {
  const { t } = useT();
  return (
    <span className="badges">
      {user.disabled ? <Badge tone="red">{t('users.disabled')}</Badge> : <Badge tone="green">{t('users.active')}</Badge>}
      {user.mustChangePassword && <Badge tone="amber">{t('users.mustChange')}</Badge>}
      {user.totpEnabled && <Badge tone="blue">2FA</Badge>}
    </span>
  );
}

export function UsersList() {
  const { t } = useT();
  const { me } = useSession();
  const { query } = useLocation();
  const { units, error: unitsError } = useUnits();
  const unitFilter = query.get('unit') ?? '';
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ user: User; temp: string } | null>(null);
  const list = useLoad(async () => (await api.users(unitFilter || undefined)).items, [unitFilter]);
  useFocusHeading();

  const manageable = useMemo(() => adminUnitIds(me, units ?? []), [me, units]);
  const unitName = useMemo(() => new Map((units ?? []).map((u) => [u.id, u.name])), [units]);
  const canCreate = manageable.size > 0;

  const q = search.trim().toLowerCase();
  const items = (list.data ?? []).filter((u) => !q || u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q));

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.desc')}
        actions={canCreate && !creating && (
          <Button variant="primary" onClick={() => { setCreating(true); setCreated(null); }} data-testid="user-create-open">{t('users.add')}</Button>
        )}
      />
      <ErrorAlert error={unitsError} />
      {created && (
        <SecretNotice
          testId="temp-password"
          title={t('users.createdTitle', { name: created.user.name })}
          explanation={t('users.tempExplain', { email: created.user.email })}
          value={created.temp}
          onDone={() => setCreated(null)}
        />
      )}
      {creating && units && (
        <CreateUserForm
          units={units}
          manageable={manageable}
          defaultUnit={unitFilter}
          onCancel={() => setCreating(false)}
          onCreated={(user, temp) => {
            setCreating(false);
            setCreated({ user, temp });
            void list.reload();
          }}
        />
      )}
      <section className="card" aria-labelledby="ul-h">
        <h2 id="ul-h" className="sr-only">{t('users.listTitle')}</h2>
        <div className="filters">
          <SelectField
            label={t('users.filterUnit')}
            value={unitFilter}
            onChange={(e) => navigate(e.target.value ? `/users?unit=${encodeURIComponent(e.target.value)}` : '/users', { replace: true })}
            hint={t('users.filterUnitHint')}
            data-testid="users-unit-filter"
          >
            <option value="">{t('users.allUnits')}</option>
            {units && <UnitOptions units={units} only={manageable} />}
          </SelectField>
          <TextField label={t('users.search')} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <ErrorAlert error={list.error} />
        {list.loading && !list.data && <Loading />}
        {list.data && items.length === 0 && <p className="empty">{t('users.none')}</p>}
        {items.length > 0 && (
          <div className="table-wrap">
            <table className="table table--cards" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">{t('users.name')}</th>
                  <th scope="col">{t('users.memberships')}</th>
                  <th scope="col">{t('users.status')}</th>
                  <th scope="col"><span className="sr-only">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <tr key={u.id} data-testid="user-row" data-email={u.email}>
                    <td data-label={t('users.name')}>
                      <div className="strong">{u.name}</div>
                      <div className="muted small break">{u.email}</div>
                    </td>
                    <td data-label={t('users.memberships')}>
                      <ul className="list-plain small">
                        {(u.memberships ?? []).map((m) => (
                          <li key={m.unitId}>{unitName.get(m.unitId) ?? m.unitId} · <span className="muted">{t(ROLE_KEYS[m.role])}</span></li>
                        ))}
                      </ul>
                    </td>
                    <td data-label={t('users.status')}><StatusBadges user={u} /></td>
                    <td className="td-actions">
                      <Link className="btn btn--small" to={`/users/${encodeURIComponent(u.id)}`} data-testid="user-manage" aria-label={t('users.manageNamed', { name: u.name })}>{t('users.manage')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function UserDetail({ id }: { id: string }) {
  const { t, locale, tz } = useT();
  const { me } = useSession();
  const { units } = useUnits();
  const u = useLoad(() => api.user(id), [id]);
  const [name, setName] = useState('');
  const [userLocale, setUserLocale] = useState<Locale>('id');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [temp, setTemp] = useState<string | null>(null);
  const [addUnit, setAddUnit] = useState('');
  const [addRole, setAddRole] = useState<Role>('editor');
  useFocusHeading();

  useEffect(() => {
    if (u.data) {
      setName(u.data.name);
      setUserLocale(u.data.locale);
    }
  }, [u.data]);

  const manageable = useMemo(() => adminUnitIds(me, units ?? []), [me, units]);
  const unitName = useMemo(() => new Map((units ?? []).map((x) => [x.id, x.name])), [units]);

  const run = async (fn: () => Promise<void>, msg?: string) => {
    setError(null);
    setMessage(null);
    try {
      await fn();
      if (msg) setMessage(msg);
    } catch (err) {
      setError(err);
    }
  };

  if (u.error && !u.data) {
    return (
      <>
        <Link to="/users" className="back">← {t('users.back')}</Link>
        <ErrorAlert error={u.error} />
      </>
    );
  }
  if (!u.data) return <Loading />;
  const user = u.data;
  const isSelf = user.id === me.user.id;
  const fe = fieldErrorsOf(error);
  const memberUnitIds = new Set((user.memberships ?? []).map((m) => m.unitId));

  const saveProfile = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    await run(async () => {
      u.setData(await api.updateUser(user.id, { name: name.trim(), locale: userLocale }));
    }, t('common.savedMsg'));
    setSaving(false);
  };

  return (
    <>
      <Link to="/users" className="back">← {t('users.back')}</Link>
      <PageHeader title={user.name} description={user.email} actions={<StatusBadges user={user} />} />
      {message && <Alert kind="success" testId="user-message">{message}</Alert>}
      <ErrorAlert error={error} testId="user-error" />
      {temp && (
        <SecretNotice
          testId="reset-password"
          title={t('users.resetTitle')}
          explanation={t('users.resetExplain', { name: user.name })}
          value={temp}
          onDone={() => setTemp(null)}
        />
      )}
      <div className="grid-2">
        <section className="card stack" aria-labelledby="prof-h">
          <h2 id="prof-h">{t('users.profile')}</h2>
          <form onSubmit={saveProfile} noValidate className="stack">
            <TextField label={t('users.name')} value={name} onChange={(e) => setName(e.target.value)} error={fe['name']} data-testid="ud-name" />
            <SelectField label={t('users.locale')} value={userLocale} onChange={(e) => setUserLocale(e.target.value as Locale)}>
              <option value="id">Bahasa Indonesia</option>
              <option value="en">English</option>
            </SelectField>
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={saving}>{t('common.save')}</Button>
            </div>
          </form>
          <dl className="dl">
            <dt>{t('users.email')}</dt>
            <dd className="break">{user.email}</dd>
            <dt>{t('users.createdAt')}</dt>
            <dd>{formatDateTime(user.createdAt, locale, tz)}</dd>
            <dt>2FA</dt>
            <dd>{user.totpEnabled ? t('tfa.on') : t('tfa.off')}</dd>
          </dl>
        </section>

        <section className="card stack" aria-labelledby="acc-h">
          <h2 id="acc-h">{t('users.access')}</h2>
          <div className="action-row">
            <div>
              <div className="strong">{t('users.resetPw')}</div>
              <p className="muted small">{t('users.resetPwDesc')}</p>
            </div>
            <ConfirmButton
              variant="secondary"
              label={t('users.resetPw')}
              testId="ud-reset"
              onConfirm={() => run(async () => {
                const r = await api.resetPassword(user.id);
                setTemp(r.temporaryPassword);
                await u.reload();
              })}
            />
          </div>
          {user.totpEnabled && (
            <div className="action-row">
              <div>
                <div className="strong">{t('users.resetTfa')}</div>
                <p className="muted small">{t('users.resetTfaDesc')}</p>
              </div>
              <ConfirmButton
                variant="secondary"
                label={t('users.resetTfa')}
                testId="ud-reset-tfa"
                onConfirm={() => run(async () => {
                  await api.resetTwoFactor(user.id);
                  await u.reload();
                }, t('users.resetTfaDone'))}
              />
            </div>
          )}
          <div className="action-row">
            <div>
              <div className="strong">{user.disabled ? t('users.enable') : t('users.disable')}</div>
              <p className="muted small">{user.disabled ? t('users.enableDesc') : t('users.disableDesc')}</p>
            </div>
            {user.disabled ? (
              <Button
                small
                data-testid="ud-enable"
                onClick={() => run(async () => { u.setData(await api.updateUser(user.id, { disabled: false })); }, t('users.enabledMsg'))}
              >
                {t('users.enable')}
              </Button>
            ) : (
              <ConfirmButton
                label={t('users.disable')}
                testId="ud-disable"
                disabled={isSelf}
                onConfirm={() => run(async () => { u.setData(await api.updateUser(user.id, { disabled: true })); }, t('users.disabledMsg'))}
              />
            )}
          </div>
          {isSelf && <p className="muted small">{t('users.selfNote')}</p>}
        </section>
      </div>

      <section className="card stack" aria-labelledby="mem-h">
        <h2 id="mem-h">{t('users.memberships')}</h2>
        <p className="muted">{t('users.membershipsDesc')}</p>
        {(user.memberships ?? []).length === 0 && <p className="empty">{t('users.noMemberships')}</p>}
        <ul className="list-rows" data-testid="ud-memberships">
          {(user.memberships ?? []).map((m) => {
            const can = manageable.has(m.unitId);
            return (
              <li key={m.unitId} className="list-rows__item">
                <div className="list-rows__main">
                  <div className="strong">{unitName.get(m.unitId) ?? m.unitId}</div>
                </div>
                <div className="list-rows__actions">
                  <label className="sr-only" htmlFor={`role-${m.unitId}`}>{t('users.roleIn', { unit: unitName.get(m.unitId) ?? '' })}</label>
                  <select
                    id={`role-${m.unitId}`}
                    className="select-inline"
                    value={m.role}
                    disabled={!can}
                    onChange={(e) => {
                      const role = e.target.value as Role;
                      void run(async () => { u.setData(await api.setMembership(user.id, m.unitId, role)); }, t('users.roleChanged'));
                    }}
                  >
                    {ROLES.map((r) => <option key={r} value={r}>{t(ROLE_KEYS[r])}</option>)}
                  </select>
                  {can && (
                    <ConfirmButton
                      label={t('users.removeMembership')}
                      onConfirm={() => run(async () => { u.setData(await api.removeMembership(user.id, m.unitId)); }, t('users.membershipRemoved'))}
                    />
                  )}
                </div>
              </li>
            );
          })}
        </ul>
        {units && manageable.size > 0 && (
          <form
            className="inline-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!addUnit) return;
              void run(async () => {
                u.setData(await api.setMembership(user.id, addUnit, addRole));
                setAddUnit('');
              }, t('users.membershipAdded'));
            }}
          >
            <SelectField label={t('users.addToUnit')} value={addUnit} onChange={(e) => setAddUnit(e.target.value)} data-testid="ud-add-unit">
              <option value="">{t('users.chooseUnit')}</option>
              <UnitOptions units={units} only={new Set([...manageable].filter((x) => !memberUnitIds.has(x)))} />
            </SelectField>
            <SelectField label={t('users.role')} value={addRole} onChange={(e) => setAddRole(e.target.value as Role)} data-testid="ud-add-role">
              {ROLES.map((r) => <option key={r} value={r}>{t(ROLE_KEYS[r])}</option>)}
            </SelectField>
            <Button type="submit" disabled={!addUnit} data-testid="ud-add-submit">{t('users.addMembership')}</Button>
          </form>
        )}
        <RoleHelp />
      </section>
    </>
  );
}

export function Users() {
  const { path } = useLocation();
  const m = /^\/users\/([^/]+)$/.exec(path);
  if (m?.[1]) return <UserDetail key={m[1]} id={decodeURIComponent(m[1])} />;
  return <UsersList />;
}
