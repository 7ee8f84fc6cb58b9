// Loading from the API in React components.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from './api';
import { errorText, useLang } from './i18n';

export type Loaded<T> = { key: string; data: T | null; error: string | null; code?: string | null };

/** message is an error fit to show a person, in the language shown (the API's code said, its text as detail). */
export const message = (err: unknown) =>
  err instanceof ApiError ? errorText(err.code, err.reason, err.message) : errorText(null, null, String((err as Error)?.message ?? err));

/**
 * useQuery runs query whenever key changes (null: nothing to load) and keeps the answer for that key only. Its
 * error is said in the language shown, and again when the language changes.
 */
export function useQuery<T>(key: string | null, run: (signal: AbortSignal) => Promise<T>): Loaded<T> | null {
  const [state, setState] = useState<{ key: string; data: T | null; err: unknown } | null>(null);
  const runRef = useRef(run);
  runRef.current = run;
  const l = useLang();
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    runRef.current(ctl.signal).then(
      (data) => setState({ key, data, err: null }),
      (err) => {
        if (!ctl.signal.aborted) setState({ key, data: null, err });
      },
    );
    return () => ctl.abort();
  }, [key]);
  // The same object while nothing changes (effects depend on it).
  return useMemo(() => {
    if (key === null || state?.key !== key) return null;
    const { err } = state;
    return { key, data: state.data, error: err == null ? null : message(err), code: err instanceof ApiError ? err.code : null };
  }, [key, state, l]);
}
