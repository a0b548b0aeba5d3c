// Small shared pieces of the interface: loading an API resource into state,
// error and status boxes, breadcrumbs, labels for kinds, statuses and roles.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKey } from './i18n/en';
import { useI18n } from './i18n';
import type { OrgRef } from './api';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

// Runs `load` whenever `deps` change (dropping the old data, which belongs to
// other deps) and on reload() (keeping it on screen meanwhile); ignores answers
// that arrive after a newer request started.
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const seq = useRef(0);
  const run = useCallback((keep: boolean) => {
    const mine = ++seq.current;
    setState((s) => ({ data: keep ? s.data : undefined, error: undefined, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, error: undefined, loading: false }),
      (error) => mine === seq.current && setState({ data: undefined, error, loading: false }),
    );
  }, deps);
  useEffect(() => run(false), [run]);
  return { ...state, reload: () => run(true) };
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, errorText } = useI18n();
  return (
    <div class="alert alert-error" role="alert">
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'ok' }: { children: ComponentChildren; kind?: 'ok' | 'info' }) {
  return (
    <div class={`alert alert-${kind}`} role="status" aria-live="polite">
      {children}
    </div>
  );
}

export function Breadcrumbs({ path, current }: { path: OrgRef[]; current?: OrgRef }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('common.breadcrumbs')} class="breadcrumbs">
      <ol>
        <li>
          <a href="/">{t('nav.tree')}</a>
        </li>
        {path.map((p) => (
          <li key={p.id}>
            <a href={`/orgs/${p.id}`}>{p.name}</a>
          </li>
        ))}
        {current && (
          <li>
            <a href={`/orgs/${current.id}`} aria-current="page">
              {current.name}
            </a>
          </li>
        )}
      </ol>
    </nav>
  );
}

export function useLabels() {
  const { t } = useI18n();
  const lookup = (prefix: string, value: string | undefined | null) => {
    if (!value) return '';
    const key = `${prefix}.${value}` as MessageKey;
    const s = t(key);
    return s === key ? value : s;
  };
  return {
    kind: (k: string | undefined | null) => lookup('kind', k),
    status: (s: string | undefined | null) => lookup('status', s),
    role: (r: string | undefined | null) => lookup('role', r),
  };
}

export function StatusBadge({ status }: { status: string }) {
  const labels = useLabels();
  return <span class={`badge badge-${status}`}>{labels.status(status)}</span>;
}

// Sets the document title and moves focus to the page's heading after a route
// change, so screen-reader users hear where they arrived.
export function usePageTitle(title: string | undefined) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
}

export function PageHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) {
      ref.current?.focus({ preventScroll: true });
    }
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

// A chart legend's colour key: a small rounded square, hidden from screen
// readers (the label beside it says what the colour stands for).
export function Swatch({ color, size = 10 }: { color: string; size?: number }) {
  return (
    <svg aria-hidden="true" width={size} height={size} viewBox={`0 0 ${size} ${size}`} style={{ flex: 'none' }}>
      <rect width={size} height={size} rx="2" fill={color} />
    </svg>
  );
}
