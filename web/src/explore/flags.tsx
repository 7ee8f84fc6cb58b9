// Readers' flags: "This is wrong · 报告错误" on a record's panel (any reader), and the editors' list of flags with
// their resolutions (an editor's token, entered once per browser tab). Everything goes through the public
// GraphQL API: flagRecord, flags, resolveFlag and changes (schema/flags.graphqls).
import { useEffect, useRef, useState } from 'react';
import { gql, graphql, SIGN_IN_CODES } from './api';
import type { ResultOf, VariablesOf } from './api';
import { message, useQuery } from './usequery';
import { nameOf, t, te } from './i18n';
import type { Key } from './i18n';

// The limits of schema/flags.graphqls (chainmap.MaxFlagNote, MaxFlagSourceURL), said again to the form.
const MAX_NOTE = 1000;
const MAX_URL = 500;

const FLAG_RECORD = graphql(`mutation ExplorerFlagRecord($in: FlagInput!) { flagRecord(input: $in) { id seq status } }`);

/** The fields a reader can point at, per kind of record drawn in the explorer. */
const FIELDS: Record<string, [string, Key][]> = {
  Enterprise: [['name', 'field.name'], ['nameZh', 'field.nameZh'], ['sites', 'field.sites'], ['segments', 'field.segments'],
    ['chainRole', 'field.chainRole'], ['sources', 'field.sources']],
  Segment: [['name', 'field.name'], ['stage', 'field.stage'], ['upstream', 'field.upstream'], ['downstream', 'field.downstream'],
    ['sources', 'field.sources']],
  Bottleneck: [['name', 'field.name'], ['status', 'field.status'], ['severity', 'field.severity'], ['tacklers', 'field.tacklers'],
    ['segments', 'field.constrains'], ['sources', 'field.sources']],
};

/**
 * fieldLabel says the field a flag names in the language shown: as the form offers it for the record's kind (a
 * bottleneck's segments are those it constrains), else by its entry field.*, else as the API names it (a field
 * a client named that the table does not know).
 */
export function fieldLabel(kind: string, field: string): string {
  const offered = FIELDS[kind]?.find(([f]) => f === field);
  return offered ? t(offered[1]) : te('field', field);
}

