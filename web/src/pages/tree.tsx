// The federation tree: the roots from GET /federations, each node opening its
// member organisations from GET /orgs/{id}/children on demand. Nested lists
// with disclosure buttons (aria-expanded) rather than an ARIA tree widget, so
// ordinary Tab/Enter navigation is all a keyboard user needs. Opened nodes and
// loaded children survive a visit to an org page and back (per browser tab).
import { useEffect, useState } from 'preact/hooks';
import { endpoints, type OrgSummary, type Page } from '../api';
import { useI18n } from '../i18n';
import { ErrorBox, Loading, PageHeading, useAsync, useLabels, usePageTitle } from '../ui';

const EXPANDED_KEY = 'agora.tree.expanded';
const childCache = new Map<number, Page<OrgSummary>>();

function loadExpanded(): Set<number> | null {
  try {
    const raw = sessionStorage.getItem(EXPANDED_KEY);
    if (raw) return new Set((JSON.parse(raw) as unknown[]).filter((x): x is number => typeof x === 'number'));
  } catch {
    // Unreadable or disabled storage: start collapsed.
  }
  return null;
}

let expanded: Set<number> | null = null;
function setExpanded(id: number, open: boolean) {
  expanded ??= loadExpanded() ?? new Set();
  if (open) expanded.add(id);
  else expanded.delete(id);
  try {
    sessionStorage.setItem(EXPANDED_KEY, JSON.stringify([...expanded]));
  } catch {
    // Not remembered; harmless.
  }
}
function isExpanded(id: number): boolean {
  expanded ??= loadExpanded() ?? new Set();
  return expanded.has(id);
}

function childCount(o: OrgSummary): number | undefined {
  return o.counts?.children ?? o.children_count;
}

function Node({ org, level }: { org: OrgSummary; level: number }) {
  const { t, errorText } = useI18n();
  const labels = useLabels();
  const [open, setOpen] = useState(() => isExpanded(org.id));
  const [page, setPage] = useState<Page<OrgSummary> | undefined>(() => childCache.get(org.id));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const count = childCount(org);
  const leaf = count === 0;
  const listId = `children-${org.id}`;

  const load = async (after: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const next = await endpoints.children(org.id, after);
      const merged =
        after && page ? { items: [...page.items, ...next.items], next_after: next.next_after } : next;
      childCache.set(org.id, merged);
      setPage(merged);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (open && !page && !busy) void load(null);
    // Only when the node opens; `load` itself changes `page`.
  }, [open]);

  const toggle = () => {
    setOpen(!open);
    setExpanded(org.id, !open);
  };

  return (
    <li class="tree-node" data-org-id={org.id} data-kind={org.kind}>
      <div class="tree-row" style={{ '--level': level }}>
        {leaf ? (
          <span class="tree-toggle-spacer" aria-hidden="true" />
        ) : (
          <button
            type="button"
            class="tree-toggle"
            aria-expanded={open}
            aria-controls={listId}
            aria-label={t(open ? 'tree.collapse' : 'tree.expand', { name: org.name })}
            onClick={toggle}
          >
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M5 3l6 5-6 5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
          </button>
        )}
        <a class="tree-link" href={`/orgs/${org.id}`}>
          <span class="tree-name">{org.name}</span>
          <span class="tree-meta">
            {labels.kind(org.kind)}
            {org.territory ? ` · ${org.territory}` : ''}
          </span>
        </a>
      </div>
      {open && !leaf && (
        <div id={listId}>
          {page && page.items.length > 0 && (
            <ul class="tree-list">
              {page.items.map((c) => (
                <Node key={c.id} org={c} level={level + 1} />
              ))}
            </ul>
          )}
          {page && page.items.length === 0 && (
            <p class="tree-empty muted small" style={{ '--level': level + 1 }}>
              {t('tree.empty')}
            </p>
          )}
          {busy && (
            <p class="tree-empty muted small" role="status" style={{ '--level': level + 1 }}>
              {t('common.loading')}
            </p>
          )}
          {error !== null && (
            <div class="alert alert-error tree-empty" role="alert" style={{ '--level': level + 1 }}>
              {errorText(error)}{' '}
              <button type="button" class="btn btn-small" onClick={() => void load(page?.next_after ?? null)}>
                {t('common.retry')}
              </button>
            </div>
          )}
          {page?.next_after != null && !busy && (
            <button
              type="button"
              class="btn btn-small tree-more"
              style={{ '--level': level + 1 }}
              onClick={() => void load(page.next_after)}
            >
              {t('common.more')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

export function TreePage() {
  const { t } = useI18n();
  usePageTitle(t('tree.title'));
  const roots = useAsync(async () => {
    const page = await endpoints.federations();
    // A lone root is opened on the first visit: there is nothing else to choose.
    if (page.items.length === 1 && loadExpanded() === null) setExpanded(page.items[0]!.id, true);
    return page;
  }, []);

  return (
    <section>
      <PageHeading>{t('tree.title')}</PageHeading>
      <p class="lead">{t('tree.intro')}</p>
      {roots.loading && !roots.data && <Loading />}
      {roots.error !== undefined && <ErrorBox error={roots.error} onRetry={roots.reload} />}
      {roots.data && roots.data.items.length === 0 && <p>{t('tree.none')}</p>}
      {roots.data && roots.data.items.length > 0 && (
        <ul class="tree card" aria-label={t('tree.title')}>
          {roots.data.items.map((o) => (
            <Node key={o.id} org={o} level={0} />
          ))}
        </ul>
      )}
    </section>
  );
}
