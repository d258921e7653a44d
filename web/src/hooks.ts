import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.ts';
import type { Unit } from './api.ts';

/** Loads data on mount (and when deps change); exposes reload + error. */
export function useLoad<T>(loader: () => Promise<T>, deps: unknown[]): {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (d: T) => void;
} {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const gen = useRef(0);
  const load = useCallback(loader, deps);
  const reload = useCallback(async () => {
    const my = ++gen.current;
    setLoading(true);
    try {
      const d = await load();
      if (my === gen.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (my === gen.current) setError(e);
    } finally {
      if (my === gen.current) setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

export function useUnits() {
  const r = useLoad(async () => (await api.units()).items, []);
  return { units: r.data, error: r.error, loading: r.loading, reload: r.reload, setUnits: r.setData as (u: Unit[]) => void };
}

/** Moves focus to the page heading on mount, so screen readers announce the new screen. */
export function useFocusHeading(): void {
  useEffect(() => {
    const h = document.querySelector<HTMLElement>('main h1');
    h?.focus({ preventScroll: true });
  }, []);
}
