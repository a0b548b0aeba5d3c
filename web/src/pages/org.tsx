// A co-op's (or federation's) page: what it is, where it sits, its member
// classes and share prices, its member organisations, links for coordinators,
// and the application form for a signed-in person who is not yet a member.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { endpoints, type MemberClass, type Org } from '../api';
import { useI18n } from '../i18n';
import { formatMoney, multiplyMinor } from '../money';
import { canAdmit, canManage, useSession } from '../session';
import {
  Breadcrumbs,
  ErrorBox,
  Loading,
  Notice,
  PageHeading,
  StatusBadge,
  useAsync,
  useLabels,
  usePageTitle,
} from '../ui';

// Federations and secondary co-ops take organisations, not people, as members.
const PERSON_KINDS = new Set(['consumer', 'worker', 'producer', 'multi_stakeholder', 'informal']);
const MAX_SHARES = 1_000_000;

function ApplyForm({ org, onDone }: { org: Org; onDone: (status: string) => void }) {
  const { t, errorText, formatLocale } = useI18n();
  const [code, setCode] = useState(org.classes[0]?.code ?? '');
  const cls: MemberClass | undefined = org.classes.find((c) => c.code === code);
  const min = Math.max(1, cls?.min_shares ?? 1);
  const [sharesText, setSharesText] = useState(String(min));
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    // A new class brings its own minimum.
    setSharesText((s) => (Number(s) < min ? String(min) : s));
  }, [min]);

  const shares = /^\d{1,7}$/.test(sharesText) ? Number(sharesText) : NaN;
  const valid = cls !== undefined && Number.isInteger(shares) && shares >= min && shares <= MAX_SHARES;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!valid || !cls) return;
    setBusy(true);
    setError(null);
    try {
      const m = await endpoints.apply(org.id, cls.code, shares, message.trim() || undefined);
      onDone(m.status);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="apply-title" id="apply">
      <h2 id="apply-title">{t('apply.title')}</h2>
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error, { duplicate: t('apply.duplicate') })}
        </div>
      )}
      <div class="field">
        <label for="apply-class">{t('apply.class')}</label>
        <select id="apply-class" name="class" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
          {org.classes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} — {formatMoney(c.share_price_minor, org.currency, formatLocale)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="apply-shares">{t('apply.shares')}</label>
        <input
          id="apply-shares"
          name="shares"
          type="number"
          inputMode="numeric"
          min={min}
          max={MAX_SHARES}
          step={1}
          required
          value={sharesText}
          onInput={(e) => setSharesText(e.currentTarget.value)}
          aria-describedby="apply-shares-hint apply-total"
          aria-invalid={!valid}
        />
        <p class="hint" id="apply-shares-hint">
          {t('apply.sharesHint', { n: min })}
        </p>
      </div>
      <p class="total" id="apply-total" aria-live="polite">
        {cls && valid
          ? t('apply.total', {
              amount: formatMoney(multiplyMinor(cls.share_price_minor, shares), org.currency, formatLocale),
            })
          : '\u00a0'}
      </p>
      <div class="field">
        <label for="apply-message">{t('apply.message')}</label>
        <textarea
          id="apply-message"
          name="message"
          rows={3}
          maxLength={2000}
          value={message}
          onInput={(e) => setMessage(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="btn btn-primary btn-block" disabled={busy || !valid}>
        {busy ? t('apply.busy') : t('apply.submit')}
      </button>
    </form>
  );
}

export function OrgPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, formatLocale } = useI18n();
  const labels = useLabels();
  const { me, refresh, loading: sessionLoading } = useSession();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const children = useAsync(
    async () => ((org.data?.counts.children ?? 0) > 0 ? endpoints.children(orgId) : null),
    [orgId, org.data?.counts.children],
  );
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(org.data?.name);

  useEffect(() => setNotice(null), [orgId]);

  const scope = useMemo(
    () => (org.data ? [...org.data.path.map((p) => p.id), org.data.id] : []),
    [org.data],
  );

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const mine = me?.memberships.find((m) => m.org.id === o.id && (m.status === 'applied' || m.status === 'active'));
  const manage = canManage(me, scope);
  const admit = canAdmit(me, scope);
  // The treasury: coordinators and auditors (also from above), and the co-op's own treasurers.
  const treasury = manage || !!me?.roles.some((r) => r.org_id === o.id && r.role === 'treasurer');
  const takesPeople = PERSON_KINDS.has(o.kind) && o.classes.length > 0;

  return (
    <article class="org" data-org-id={o.id}>
      <Breadcrumbs path={o.path} />
      <PageHeading>{o.name}</PageHeading>
      <p class="kind-line">
        <span class={`kind kind-${o.kind}`}>{labels.kind(o.kind)}</span>
        {o.territory && <span class="muted"> · {o.territory}</span>}
      </p>

      {notice && <Notice>{notice}</Notice>}
      {me && mine && (
        <p class="card membership-status" data-testid="my-status">
          {t('apply.yourStatus')}: <StatusBadge status={mine.status} />
        </p>
      )}

      <dl class="facts card">
        <div>
          <dt>{t('org.admission')}</dt>
          <dd>{o.admission === 'automatic' ? t('org.admission.automatic') : t('org.admission.coordinator')}</dd>
        </div>
        <div>
          <dt>{t('org.currency')}</dt>
          <dd>{o.currency}</dd>
        </div>
        <div>
          <dt>{t('org.members')}</dt>
          <dd data-testid="count-members">
            {/* Active members may read the list too (names and member numbers only). */}
            {manage || mine?.status === 'active' ? (
              <a href={`/orgs/${o.id}/members`}>{o.counts.members.toLocaleString(formatLocale)}</a>
            ) : (
              o.counts.members.toLocaleString(formatLocale)
            )}
          </dd>
        </div>
        <div>
          <dt>{t('org.children')}</dt>
          <dd data-testid="count-children">{o.counts.children.toLocaleString(formatLocale)}</dd>
        </div>
      </dl>

      {treasury && (
        <section class="card manage" aria-labelledby="manage-title">
          <h2 id="manage-title">{t('org.manage')}</h2>
          <div class="actions">
            {manage && (
              <a class="btn" href={`/orgs/${o.id}/members`}>
                {t('org.memberList')}
              </a>
            )}
            <a class="btn" href={`/orgs/${o.id}/treasury`} data-testid="treasury-link">
              {t('org.treasury')}
            </a>
            {manage && (
              <a class="btn" href={`/orgs/${o.id}/market`} data-testid="market-link">
                {t('org.market')}
              </a>
            )}
            {manage && o.kind === 'producer' && (
              <a class="btn" href={`/orgs/${o.id}/producer`} data-testid="producer-link">
                {t('org.producer')}
              </a>
            )}
            {admit && o.admission === 'coordinator' && (
              <a class="btn" href={`/orgs/${o.id}/admissions`}>
                {t('org.admissions')}
              </a>
            )}
          </div>
        </section>
      )}

      <section class="card governance-links" aria-labelledby="governance-title">
        <h2 id="governance-title">{t('org.governance')}</h2>
        <div class="actions">
          <a class="btn" href={`/orgs/${o.id}/decisions`}>
            {t('org.decisions')}
          </a>
          <a class="btn" href={`/orgs/${o.id}/constitution`}>
            {t('org.constitution')}
          </a>
          <a class="btn" href={`/orgs/${o.id}/workplaces`} data-testid="workplaces-link">
            {t('wp.link.workplaces')}
          </a>
          <a class="btn" href={`/orgs/${o.id}/funds`} data-testid="funds-link">
            {t('wp.link.funds')}
          </a>
          <a class="btn" href={`/orgs/${o.id}/budget`} data-testid="budget-link">
            {t('wp.link.budget')}
          </a>
        </div>
      </section>

      <section aria-labelledby="classes-title">
        <h2 id="classes-title">{t('org.classes')}</h2>
        {o.classes.length === 0 ? (
          <p class="muted">{t('org.noClasses')}</p>
        ) : (
          <ul class="classes">
            {o.classes.map((c) => (
              <li key={c.id} class="card class-card">
                <span class="class-name">{c.name}</span>
                <span class="class-price">{formatMoney(c.share_price_minor, o.currency, formatLocale)}</span>
                <span class="muted small">
                  {t('org.minShares')}: {c.min_shares.toLocaleString(formatLocale)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {takesPeople && !sessionLoading && (
        <section aria-label={t('apply.title')} class="apply">
          {!me && (
            <p>
              <a class="btn btn-primary" href={`/login?next=${encodeURIComponent(`/orgs/${o.id}`)}`}>
                {t('apply.loginFirst')}
              </a>
            </p>
          )}
          {me && !mine && (
            <ApplyForm
              org={o}
              onDone={async (status) => {
                setNotice(status === 'active' ? t('apply.admitted') : t('apply.sent'));
                await refresh();
                org.reload();
              }}
            />
          )}
        </section>
      )}

      {o.counts.children > 0 && (
        <section aria-labelledby="children-title">
          <h2 id="children-title">{t('org.subOrgs')}</h2>
          {children.loading && !children.data && <Loading />}
          {children.error !== undefined && <ErrorBox error={children.error} onRetry={children.reload} />}
          {children.data && (
            <ul class="link-list card">
              {children.data.items.map((c) => (
                <li key={c.id} data-org-id={c.id}>
                  <a href={`/orgs/${c.id}`}>{c.name}</a>
                  <span class="muted small"> · {labels.kind(c.kind)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </article>
  );
}
