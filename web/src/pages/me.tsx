// A person's own page: their memberships (status, member number, class,
// shares) and the roles they hold, read fresh from GET /api/v1/me.
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { Loading, PageHeading, StatusBadge, useLabels, usePageTitle } from '../ui';

export function MePage() {
  const { t, formatLocale } = useI18n();
  const labels = useLabels();
  const { me, loading, refresh } = useSession();
  const { route } = useLocation();
  usePageTitle(t('me.title'));

  // Memberships change when a coordinator acts elsewhere: re-read on each visit.
  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!loading && !me) route(`/login?next=${encodeURIComponent('/me')}`, true);
  }, [loading, me]);

  if (!me) return <Loading />;
  const name = [me.person.given_name, me.person.family_name].filter(Boolean).join(' ');

  return (
    <section>
      <PageHeading>{name || t('me.title')}</PageHeading>
      <p class="muted">
        {me.person.email}
        {me.account.admin && <span class="badge badge-admin"> {t('me.admin')}</span>}
      </p>

      <h2>{t('me.memberships')}</h2>
      {me.memberships.length === 0 ? (
        <p>
          {t('me.none')} <a href="/">{t('me.findCoop')}</a>
        </p>
      ) : (
        <ul class="memberships">
          {me.memberships.map((m) => (
            <li key={m.id} class="card membership" data-membership-id={m.id} data-org-id={m.org.id} data-status={m.status}>
              <div class="membership-head">
                <a href={`/orgs/${m.org.id}`} class="membership-org">
                  {m.org.name}
                </a>
                <StatusBadge status={m.status} />
              </div>
              <dl class="facts compact">
                {m.org.kind && (
                  <div>
                    <dt>{t('org.kind')}</dt>
                    <dd>{labels.kind(m.org.kind)}</dd>
                  </div>
                )}
                <div>
                  <dt>{t('members.number')}</dt>
                  <dd data-testid="member-number">{m.member_number ?? '—'}</dd>
                </div>
                <div>
                  <dt>{t('members.class')}</dt>
                  <dd>{m.class?.name ?? '—'}</dd>
                </div>
                <div>
                  <dt>{t('members.shares')}</dt>
                  <dd data-testid="shares">{m.shares != null ? m.shares.toLocaleString(formatLocale) : '—'}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}

      <p>
        <a href="/me/proxies">{t('me.proxies')}</a>
      </p>
      <p>
        <a href="/market">{t('me.market')}</a> · <a href="/me/orders">{t('market.myOrders')}</a>
      </p>

      <h2>{t('me.roles')}</h2>
      {me.roles.length === 0 ? (
        <p class="muted">{t('me.noRoles')}</p>
      ) : (
        <ul class="link-list card">
          {me.roles.map((r) => (
            <li key={`${r.org_id}-${r.role}`}>
              <strong>{labels.role(r.role)}</strong> · <a href={`/orgs/${r.org_id}`}>{r.org_name}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
