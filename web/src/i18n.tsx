// Minimal i18n: two dictionaries (id first), a context, and `{name}` interpolation.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { setApiLocale } from './api.ts';
import type { Locale } from './api.ts';
import { messages } from './messages.ts';
import type { MessageKey } from './messages.ts';
import { loadDisplayTz, saveDisplayTz } from './format.ts';

export type { MessageKey };

const LANG_KEY = 'siar.admin.lang';

function loadLocale(): Locale {
  try {
    const v = localStorage.getItem(LANG_KEY);
    if (v === 'id' || v === 'en') return v;
  } catch {
    /* storage may be unavailable */
  }
  return 'id';
}

export type TFunc = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18nValue {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: TFunc;
  tz: string;
  setTz: (tz: string) => void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  let s: string = messages[locale][key] ?? messages.id[key] ?? key;
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }
  return s;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = loadLocale();
    setApiLocale(l);
    return l;
  });
  const [tz, setTzState] = useState<string>(loadDisplayTz);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((l: Locale) => {
    setApiLocale(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* ignore */
    }
    setLocaleState(l);
  }, []);

  const setTz = useCallback((z: string) => {
    saveDisplayTz(z);
    setTzState(z);
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars), tz, setTz }),
    [locale, setLocale, tz, setTz],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useT outside I18nProvider');
  return v;
}
