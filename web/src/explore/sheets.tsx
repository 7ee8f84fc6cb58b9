// Spreadsheets both ways: download the chain's firms and bottlenecks as Excel (or CSV), edit them in Excel, and —
// for editors — upload the file back: the server checks it and previews what would change (added / changed /
// unchanged, per row, with the changed columns; bad rows with their cell and reason), and Apply writes it in one
// transaction with the change log (POST /import/preview, /import/apply; an editor's bearer token).
import { useEffect, useRef, useState } from 'react';
import { errorText, t } from './i18n';

interface FieldChange {
  column: string;
  before: string;
  after: string;
}

interface ImportRecord {
  sheet: string;
  row: number;
  id: string;
  name: string;
  status: 'ADDED' | 'CHANGED' | 'UNCHANGED';
  changes: FieldChange[];
}

interface ImportResult {
  file: string;
  added: number;
  changed: number;
  unchanged: number;
  ignoredColumns: string[];
  records: ImportRecord[];
  plan: string;
  applied: boolean;
  changeSeqs: number[] | null;
}

interface Problem {
  sheet?: string;
  row?: number;
  column?: string;
  cell?: string;
  message: string;
}

interface UploadError {
  code: string;
  message: string;
  problems: Problem[];
}

const TOKEN_KEY = 'chainmap.editorToken';

async function post(action: 'preview' | 'apply', file: File, token: string, plan?: string): Promise<ImportResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (plan) form.append('plan', plan);
  let response: Response;
  try {
    response = await fetch(`/import/${action}`, {
      method: 'POST',
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      body: form,
    });
  } catch (err) {
    throw { code: 'NETWORK', message: `the server did not answer: ${(err as Error).message}`, problems: [] } as UploadError;
  }
  const text = await response.text();
  let body: ImportResult & { error?: UploadError };
  try {
    body = JSON.parse(text);
  } catch {
    throw { code: 'INTERNAL', message: `HTTP ${response.status}: ${text.slice(0, 200)}`, problems: [] } as UploadError;
  }
  if (!response.ok || body.error) throw body.error ?? { code: 'INTERNAL', message: `HTTP ${response.status}`, problems: [] };
  return body;
}


