import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, UNIT_KINDS } from '../api.ts';
import type { Unit, UnitKind } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { adminUnitIds, useSession } from '../session.tsx';
import { useFocusHeading, useUnits } from '../hooks.ts';
import { navigate, useLocation, Link } from '../router.tsx';
import { ancestorsOf, buildTree } from '../units-tree.ts';
import type { TreeNode } from '../units-tree.ts';
import { TIMEZONES, formatDateTime, tzAbbr } from '../format.ts';
import { Alert, Badge, Button, CheckboxField, ErrorAlert, Loading, PageHeader, SelectField, TextAreaField, TextField, fieldErrorsOf } from '../components/ui.tsx';

export const KIND_KEYS: Record<UnitKind, MessageKey> = {
  province: 'kind.province',
  regency: 'kind.regency',
  city: 'kind.city',
  agency: 'kind.agency',
  bureau: 'kind.bureau',
};

function childKinds(parent: UnitKind): UnitKind[] {
  if (parent === 'province') return ['agency', 'bureau', 'regency', 'city'];
  return ['agency', 'bureau'];
}

function TreeItem({ node, selected, expanded, toggle, select }: { node: TreeNode; selected: string | null; expanded: Set<string>; toggle: (id: string) => void; select: (id: string) => void }) {
  const { t } = useT();
  const open = expanded.has(node.unit.id);
  const has = node.children.length > 0;
  const isSel = selected === node.unit.id;
  return (
    <li className="tree__item">
      <div className={`tree__row${isSel ? ' tree__row--selected' : ''}`}>
        {has ? (
          <button
            type="button"
            className="tree__toggle"
            aria-expanded={open}
            aria-label={open ? t('units.collapse', { name: node.unit.name }) : t('units.expand', { name: node.unit.name })}
            onClick={() => toggle(node.unit.id)}
            data-testid={`unit-toggle-${node.unit.slug}`}
          >
            <span aria-hidden="true" className={`chev${open ? ' chev--open' : ''}`}>▸</span>
          </button>
        ) : (
          <span className="tree__toggle tree__toggle--leaf" aria-hidden="true">•</span>
        )}
        <button
          type="button"
          className="tree__name"
          aria-current={isSel ? 'true' : undefined}
          onClick={() => select(node.unit.id)}
          data-testid={`unit-node-${node.unit.slug}`}
        >
          <span>{node.unit.name}</span>
          <span className="tree__kind">{t(KIND_KEYS[node.unit.kind])}</span>
        </button>
      </div>
      {has && open && (
        <ul className="tree__children">
          {node.children.map((c) => (
            <TreeItem key={c.unit.id} node={c} selected={selected} expanded={expanded} toggle={toggle} select={select} />
          ))}
        </ul>
      )}
    </li>
  );
}

interface UnitFormState {
  kind: UnitKind;
  name: string;
  timezone: string;
  logoUrl: string;
  email: string;
  phone: string;
  address: string;
  website: string;
  requireTwoFactor: boolean;
}

function toForm(u: Unit): UnitFormState {
  return {
    kind: u.kind,
    name: u.name,
    timezone: u.timezone,
    logoUrl: u.logoUrl ?? '',
    email: u.contact?.email ?? '',
    phone: u.contact?.phone ?? '',
    address: u.contact?.address ?? '',
    website: u.contact?.website ?? '',
    requireTwoFactor: u.requireTwoFactor,
  };
}

const nz = (s: string): string | null => (s.trim() ? s.trim() : null);

