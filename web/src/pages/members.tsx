// A co-op's member list for its coordinators and auditors: filtered by status,
// paged by the API's `after` cursor (Previous/Next keep a stack of cursors).
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { endpoints } from '../api';
import { useI18n } from '../i18n';
import { rowClass, rowEmail, rowName, rowPhone } from '../rows';
import { Breadcrumbs, ErrorBox, Loading, PageHeading, StatusBadge, useAsync, useLabels, usePageTitle } from '../ui';

const STATUSES = ['active', 'applied', 'left', 'expelled'] as const;
const PAGE_SIZE = 50;

export function MembersPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, formatLocale } = useI18n();
  const labels = useLabels();
  const { query, route } = useLocation();
  const status = (STATUSES as readonly string[]).includes(query.status ?? '') ? query.status! : 'active';
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const page = useAsync(() => endpoints.members(orgId, status, after, PAGE_SIZE), [orgId, status, after]);
  usePageTitle(org.data ? t('members.title', { name: org.data.name }) : undefined);

  useEffect(() => setCursors([null]), [orgId, status]);

  const rows = page.data?.items ?? [];
  const showContact = rows.some((r) => rowEmail(r) || rowPhone(r));

  return (
    <section>
      {org.data && <Breadcrumbs path={org.data.path} current={org.data} />}
      <PageHeading>{org.data ? t('members.title', { name: org.data.name }) : t('org.memberList')}</PageHeading>

      <div class="toolbar">
        <label for="member-status">{t('members.filter')}</label>
        <select
          id="member-status"
          value={status}
          onChange={(e) => route(`/orgs/${orgId}/members?status=${e.currentTarget.value}`, true)}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {labels.status(s)}
            </option>
          ))}
        </select>
      </div>

      {page.loading && <Loading />}
      {page.error !== undefined && <ErrorBox error={page.error} onRetry={page.reload} />}
      {page.data && rows.length === 0 && <p class="muted">{t('members.none')}</p>}
      {rows.length > 0 && (
        <table class="rows">
          <thead>
            <tr>
              <th scope="col">{t('members.number')}</th>
              <th scope="col">{t('members.name')}</th>
              <th scope="col">{t('members.class')}</th>
              <th scope="col" class="num">
                {t('members.shares')}
              </th>
              {showContact && <th scope="col">{t('members.contact')}</th>}
              <th scope="col">{t('members.filter')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-membership-id={r.id}>
                <td data-label={t('members.number')}>{r.member_number ?? '—'}</td>
                <th scope="row" data-label={t('members.name')}>
                  {rowName(r)}
                </th>
                <td data-label={t('members.class')}>{rowClass(r) || '—'}</td>
                <td data-label={t('members.shares')} class="num">
                  {r.shares != null ? r.shares.toLocaleString(formatLocale) : '—'}
                </td>
                {showContact && (
                  <td data-label={t('members.contact')}>
                    {rowEmail(r) && <a href={`mailto:${rowEmail(r)}`}>{rowEmail(r)}</a>}
                    {rowPhone(r) && <div>{rowPhone(r)}</div>}
                  </td>
                )}
                <td data-label={t('members.filter')}>
                  <StatusBadge status={r.status ?? status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {(cursors.length > 1 || page.data?.next_after != null) && (
        <nav class="pager" aria-label={t('org.memberList')}>
          <button
            type="button"
            class="btn"
            disabled={cursors.length <= 1 || page.loading}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            ‹ <span>{t('common.previous')}</span>
          </button>
          <span class="muted small" aria-live="polite">
            {t('common.pageN', { n: cursors.length })}
          </span>
          <button
            type="button"
            class="btn"
            disabled={page.data?.next_after == null || page.loading}
            onClick={() => page.data?.next_after != null && setCursors([...cursors, page.data.next_after])}
          >
            <span>{t('common.next')}</span> ›
          </button>
        </nav>
      )}
    </section>
  );
}
