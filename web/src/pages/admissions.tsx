// The admissions queue of a co-op for its coordinators: each pending
// application can be admitted, or rejected with a reason (kept in the
// membership's history). Handled applications leave the list at once.
import { useState } from 'preact/hooks';
import { endpoints, type MemberRow, type Org } from '../api';
import { useI18n } from '../i18n';
import { formatMoney, multiplyMinor } from '../money';
import { rowClass, rowEmail, rowName } from '../rows';
import { Breadcrumbs, ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle } from '../ui';

function Application({ row, org, onHandled }: { row: MemberRow; org: Org; onHandled: (msg: string) => void }) {
  const { t, errorText, formatLocale } = useI18n();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = rowName(row);
  const email = rowEmail(row);
  const classCode = typeof row.class === 'string' ? row.class : row.class?.code;
  const cls = org.classes.find((c) => c.code === classCode);
  const headingId = `app-${row.id}`;
  // What the applicant asked for; `shares` counts only shares already in the register.
  const shares = row.requested_shares ?? row.shares ?? null;

  const act = async (fn: () => Promise<unknown>, msg: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onHandled(msg);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <li class="card application" data-membership-id={row.id} aria-labelledby={headingId}>
      <h2 id={headingId} class="h3">
        {name}
      </h2>
      <dl class="facts compact">
        {email && (
          <div>
            <dt>{t('members.contact')}</dt>
            <dd>
              <a href={`mailto:${email}`}>{email}</a>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('members.class')}</dt>
          <dd>{rowClass(row) || '—'}</dd>
        </div>
        <div>
          <dt>{t('members.shares')}</dt>
          <dd>
            {shares != null ? shares.toLocaleString(formatLocale) : '—'}
            {cls && shares != null && (
              <span class="muted"> · {formatMoney(multiplyMinor(cls.share_price_minor, shares), org.currency, formatLocale)}</span>
            )}
          </dd>
        </div>
        {row.message && (
          <div class="wide">
            <dt>{t('admissions.message')}</dt>
            <dd class="message">{row.message}</dd>
          </div>
        )}
      </dl>
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error)}
        </div>
      )}
      {!rejecting ? (
        <div class="actions">
          <button
            type="button"
            class="btn btn-primary"
            disabled={busy}
            onClick={() => act(() => endpoints.admit(row.id), t('admissions.admitted', { name }))}
          >
            {t('admissions.admit')}
          </button>
          <button type="button" class="btn btn-danger-ghost" disabled={busy} onClick={() => setRejecting(true)}>
            {t('admissions.reject')}
          </button>
        </div>
      ) : (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => endpoints.reject(row.id, reason.trim()), t('admissions.rejected', { name }));
          }}
        >
          <div class="field">
            <label for={`reason-${row.id}`}>{t('admissions.reason')}</label>
            <textarea
              id={`reason-${row.id}`}
              rows={2}
              required
              maxLength={2000}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
              // Opened on purpose by the user, so focus goes straight to the reason.
              autoFocus
            />
          </div>
          <div class="actions">
            <button type="submit" class="btn btn-danger" disabled={busy || reason.trim() === ''}>
              {t('admissions.confirmReject')}
            </button>
            <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

export function AdmissionsPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t } = useI18n();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const [after, setAfter] = useState<number | null>(null);
  const page = useAsync(() => endpoints.applications(orgId, after), [orgId, after]);
  const [handled, setHandled] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const title = org.data ? t('admissions.title', { name: org.data.name }) : t('org.admissions');
  usePageTitle(title);

  const rows = (page.data?.items ?? []).filter((r) => !handled.has(r.id) && (r.status ?? 'applied') === 'applied');

  return (
    <section>
      {org.data && <Breadcrumbs path={org.data.path} current={org.data} />}
      <PageHeading>{title}</PageHeading>
      {notice && <Notice>{notice}</Notice>}
      {(page.loading || org.loading) && <Loading />}
      {org.error !== undefined && <ErrorBox error={org.error} onRetry={org.reload} />}
      {page.error !== undefined && <ErrorBox error={page.error} onRetry={page.reload} />}
      {page.data && org.data && rows.length === 0 && !page.loading && <p class="muted">{t('admissions.none')}</p>}
      {org.data && rows.length > 0 && (
        <ul class="applications">
          {rows.map((r) => (
            <Application
              key={r.id}
              row={r}
              org={org.data!}
              onHandled={(msg) => {
                setHandled(new Set(handled).add(r.id));
                setNotice(msg);
              }}
            />
          ))}
        </ul>
      )}
      {page.data?.next_after != null && (
        <p>
          <button type="button" class="btn" onClick={() => setAfter(page.data!.next_after)}>
            {t('common.next')} ›
          </button>
        </p>
      )}
    </section>
  );
}