function UnitForm({ mode, parent, unit, onSaved, onCancel }: { mode: 'create' | 'edit'; parent?: Unit; unit?: Unit; onSaved: (u: Unit) => void; onCancel: () => void }) {
  const { t } = useT();
  const kinds = parent ? childKinds(parent.kind) : UNIT_KINDS;
  const [f, setF] = useState<UnitFormState>(() =>
    unit
      ? toForm(unit)
      : {
          kind: kinds[0] ?? 'agency',
          name: '',
          timezone: parent?.timezone ?? 'Asia/Makassar',
          logoUrl: '',
          email: '',
          phone: '',
          address: '',
          website: '',
          requireTwoFactor: parent?.requireTwoFactor ?? false,
        },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const set = <K extends keyof UnitFormState>(k: K, v: UnitFormState[K]) => setF((p) => ({ ...p, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!f.name.trim()) {
      setError(new Error(t('units.errName')));
      return;
    }
    setBusy(true);
    setError(null);
    const contact = { email: nz(f.email), phone: nz(f.phone), address: nz(f.address), website: nz(f.website) };
    try {
      const saved =
        mode === 'create' && parent
          ? await api.createUnit({
              parentId: parent.id,
              kind: f.kind,
              name: f.name.trim(),
              timezone: f.timezone,
              logoUrl: nz(f.logoUrl),
              contact,
              requireTwoFactor: f.requireTwoFactor,
            })
          : await api.updateUnit(unit!.id, {
              name: f.name.trim(),
              timezone: f.timezone,
              logoUrl: nz(f.logoUrl),
              contact,
              requireTwoFactor: f.requireTwoFactor,
            });
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = fieldErrorsOf(error);
  return (
    <form onSubmit={submit} noValidate className="stack" data-testid={`unit-form-${mode}`}>
      <h3>{mode === 'create' ? t('units.createUnder', { name: parent?.name ?? '' }) : t('units.editTitle')}</h3>
      <ErrorAlert error={error} testId="unit-form-error" fields={['kind', 'name', 'timezone', 'logoUrl', 'contact.email', 'contact.phone', 'contact.address', 'contact.website']} />
      {mode === 'create' && (
        <SelectField label={t('units.kind')} value={f.kind} onChange={(e) => set('kind', e.target.value as UnitKind)} error={fe['kind']} data-testid="unit-kind">
          {kinds.map((k) => (
            <option key={k} value={k}>{t(KIND_KEYS[k])}</option>
          ))}
        </SelectField>
      )}
      <TextField label={t('units.name')} value={f.name} onChange={(e) => set('name', e.target.value)} error={fe['name']} ref={nameRef} required hint={mode === 'create' ? t('units.nameHint') : undefined} data-testid="unit-name" />
      <SelectField label={t('units.timezone')} value={f.timezone} onChange={(e) => set('timezone', e.target.value)} error={fe['timezone']}>
        {TIMEZONES.map((z) => (
          <option key={z.id} value={z.id}>{z.abbr} ({z.id})</option>
        ))}
        {!TIMEZONES.some((z) => z.id === f.timezone) && <option value={f.timezone}>{f.timezone}</option>}
      </SelectField>
      <TextField label={t('units.logoUrl')} type="url" inputMode="url" placeholder="https://" value={f.logoUrl} onChange={(e) => set('logoUrl', e.target.value)} error={fe['logoUrl']} />
      <fieldset className="fieldset">
        <legend>{t('units.contact')}</legend>
        <div className="grid-2 grid-2--tight">
          <TextField label={t('units.email')} type="email" inputMode="email" value={f.email} onChange={(e) => set('email', e.target.value)} error={fe['contact.email'] ?? fe['email']} />
          <TextField label={t('units.phone')} type="tel" inputMode="tel" value={f.phone} onChange={(e) => set('phone', e.target.value)} error={fe['contact.phone'] ?? fe['phone']} />
        </div>
        <TextField label={t('units.website')} type="url" inputMode="url" placeholder="https://" value={f.website} onChange={(e) => set('website', e.target.value)} error={fe['contact.website'] ?? fe['website']} />
        <TextAreaField label={t('units.address')} rows={2} value={f.address} onChange={(e) => set('address', e.target.value)} error={fe['contact.address'] ?? fe['address']} />
      </fieldset>
      <CheckboxField label={t('units.require2fa')} hint={t('units.require2faHint')} checked={f.requireTwoFactor} onChange={(e) => set('requireTwoFactor', e.target.checked)} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="unit-save">{mode === 'create' ? t('units.create') : t('common.save')}</Button>
        <Button variant="ghost" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

function UnitDetail({ unit, parent, canManage, onChanged }: { unit: Unit; parent: Unit | undefined; canManage: boolean; onChanged: (u: Unit, created: boolean) => void }) {
  const { t, locale, tz } = useT();
  const [mode, setMode] = useState<'view' | 'edit' | 'create'>('view');
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    setMode('view');
    setSaved(null);
  }, [unit.id]);

  if (mode !== 'view') {
    return (
      <UnitForm
        key={`${mode}-${unit.id}`}
        mode={mode}
        parent={mode === 'create' ? unit : undefined}
        unit={mode === 'edit' ? unit : undefined}
        onCancel={() => setMode('view')}
        onSaved={(u) => {
          setSaved(mode === 'create' ? t('units.createdMsg', { name: u.name }) : t('units.savedMsg'));
          setMode('view');
          onChanged(u, mode === 'create');
        }}
      />
    );
  }
  const c = unit.contact ?? { email: null, phone: null, address: null, website: null };
  const dash = <span className="muted">—</span>;
  return (
    <div data-testid="unit-detail">
      {saved && <Alert kind="success" testId="unit-saved">{saved}</Alert>}
      <div className="unit-head">
        {unit.logoUrl ? <img className="unit-logo" src={unit.logoUrl} alt="" width={48} height={48} /> : <span className="unit-logo unit-logo--empty" aria-hidden="true">{unit.name.slice(0, 1)}</span>}
        <div>
          <h2 className="unit-name">{unit.name}</h2>
          <div className="muted">{t(KIND_KEYS[unit.kind])}{parent ? ` · ${t('units.under', { name: parent.name })}` : ''}</div>
        </div>
      </div>
      <dl className="dl">
        <dt>{t('units.timezone')}</dt>
        <dd>{tzAbbr(unit.timezone)} <span className="muted">({unit.timezone})</span></dd>
        <dt>{t('units.require2fa')}</dt>
        <dd>{unit.requireTwoFactor ? <Badge tone="green">{t('common.yes')}</Badge> : <Badge>{t('common.no')}</Badge>}</dd>
        <dt>{t('units.email')}</dt>
        <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : dash}</dd>
        <dt>{t('units.phone')}</dt>
        <dd>{c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : dash}</dd>
        <dt>{t('units.website')}</dt>
        <dd>{c.website ? <a href={c.website} target="_blank" rel="noreferrer noopener">{c.website}</a> : dash}</dd>
        <dt>{t('units.address')}</dt>
        <dd>{c.address || dash}</dd>
        <dt>{t('units.logoUrl')}</dt>
        <dd className="break">{unit.logoUrl || dash}</dd>
        <dt>{t('units.slug')}</dt>
        <dd><code>{unit.slug}</code></dd>
        <dt>{t('units.updated')}</dt>
        <dd>{formatDateTime(unit.updatedAt, locale, tz)}</dd>
      </dl>
      <div className="form-actions">
        {canManage && (
          <>
            <Button variant="primary" onClick={() => setMode('edit')} data-testid="unit-edit">{t('common.edit')}</Button>
            <Button onClick={() => setMode('create')} data-testid="unit-add-child">{t('units.addChild')}</Button>
          </>
        )}
        {canManage && <Link className="btn btn--ghost" to={`/users?unit=${encodeURIComponent(unit.id)}`}>{t('units.seeUsers')}</Link>}
      </div>
      {!canManage && <p className="muted small">{t('units.readOnly')}</p>}
    </div>
  );
}

export function Units() {
  const { t } = useT();
  const { me } = useSession();
  const { query } = useLocation();
  const { units, error, loading, reload, setUnits } = useUnits();
  const selectedId = query.get('unit');
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState('');
  const detailRef = useRef<HTMLElement>(null);
  useFocusHeading();

  const tree = useMemo(() => buildTree(units ?? []), [units]);
  const admin = useMemo(() => adminUnitIds(me, units ?? []), [me, units]);

  // Expand roots and the selected unit's ancestors once data arrives.
  useEffect(() => {
    if (!units) return;
    setExpanded((prev) => {
      const next = new Set(prev);
      for (const r of tree) next.add(r.unit.id);
      if (selectedId) for (const a of ancestorsOf(selectedId, units)) next.add(a);
      return next;
    });
  }, [units, tree, selectedId]);

  // Nothing chosen yet: show the user's own (first) unit rather than an empty panel.
  useEffect(() => {
    if (!units || selectedId) return;
    const first = me.memberships.find((m) => units.some((u) => u.id === m.unitId))?.unitId ?? tree[0]?.unit.id;
    if (first) navigate(`/units?unit=${encodeURIComponent(first)}`, { replace: true });
  }, [units, selectedId, me, tree]);

  const select = (id: string) => {
    navigate(`/units?unit=${encodeURIComponent(id)}`, { replace: true });
    if (window.matchMedia('(max-width: 860px)').matches) {
      window.setTimeout(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
    }
  };
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const byId = new Map((units ?? []).map((u) => [u.id, u]));
  const selected = selectedId ? byId.get(selectedId) : undefined;

  const q = filter.trim().toLowerCase();
  const matches = q ? (units ?? []).filter((u) => u.name.toLowerCase().includes(q)) : [];

  return (
    <>
      <PageHeader title={t('units.title')} description={t('units.desc')} />
      <ErrorAlert error={error} />
      {loading && !units && <Loading />}
      {units && (
        <div className="split">
          <section className="card split__side" aria-labelledby="tree-h">
            <h2 id="tree-h" className="sr-only">{t('units.treeTitle')}</h2>
            <TextField label={t('units.search')} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="unit-search" />
            {q ? (
              <ul className="list-plain">
                {matches.length === 0 && <li className="muted">{t('common.noResults')}</li>}
                {matches.map((u) => (
                  <li key={u.id}>
                    <button type="button" className="tree__name" aria-current={selectedId === u.id ? 'true' : undefined} onClick={() => select(u.id)}>
                      <span>{u.name}</span>
                      <span className="tree__kind">{t(KIND_KEYS[u.kind])}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <ul className="tree" data-testid="unit-tree">
                {tree.map((n) => (
                  <TreeItem key={n.unit.id} node={n} selected={selectedId} expanded={expanded} toggle={toggle} select={select} />
                ))}
              </ul>
            )}
          </section>
          <section className="card split__main" ref={detailRef} aria-label={t('units.detail')}>
            {selected ? (
              <UnitDetail
                unit={selected}
                parent={selected.parentId ? byId.get(selected.parentId) : undefined}
                canManage={admin.has(selected.id)}
                onChanged={(u, created) => {
                  if (created) {
                    setUnits([...(units ?? []), u]);
                    setExpanded((p) => new Set(p).add(selected.id));
                    void reload();
                  } else {
                    setUnits((units ?? []).map((x) => (x.id === u.id ? u : x)));
                  }
                }}
              />
            ) : (
              <div className="empty">
                <p>{t('units.pick')}</p>
              </div>
            )}
          </section>
        </div>
      )}
    </>
  );
}
