// A member's proxies: those they gave (and may revoke) and those they hold,
// from GET /api/v1/me/proxies, and a form to give one for a body of one of
// their co-ops (only bodies whose constitution allows proxies) to a fellow
// member, picked from the member list, or by person number when the list
// cannot be read. ?org=&body=&proposal= prefill the form (the proposal page
// links here).
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, endpoints, governance, governanceWrite, type ProxyRow } from '../api';
import { useI18n } from '../i18n';
import { rowName } from '../rows';
import { useSession } from '../session';
import { ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle } from '../ui';
import { formatDateTime, labelOf } from './gov_words';
import { ServerDetail } from './proposal_new';

const MEMBER_LIST_LIMIT = 200;

function ProxyList({
  rows,
  who,
  orgName,
  onRevoke,
  busyId,
}: {
  rows: ProxyRow[];
  who: 'holder' | 'grantor';
  orgName: (id: number) => string;
  onRevoke?: (p: ProxyRow) => void;
  busyId: number | null;
}) {
  const { t, formatLocale } = useI18n();
  return (
    <ul class="gov-list proxies">
      {rows.map((p) => {
        const person = who === 'holder' ? p.holder : p.grantor;
        return (
          <li key={p.id} class="card proxy-row" data-proxy-id={p.id} data-revoked={p.revoked_at ? 'true' : 'false'}>
            <p>
              <strong>{person?.name ?? `#${person?.person_id ?? '?'}`}</strong>
              {p.revoked_at && <span class="badge badge-left"> {t('proxies.revoked')}</span>}
            </p>
            <p class="small muted">
              {orgName(p.org_id)} · {labelOf(t, 'bodyKind', p.body_key, p.body_key.replace(/_/g, ' '))}
              {p.proposal_id && (
                <>
                  {' · '}
                  <a href={`/proposals/${p.proposal_id}`}>{t('proxies.onlyProposal', { id: p.proposal_id })}</a>
                </>
              )}
            </p>
            <p class="small muted">
              {p.revoked_at
                ? t('proxies.revokedAt', { when: formatDateTime(p.revoked_at, formatLocale) })
                : t('proxies.since', { when: formatDateTime(p.granted_at, formatLocale) })}
            </p>
            {onRevoke && !p.revoked_at && (
              <button type="button" class="btn btn-small btn-danger-ghost" disabled={busyId === p.id} onClick={() => onRevoke(p)}>
                {t('proxies.revoke')}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function GiveForm({ onGiven }: { onGiven: () => void }) {
  const { t, errorText } = useI18n();
  const { me } = useSession();
  const { query } = useLocation();
  const coops = (me?.memberships ?? []).filter((m) => m.status === 'active');
  const initialOrg = coops.some((m) => String(m.org.id) === query.org) ? Number(query.org) : (coops[0]?.org.id ?? 0);
  const [orgId, setOrgId] = useState(initialOrg);
  const [bodyKey, setBodyKey] = useState(query.body ?? '');
  const [holder, setHolder] = useState('');
  const proposalId = Number(query.proposal) > 0 ? Number(query.proposal) : 0;
  const [onlyProposal, setOnlyProposal] = useState(proposalId > 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const doc = useAsync(async () => (orgId ? governance.constitution(orgId) : null), [orgId]);
  const members = useAsync(async () => (orgId ? endpoints.members(orgId, 'active', null, MEMBER_LIST_LIMIT) : null), [orgId]);
  const bodies = (doc.data?.constitution.bodies ?? []).filter((b) => b.proxies);
  useEffect(() => {
    if (doc.data && !bodies.some((b) => b.key === bodyKey)) setBodyKey(bodies[0]?.key ?? '');
  }, [doc.data]);
  useEffect(() => setHolder(''), [orgId]);

  if (coops.length === 0) return <p class="muted">{t('proxies.noCoop')}</p>;
  // A member list that cannot be read, or is longer than one page: enter a person number.
  const byNumber = members.error !== undefined || (members.data?.next_after ?? null) !== null;
  const choices = (members.data?.items ?? []).filter((r) => r.person?.id && r.person.id !== me?.person.id);
  const body = bodies.find((b) => b.key === bodyKey);

  const submit = async (e: Event) => {
    e.preventDefault();
    const h = Number(holder);
    if (!orgId || !bodyKey || !(h > 0)) return;
    setBusy(true);
    setError(null);
    try {
      await governanceWrite.grantProxy(orgId, bodyKey, h, onlyProposal && proposalId ? proposalId : undefined);
      setHolder('');
      onGiven();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form give-proxy" onSubmit={submit}>
      <div class="field">
        <label for="px-org">{t('proxies.coop')}</label>
        <select id="px-org" value={String(orgId)} onChange={(e) => setOrgId(Number(e.currentTarget.value))}>
          {coops.map((m) => (
            <option key={m.org.id} value={String(m.org.id)}>
              {m.org.name}
            </option>
          ))}
        </select>
      </div>
      {doc.loading && !doc.data && <Loading />}
      {doc.error !== undefined && (
        <p class="muted">{doc.error instanceof ApiError && doc.error.status === 404 ? t('constitution.none') : t('common.error')}</p>
      )}
      {doc.data && bodies.length === 0 && <p class="muted">{t('proxies.noBody')}</p>}
      {bodies.length > 0 && (
        <>
          <div class="field">
            <label for="px-body">{t('proxies.body')}</label>
            <select id="px-body" value={bodyKey} onChange={(e) => setBodyKey(e.currentTarget.value)}>
              {bodies.map((b) => (
                <option key={b.key} value={b.key}>
                  {b.name}
                </option>
              ))}
            </select>
            {body && body.max_proxies_per_holder > 0 && (
              <p class="hint">{t('proxies.maxHint', { n: body.max_proxies_per_holder })}</p>
            )}
          </div>
          {byNumber ? (
            <div class="field">
              <label for="px-holder">{t('proxies.holderNumber')}</label>
              <input
                id="px-holder"
                type="number"
                inputMode="numeric"
                min={1}
                value={holder}
                onInput={(e) => setHolder(e.currentTarget.value)}
              />
            </div>
          ) : (
            <div class="field">
              <label for="px-holder">{t('proxies.holder')}</label>
              <select id="px-holder" value={holder} onChange={(e) => setHolder(e.currentTarget.value)}>
                <option value="">{t('proxies.pickHolder')}</option>
                {choices.map((r) => (
                  <option key={r.id} value={String(r.person!.id)}>
                    {rowName(r)}
                    {r.member_number != null ? ` (${r.member_number})` : ''}
                  </option>
                ))}
              </select>
            </div>
          )}
          {proposalId > 0 && (
            <label class="choice">
              <input type="checkbox" checked={onlyProposal} onChange={(e) => setOnlyProposal(e.currentTarget.checked)} />{' '}
              {t('proxies.onlyThis', { id: proposalId })}
            </label>
          )}
          {error !== null && (
            <div class="alert alert-error" role="alert">
              <p>{errorText(error, { duplicate: t('proxies.already') })}</p>
              <ServerDetail error={error} />
            </div>
          )}
          <button type="submit" class="btn btn-primary" disabled={busy || !bodyKey || !(Number(holder) > 0)}>
            {t('proxies.give')}
          </button>
        </>
      )}
    </form>
  );
}

export function ProxiesPage() {
  const { t, errorText } = useI18n();
  const { me, loading } = useSession();
  const { route, url } = useLocation();
  const list = useAsync(async () => (me ? governanceWrite.myProxies() : null), [me?.account.id]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  usePageTitle(t('proxies.title'));

  useEffect(() => {
    if (!loading && !me) route(`/login?next=${encodeURIComponent(url)}`, true);
  }, [loading, me]);
  if (!me) return <Loading />;

  const names = new Map<number, string>(me.memberships.map((m) => [m.org.id, m.org.name]));
  const orgName = (id: number) => names.get(id) ?? `#${id}`;
  const given = list.data?.given ?? [];
  const held = list.data?.held ?? [];
  const revoke = async (p: ProxyRow) => {
    setBusyId(p.id);
    setError(null);
    setNotice(null);
    try {
      await governanceWrite.revokeProxy(p.id);
      setNotice(t('proxies.revokedMsg'));
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section class="proxies-page">
      <p class="small">
        <a href="/me">{t('me.title')}</a>
      </p>
      <PageHeading>{t('proxies.title')}</PageHeading>
      <p class="muted">{t('proxies.lead')}</p>
      {notice && <Notice>{notice}</Notice>}
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error)}
        </div>
      )}
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}

      <h2>{t('proxies.given')}</h2>
      {list.data && given.length === 0 && <p class="muted">{t('proxies.noneGiven')}</p>}
      {given.length > 0 && <ProxyList rows={given} who="holder" orgName={orgName} onRevoke={revoke} busyId={busyId} />}

      <h2>{t('proxies.held')}</h2>
      {list.data && held.length === 0 && <p class="muted">{t('proxies.noneHeld')}</p>}
      {held.length > 0 && <ProxyList rows={held} who="grantor" orgName={orgName} busyId={busyId} />}

      <h2>{t('proxies.giveTitle')}</h2>
      <GiveForm
        onGiven={() => {
          setNotice(t('proxies.givenMsg'));
          list.reload();
        }}
      />
    </section>
  );
}
