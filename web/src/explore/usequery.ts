// Loading from the API in React components.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from './api';

export type Loaded<T> = { key: string; data: T | null; error: string | null; code?: string | null };

/** message is an error fit to show a person. */
export const message = (err: unknown) => (err instanceof ApiError ? err.message : String((err as Error)?.message ?? err));

/** useQuery runs query whenever key changes (null: nothing to load) and keeps the answer for that key only. */
export function useQuery<T>(key: string | null, run: (signal: AbortSignal) => Promise<T>): Loaded<T> | null {
  const [state, setState] = useState<Loaded<T> | null>(null);
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    if (key === null) return;
    const ctl = new AbortController();
    runRef.current(ctl.signal).then(
      (data) => setState({ key, data, error: null }),
      (err) => {
        if (!ctl.signal.aborted) setState({ key, data: null, error: message(err), code: err instanceof ApiError ? err.code : null });
      },
    );
    return () => ctl.abort();
  }, [key]);
  return key !== null && state?.key === key ? state : null;
}