/** FlagButton is the reader's way to say a record is wrong: a button that opens a short form. */
export function FlagButton({ recordId, kind, open, onFlagged }: {
  recordId: string;
  kind: string;
  open: number;
  onFlagged: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [field, setField] = useState('');
  const [note, setNote] = useState('');
  const [url, setUrl] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Another record: start afresh.
  useEffect(() => {
    setEditing(false);
    setDone(null);
    setError(null);
    setNote('');
    setUrl('');
    setField('');
  }, [recordId]);

  const submit = async () => {
    setSending(true);
    setError(null);
    try {
      const input: VariablesOf<typeof FLAG_RECORD>['in'] = { recordId, note };
      if (field) input.field = field;
      if (url.trim()) input.sourceUrl = url.trim();
      const d = await gql(FLAG_RECORD, { in: input });
      setDone(d.flagRecord.id);
      setEditing(false);
      setNote('');
      setUrl('');
      onFlagged();
    } catch (err) {
      setError(message(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="flag" data-testid="flag-section" data-open={open}>
      <div className="flag-row">
        {!editing ? (
          <button type="button" className="flag-button" data-testid="flag-button" onClick={() => { setEditing(true); setDone(null); }}>
            {t('flag.button')}
          </button>
        ) : null}
        {open > 0 ? (
          <span className="flag-count" data-testid="flag-count" title={t('flag.openTitle')}>
            {t('flag.open', open)}
          </span>
        ) : null}
      </div>
      {done ? (
        <p className="flag-done" role="status" data-testid="flag-done" data-flag={done}>
          {t('flag.thanks')}
        </p>
      ) : null}
      {editing ? (
        <form
          className="flag-form"
          data-testid="flag-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            <span>{t('flag.what')}</span>
            <select value={field} onChange={(e) => setField(e.target.value)} data-testid="flag-field">
              <option value="">{t('flag.whole')}</option>
              {(FIELDS[kind] ?? []).map(([f, label]) => (
                <option key={f} value={f}>{te('field', label.slice('field.'.length))}</option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('flag.note')} <span className="muted">{t('flag.plain', note.length, MAX_NOTE)}</span></span>
            <textarea
              data-testid="flag-note"
              required
              maxLength={MAX_NOTE}
              rows={4}
              value={note}
              placeholder={t('flag.notePlaceholder')}
              onChange={(e) => {
                setNote(e.target.value);
                setError(null);
              }}
            />
          </label>
          <label>
            <span>{t('flag.source')} <span className="muted">{t('flag.optionalUrl')}</span></span>
            <input
              data-testid="flag-source"
              type="url"
              maxLength={MAX_URL}
              value={url}
              placeholder="https://…"
              onChange={(e) => {
                setUrl(e.target.value);
                setError(null);
              }}
            />
          </label>
          {error ? <p className="error" role="alert" data-testid="flag-error">{error}</p> : null}
          <div className="flag-actions">
            <button type="submit" data-testid="flag-submit" disabled={sending || !note.trim()}>
              {sending ? t('flag.sending') : t('flag.send')}
            </button>
            <button type="button" className="link" onClick={() => setEditing(false)}>{t('flag.cancel')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

// ---- The editors' list ----------------------------------------------------------------------------------------

const TOKEN_KEY = 'chainmap.editorToken';

/** The editor's token, kept for the browser tab (sessionStorage): entered once, used by every editor's action. */
export function useEditorToken(): [string, (t: string) => void] {
  const [token, setToken] = useState(() => {
    try {
      return sessionStorage.getItem(TOKEN_KEY) ?? '';
    } catch {
      return '';
    }
  });
  const save = (t: string) => {
    try {
      if (t) sessionStorage.setItem(TOKEN_KEY, t);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // storage disabled: the token lasts as long as the page
    }
    setToken(t);
  };
  return [token, save];
}

const FLAGS = graphql(`query ExplorerFlags($filter: FlagFilter, $after: String) {
  flags(filter: $filter, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes {
      id recordId recordKind field note sourceUrl by client at seq status resolution resolutionNote editSeq resolvedBy resolvedAt
      record {
        __typename
        ... on ChainMap { id name nameZh } ... on Segment { id name nameZh } ... on Enterprise { id name nameZh }
        ... on Site { id name enterprise { id name } } ... on Institution { id name nameZh } ... on Park { id name nameZh }
        ... on Bottleneck { id name nameZh } ... on Indicator { id name nameZh } ... on Source { id title }
      }
    }
  }
}`);

export type FlagItem = ResultOf<typeof FLAGS>['flags']['nodes'][number];
type FlagFilter = NonNullable<VariablesOf<typeof FLAGS>['filter']>;

const RESOLVE_FLAG = graphql(`mutation ExplorerResolveFlag($id: ID!, $resolution: FlagResolution!, $note: String, $editSeq: ID) {
  resolveFlag(id: $id, resolution: $resolution, note: $note, editSeq: $editSeq) { id status }
}`);

const EDITS_SINCE = graphql(`query ExplorerEditsSince($after: String) {
  changes(after: $after, first: 100) { edges { node { seq kind operation recordId author at } } }
}`);

type StatusFilter = 'OPEN' | 'RESOLVED' | 'REJECTED' | 'ALL';


const when = (at: string) => at.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC');

function recordLabel(f: FlagItem) {
  const r = f.record;
  if (!r) return `${f.recordId}${t('flags.deleted')}`;
  switch (r.__typename) {
    case 'Source':
      return r.title;
    case 'Site':
      return `${r.name || r.id} — ${r.enterprise.name}`;
    default:
      return nameOf(r) || r.id;
  }
}

/** FlagsView lists readers' flags for editors, with their resolutions. */
export function FlagsView({ chainId, onOpen }: { chainId: string | null; onOpen: (recordId: string) => void }) {
  const [token, setToken] = useEditorToken();
  const [draft, setDraft] = useState('');
  const [status, setStatus] = useState<StatusFilter>('OPEN');
  const [thisChain, setThisChain] = useState(true);
  const [version, setVersion] = useState(0);
  // Pages after the first, loaded with "More": their items and where the last one ended.
  const [more, setMore] = useState<{ items: FlagItem[]; hasNext: boolean; cursor: string | null } | null>(null);

  const filter: FlagFilter = {};
  if (status !== 'ALL') filter.status = status;
  if (thisChain && chainId) filter.chainMapId = chainId;
  const key = token ? `${JSON.stringify(filter)}#${version}#${token.length}` : null;
  const list = useQuery(key, (signal) =>
    gql(FLAGS, { filter }, signal, token).then((d) => d.flags),
  );
  useEffect(() => setMore(null), [key]);
  // While the list is read again (after a resolution), keep showing it, so that the other reports keep the
  // forms an editor has open on them.
  const last = useRef<typeof list>(null);
  if (list?.data) last.current = list;
  const shown = list ?? (token ? last.current : null);
  const items = [...(shown?.data?.nodes ?? []), ...(more?.items ?? [])];
  const hasNext = more ? more.hasNext : !!shown?.data?.pageInfo.hasNextPage;
  const cursor = more ? more.cursor : shown?.data?.pageInfo.endCursor ?? null;
  const loadMore = async () => {
    const d = await gql(FLAGS, { filter, after: cursor }, undefined, token);
    setMore((m) => ({ items: [...(m?.items ?? []), ...d.flags.nodes], hasNext: d.flags.pageInfo.hasNextPage, cursor: d.flags.pageInfo.endCursor }));
  };
  const rejected = !!list?.error && SIGN_IN_CODES.has(list.code ?? '');

  return (
    <section className="flags-view" data-testid="flags-view" data-count={shown?.data?.totalCount ?? ''}>
      <div className="flags-head">
        <h2>{t('flags.title')}</h2>
        <p className="muted small">{t('flags.explain')}</p>
      </div>
      {!token ? (
        <form
          className="token-form"
          data-testid="token-form"
          onSubmit={(e) => {
            e.preventDefault();
            setToken(draft.trim());
            setDraft('');
          }}
        >
          <label>
            <span>{t('flags.token')}</span>
            <input
              data-testid="token-input"
              type="password"
              autoComplete="off"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder={t('flags.tokenPlaceholder')}
            />
          </label>
          <button type="submit" disabled={!draft.trim()} data-testid="token-submit">{t('flags.useToken')}</button>
        </form>
      ) : (
        <div className="flags-controls">
          <label>
            <span>{t('flags.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)} data-testid="flags-status">
              <option value="OPEN">{t('flags.OPEN')}</option>
              <option value="RESOLVED">{t('flags.RESOLVED')}</option>
              <option value="REJECTED">{t('flags.REJECTED')}</option>
              <option value="ALL">{t('flags.ALL')}</option>
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={thisChain} onChange={(e) => setThisChain(e.target.checked)} /> {t('flags.thisChain')}
          </label>
          <button type="button" className="link" onClick={() => setVersion((v) => v + 1)}>{t('flags.refresh')}</button>
          <button type="button" className="link" data-testid="token-forget" onClick={() => setToken('')}>{t('flags.forget')}</button>
        </div>
      )}
      {list?.error ? (
        <p className="error" role="alert" data-testid="flags-error">
          {list.error}
          {rejected ? t('flags.checkToken') : ''}
        </p>
      ) : null}
      {token && !shown ? <p className="muted">{t('loading')}</p> : null}
      {shown?.data ? (
        <p className="muted small" data-testid="flags-total">
          {t('flags.total', shown.data.totalCount)}
        </p>
      ) : null}
      <ul className="plain flags-list">
        {items.map((f) => (
          <FlagCard key={f.id} f={f} token={token} onOpen={onOpen} onResolved={() => setVersion((v) => v + 1)} />
        ))}
      </ul>
      {token && hasNext ? (
        <button type="button" className="link" onClick={() => void loadMore()}>{t('flags.more')}</button>
      ) : null}
    </section>
  );
}

function FlagCard({ f, token, onOpen, onResolved }: {
  f: FlagItem;
  token: string;
  onOpen: (id: string) => void;
  onResolved: () => void;
}) {
  const [mode, setMode] = useState<'none' | 'reject' | 'edited'>('none');
  const [note, setNote] = useState('');
  const [seq, setSeq] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The edits an EDITED resolution can name: changes after the flag to its record (to a site's enterprise), or loads.
  const edits = useQuery(mode === 'edited' ? `edits:${f.id}` : null, (signal) =>
    gql(EDITS_SINCE, { after: f.seq }, signal, token).then((d) =>
      d.changes.edges
        .map((e) => e.node)
        .filter((c) => c.kind === 'LOAD' || (c.kind !== 'FLAG' && (c.recordId === f.recordId || (f.record?.__typename === 'Site' && c.recordId === f.record.enterprise.id)))),
    ),
  );
  useEffect(() => {
    const found = edits?.data;
    if (found?.length && !seq) setSeq(found[found.length - 1].seq);
  }, [edits, seq]);

  const resolve = async (resolution: 'EDITED' | 'REJECTED') => {
    setBusy(true);
    setError(null);
    try {
      const vars: VariablesOf<typeof RESOLVE_FLAG> = { id: f.id, resolution };
      if (note.trim()) vars.note = note.trim();
      if (resolution === 'EDITED') vars.editSeq = seq.trim();
      await gql(RESOLVE_FLAG, vars, undefined, token);
      setMode('none');
      onResolved();
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`flag-card status-${f.status}`} data-testid="flag-item" data-flag={f.id} data-record={f.recordId} data-status={f.status}>
      <div className="flag-card-head">
        <span className="badge" data-kind={f.recordKind}>{te('type', f.recordKind)}</span>
        <button type="button" className="link record" onClick={() => onOpen(f.recordId)} title={t('flags.showInChain')}>
          {recordLabel(f)}
        </button>
        {f.field ? <span className="badge field" data-field={f.field}>{fieldLabel(f.recordKind, f.field)}</span> : null}
        <span className={`badge flag-status status-${f.status}`}>{te('flags', f.status)}</span>
      </div>
      <p className="flag-note" data-testid="flag-note-text">{f.note}</p>
      {f.sourceUrl ? (
        <p className="small">
          {t('flags.sourceLabel')}<a href={f.sourceUrl} target="_blank" rel="noopener noreferrer nofollow">{f.sourceUrl}</a>
        </p>
      ) : null}
      <div className="muted small">
        {t('flags.by', f.by, f.client, when(f.at), f.seq)}
      </div>
      {f.status !== 'OPEN' ? (
        <div className="flag-resolution small" data-testid="flag-resolution">
          {f.resolution === 'EDITED'
            ? t('flags.fixedBy', f.editSeq ?? '', f.resolvedBy ?? '', when(f.resolvedAt ?? ''))
            : t('flags.rejectedBy', f.resolvedBy ?? '', when(f.resolvedAt ?? ''))}
          {f.resolutionNote ? <>: {f.resolutionNote}</> : null}
        </div>
      ) : null}
      {f.status === 'OPEN' && mode === 'none' ? (
        <div className="flag-actions">
          <button type="button" data-testid="flag-edited" onClick={() => setMode('edited')}>{t('flags.markEdited')}</button>
          <button type="button" data-testid="flag-reject" onClick={() => setMode('reject')}>{t('flags.reject')}</button>
        </div>
      ) : null}
      {mode !== 'none' ? (
        <form
          className="flag-form"
          onSubmit={(e) => {
            e.preventDefault();
            void resolve(mode === 'edited' ? 'EDITED' : 'REJECTED');
          }}
        >
          {mode === 'edited' ? (
            <label>
              <span>{t('flags.whichChange')}</span>
              {edits?.data?.length ? (
                <select value={seq} onChange={(e) => setSeq(e.target.value)} data-testid="flag-edit-choice">
                  {edits.data.map((c) => (
                    <option key={c.seq} value={c.seq}>
                      #{c.seq} {c.operation} {c.recordId ?? ''} {t('flags.by2', c.author ?? '?')} · {when(c.at)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  data-testid="flag-edit-seq"
                  inputMode="numeric"
                  value={seq}
                  placeholder={edits && !edits.error ? t('flags.noEditSince') : t('flags.changeNo')}
                  onChange={(e) => setSeq(e.target.value)}
                />
              )}
            </label>
          ) : null}
          <label>
            <span>{mode === 'reject' ? t('flags.why') : t('flags.noteOptional')}</span>
            <textarea
              data-testid="flag-resolution-note"
              rows={3}
              maxLength={MAX_NOTE}
              required={mode === 'reject'}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {error ? <p className="error" role="alert" data-testid="flag-resolve-error">{error}</p> : null}
          <div className="flag-actions">
            <button
              type="submit"
              data-testid="flag-resolve-submit"
              disabled={busy || (mode === 'reject' ? !note.trim() : !seq.trim())}
            >
              {mode === 'reject' ? t('flags.reject') : t('flags.markFixed')}
            </button>
            <button type="button" className="link" onClick={() => setMode('none')}>{t('flag.cancel')}</button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