/** SheetsDialog offers the chain's spreadsheets and takes an editor's edited file back. */
export function SheetsDialog({
  chainId,
  onClose,
  onApplied,
  onShow,
}: {
  chainId: string | null;
  onClose: () => void;
  onApplied: () => void;
  onShow: (id: string) => void;
}) {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<'preview' | 'apply' | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [applied, setApplied] = useState<ImportResult | null>(null);
  const [error, setError] = useState<UploadError | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }, [token]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const runPreview = async (f: File) => {
    setFile(f);
    setPreview(null);
    setApplied(null);
    setError(null);
    setBusy('preview');
    try {
      setPreview(await post('preview', f, token.trim()));
    } catch (e) {
      setError(e as UploadError);
    } finally {
      setBusy(null);
    }
  };

  const apply = async () => {
    if (!file || !preview) return;
    setBusy('apply');
    setError(null);
    try {
      const res = await post('apply', file, token.trim(), preview.plan);
      setApplied(res);
      setPreview(null);
      onApplied();
    } catch (e) {
      setError(e as UploadError);
    } finally {
      setBusy(null);
    }
  };

  const q = chainId ? `?chainMapId=${encodeURIComponent(chainId)}` : '';
  const shown = applied ?? preview;
  const changedRecords = shown?.records.filter((r) => r.status !== 'UNCHANGED') ?? [];
  const unchanged = shown?.records.filter((r) => r.status === 'UNCHANGED') ?? [];

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal sheets"
        role="dialog"
        aria-modal="true"
        aria-labelledby="sheets-title"
        data-testid="sheets"
        onClick={(e) => e.stopPropagation()}
      >
        <button type="button" className="close" title={t('closeEsc')} onClick={onClose}>
          ×
        </button>
        <h2 id="sheets-title">{t('sheets.title')}</h2>

        <section>
          <h3>{t('sheets.download')}</h3>
          <p className="muted small">{t('sheets.downloadHint')}</p>
          <div className="downloads">
            <a href={`/export/enterprises.xlsx${q}`} download data-testid="download-enterprises-xlsx">
              {t('sheets.firmsExcel')}
            </a>
            <a href={`/export/bottlenecks.xlsx${q}`} download data-testid="download-bottlenecks-xlsx">
              {t('sheets.bottlenecksExcel')}
            </a>
            <a href={`/export/enterprises.csv${q}`} download className="secondary">
              {t('sheets.firmsCsv')}
            </a>
            <a href={`/export/sites.csv${q}`} download className="secondary">
              {t('sheets.sitesCsv')}
            </a>
            <a href={`/export/bottlenecks.csv${q}`} download className="secondary">
              {t('sheets.bottlenecksCsv')}
            </a>
          </div>
        </section>

        <section>
          <h3>{t('sheets.upload')} <span className="muted small">{t('sheets.editors')}</span></h3>
          <div className="upload-row">
            <label>
              <span>{t('sheets.token')}</span>
              <input
                type="password"
                autoComplete="off"
                data-testid="sheets-token"
                value={token}
                placeholder={t('sheets.tokenPlaceholder')}
                onChange={(e) => setToken(e.target.value)}
              />
            </label>
            <label className="file">
              <span>{t('sheets.file')}</span>
              <input
                ref={fileRef}
                type="file"
                accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                data-testid="sheets-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void runPreview(f);
                  e.target.value = '';
                }}
              />
            </label>
          </div>
          {busy === 'preview' ? <p className="muted">{t('sheets.checking', file?.name ?? '')}</p> : null}
          {busy === 'apply' ? <p className="muted">{t('sheets.applying', file?.name ?? '')}</p> : null}

          {error ? (
            <div className="upload-error" role="alert" data-testid="sheets-error" data-code={error.code}>
              <p>
                <strong>{error.problems.length ? t('sheets.problems', error.problems.length) : errorText(error.code, null, error.message)}</strong>
              </p>
              {error.problems.length ? (
                <table className="sheet-table" data-testid="sheets-problems">
                  <thead>
                    <tr>
                      <th>{t('sheets.sheet')}</th>
                      <th>{t('sheets.cell')}</th>
                      <th>{t('sheets.column')}</th>
                      <th>{t('sheets.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {error.problems.map((p, i) => (
                      <tr key={i}>
                        <td>{p.sheet ?? ''}</td>
                        <td>{p.cell ?? (p.row ? t('sheets.row', p.row) : '')}</td>
                        <td>{p.column ?? ''}</td>
                        <td>{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          ) : null}

          {shown ? (
            <div data-testid={applied ? 'sheets-applied' : 'sheets-preview'}>
              <p className="summary" data-testid="sheets-summary">
                {applied ? t('sheets.applied') : `${shown.file}: `}
                {t('sheets.summary', shown.changed, shown.added, shown.unchanged)}
                {applied && applied.changeSeqs?.length
                  ? t('sheets.logEntries', applied.changeSeqs.length, `#${applied.changeSeqs.join(', #')}`)
                  : ''}
              </p>
              {shown.ignoredColumns.length ? (
                <p className="muted small">{t('sheets.ignored', shown.ignoredColumns.join(', '))}</p>
              ) : null}
              {changedRecords.length ? (
                <table className="sheet-table" data-testid="sheets-changes">
                  <thead>
                    <tr>
                      <th>{t('sheets.rowCol')}</th>
                      <th>{t('sheets.record')}</th>
                      <th>{t('sheets.what')}</th>
                      <th>{t('sheets.beforeAfter')}</th>
                      {applied ? <th /> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {changedRecords.map((r) => (
                      <tr key={`${r.sheet}:${r.id}`} data-testid="sheets-record" data-id={r.id} data-status={r.status}>
                        <td>
                          {r.sheet} {r.row}
                        </td>
                        <td>
                          <div>{r.name || r.id}</div>
                          <div className="muted small">{r.id}</div>
                        </td>
                        <td className={`st-${r.status.toLowerCase()}`}>{t(`sheets.${r.status}`)}</td>
                        <td>
                          {r.changes.map((c) => (
                            <div key={c.column} className="change" data-column={c.column}>
                              <code>{c.column}</code>: <del>{c.before || t('sheets.empty')}</del> → <ins>{c.after || t('sheets.empty')}</ins>
                            </div>
                          ))}
                        </td>
                        {applied ? (
                          <td>
                            {r.sheet !== 'sites' ? (
                              <button type="button" data-testid="sheets-show" onClick={() => onShow(r.id)}>
                                {t('sheets.show')}
                              </button>
                            ) : null}
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">{applied ? t('sheets.nothingChanged') : t('sheets.matches')}</p>
              )}
              {unchanged.length ? (
                <details className="unchanged">
                  <summary>{t('sheets.unchangedRows', unchanged.length)}</summary>
                  <p className="muted small">{unchanged.map((r) => r.name || r.id).join(' · ')}</p>
                </details>
              ) : null}
              {!applied ? (
                <div className="apply-row">
                  <button
                    type="button"
                    className="primary"
                    data-testid="sheets-apply"
                    disabled={busy !== null || changedRecords.length === 0}
                    onClick={() => void apply()}
                  >
                    {t('sheets.apply', changedRecords.length)}
                  </button>
                  <span className="muted small">{t('sheets.applyHint')}</span>
                </div>
              ) : null}
            </div>
          ) : null}
        </section>
      </div>
    </div>
  );
}
