// A co-op's constitution in readable form: its bodies (who sits in them, how
// votes are weighed) and, for every kind of matter, who decides and by which
// rule, in plain sentences; with a link to download the TOML text itself.
import { ApiError, endpoints, governance, type ConstitutionBody, type Org } from '../api';
import { useI18n, type Translate } from '../i18n';
import { formatMoney } from '../money';
import { Breadcrumbs, ErrorBox, Loading, PageHeading, useAsync, usePageTitle } from '../ui';
import { domainLabel, domainSentence, labelOf, listOf, plural } from './gov_words';

function bodyLines(t: Translate, b: ConstitutionBody, org: Org, bodyName: (k: string) => string, locale: string) {
  const lines: string[] = [];
  lines.push(labelOf(t, 'bodyKind', b.kind));
  if (b.seats > 0) {
    lines.push(
      b.elected_by
        ? t('constitution.seatsElected', { seats: plural(t, 'rule.seats', b.seats, locale), by: bodyName(b.elected_by) })
        : plural(t, 'rule.seats', b.seats, locale),
    );
  } else {
    lines.push(b.weights === 'delegate' ? t('constitution.delegates') : t('constitution.oneMemberOneVote'));
  }
  const e = b.electorate ?? {};
  const className = (code: string) => org.classes.find((c) => c.code === code)?.name ?? code;
  if (e.classes && e.classes.length > 0) {
    lines.push(t('constitution.classes', { classes: listOf(e.classes.map(className), locale) }));
  }
  if (e.min_age) lines.push(t('constitution.minAge', { n: e.min_age }));
  if (e.min_tenure_days) lines.push(plural(t, 'constitution.minTenure', e.min_tenure_days, locale));
  if (e.candidate_min_tenure_days)
    lines.push(plural(t, 'constitution.candidateTenure', e.candidate_min_tenure_days, locale));
  if (e.min_yearly_spend_minor)
    lines.push(t('constitution.minSpend', { amount: formatMoney(e.min_yearly_spend_minor, org.currency, locale) }));
  for (const c of b.chambers ?? []) {
    lines.push(t('constitution.chamber', { seats: plural(t, 'rule.seats', c.seats, locale), class: className(c.class) }));
  }
  lines.push(
    b.proxies ? t('constitution.proxies', { n: b.max_proxies_per_holder }) : t('constitution.noProxies'),
  );
  return lines;
}

export function ConstitutionPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, formatLocale } = useI18n();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const doc = useAsync(() => governance.constitution(orgId), [orgId]);
  usePageTitle(org.data ? t('constitution.title', { name: org.data.name }) : undefined);

  if ((org.loading && !org.data) || (doc.loading && !doc.data)) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const none = doc.error instanceof ApiError && doc.error.status === 404;

  return (
    <article class="constitution" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('constitution.title', { name: o.name })}</PageHeading>
      <p>
        <a href={`/orgs/${o.id}/decisions`}>{t('gov.decisionsLink')}</a>
      </p>
      {none && <p class="card muted">{t('constitution.none')}</p>}
      {!none && doc.error !== undefined && <ErrorBox error={doc.error} onRetry={doc.reload} />}
      {doc.data && <ConstitutionBodyView org={o} doc={doc.data} t={t} locale={formatLocale} />}
    </article>
  );
}

function ConstitutionBodyView({
  org,
  doc,
  t,
  locale,
}: {
  org: Org;
  doc: NonNullable<Awaited<ReturnType<typeof governance.constitution>>>;
  t: Translate;
  locale: string;
}) {
  const c = doc.constitution;
  const bodyName = (key: string) => c.bodies.find((b) => b.key === key)?.name ?? key;
  return (
    <>
      <p class="lead">{c.name}</p>
      <p class="muted small">
        {t('constitution.version', { n: doc.version })}
        {doc.adopted_by_proposal && (
          <>
            {' · '}
            <a href={`/proposals/${doc.adopted_by_proposal}`}>{t('constitution.adoptedBy')}</a>
          </>
        )}
      </p>
      <p>
        <a class="btn" href={governance.constitutionTomlUrl(org.id)} download={`constitution-${org.slug || org.id}.toml`}>
          {t('constitution.download')}
        </a>
      </p>

      <section aria-labelledby="bodies-title">
        <h2 id="bodies-title">{t('constitution.bodies')}</h2>
        <ul class="gov-list">
          {c.bodies.map((b) => (
            <li key={b.key} class="card" data-body={b.key}>
              <h3 class="h3">{b.name}</h3>
              <p>{bodyLines(t, b, org, bodyName, locale).join(' · ')}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="domains-title">
        <h2 id="domains-title">{t('constitution.whoDecides')}</h2>
        <ul class="gov-list">
          {c.domains.map((d) => (
            <li key={d.key} class="card domain-rule" data-domain={d.key}>
              {domainSentence(t, d, bodyName, locale)}
            </li>
          ))}
        </ul>
      </section>

      {c.reserved && c.reserved.length > 0 && (
        <section aria-labelledby="reserved-title">
          <h2 id="reserved-title">{t('constitution.reservedTitle')}</h2>
          <p>
            {t('constitution.reserved', { domains: listOf(c.reserved.map((k) => domainLabel(t, k)), locale) })}
          </p>
        </section>
      )}
    </>
  );
}
