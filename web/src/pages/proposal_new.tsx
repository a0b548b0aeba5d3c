// Writing a proposal: the member picks the matter from the constitution's
// domains (the rule for it is shown in words, as who-decides answers it),
// gives a title and text and, as the method asks, options to choose among
// or the seated body an election fills; a change of the constitution carries
// the whole amended TOML, a joint matter the other organisation. The draft is
// created by POST /api/v1/proposals and the page moves to it, where the
// author gives notice.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, endpoints, governance, governanceWrite, type NewProposal, type WhoDecides } from '../api';
import { useI18n } from '../i18n';
import { canManage, useSession } from '../session';
import { Breadcrumbs, ErrorBox, Loading, PageHeading, useAsync, usePageTitle } from '../ui';
import { domainLabel, howWords, labelOf, listOf, ruleDetails } from './gov_words';

const OTHER = '*';
const FIXED_OPTIONS = new Set(['majority', 'consent']);
const SEATED = new Set(['board', 'committee', 'council']);
const MAX_OPTIONS = 100;
const DOMAIN_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

// What the server's answer says beyond its code, for the codes where the
// detail names the broken rule or the bad line of a constitution.
export function ServerDetail({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError) || !error.detail) return null;
  if (!['invalid_value', 'rule_violation', 'bad_file', 'out_of_range'].includes(error.code)) return null;
  return <p class="small">{t('newp.serverSays', { detail: error.detail })}</p>;
}

function OptionsEditor({ options, onChange }: { options: string[]; onChange: (o: string[]) => void }) {
  const { t } = useI18n();
  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= options.length) return;
    const next = [...options];
    [next[i], next[j]] = [next[j], next[i]];
    onChange(next);
  };
  return (
    <fieldset class="field options-editor">
      <legend>{t('newp.options')}</legend>
      <p class="hint">{t('newp.optionsHint')}</p>
      <ol class="option-rows">
        {options.map((o, i) => (
          <li key={i} class="option-row">
            <label class="sr-only" for={`option-${i}`}>
              {t('newp.optionN', { n: i + 1 })}
            </label>
            <input
              id={`option-${i}`}
              type="text"
              maxLength={200}
              value={o}
              onInput={(e) => onChange(options.map((x, k) => (k === i ? e.currentTarget.value : x)))}
            />
            <button
              type="button"
              class="btn btn-small btn-ghost"
              aria-label={t('newp.optionUp', { n: i + 1 })}
              disabled={i === 0}
              onClick={() => move(i, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              class="btn btn-small btn-ghost"
              aria-label={t('newp.optionDown', { n: i + 1 })}
              disabled={i === options.length - 1}
              onClick={() => move(i, 1)}
            >
              ↓
            </button>
            <button
              type="button"
              class="btn btn-small btn-danger-ghost"
              aria-label={t('newp.optionRemove', { n: i + 1 })}
              disabled={options.length <= 2}
              onClick={() => onChange(options.filter((_, k) => k !== i))}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        class="btn btn-small"
        disabled={options.length >= MAX_OPTIONS}
        onClick={() => onChange([...options, ''])}
      >
        {t('newp.optionAdd')}
      </button>
    </fieldset>
  );
}

function RuleInWords({ who }: { who: WhoDecides }) {
  const { t, formatLocale } = useI18n();
  const bodies = listOf(
    who.bodies.map((b) => b.name),
    formatLocale,
  );
  const how = howWords(t, who.method, who.rule, who.seats, formatLocale);
  const rest = ruleDetails(t, who.rule, formatLocale).join(', ');
  return (
    <div class="card rule-preview" data-testid="who-decides" aria-live="polite">
      <p>{t('newp.decidedBy', { bodies, how, rest })}</p>
      {who.joint_with.length > 0 && (
        <p class="small">
          {t('rule.jointWith', {
            bodies: listOf(
              who.joint_with.map((k) => labelOf(t, 'bodyKind', k, k.replace(/_/g, ' '))),
              formatLocale,
            ),
          })}
        </p>
      )}
      {who.two_stage && <p class="small">{t('newp.twoStage', { min: who.two_stage.min_gap_days, max: who.two_stage.max_gap_days })}</p>}
    </div>
  );
}

export function NewProposalPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, errorText } = useI18n();
  const { me, loading: sessionLoading } = useSession();
  const { route, query } = useLocation();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const doc = useAsync(() => governance.constitution(orgId), [orgId]);
  usePageTitle(t('newp.title'));

  const [choice, setChoice] = useState('');
  const [otherKey, setOtherKey] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'motion' | 'election'>('motion');
  const [options, setOptions] = useState<string[]>(['', '']);
  const [electsBody, setElectsBody] = useState('');
  // Other pages link here with what a decision must be about, e.g. a
  // budgeting round's payout: ?domain=fund.budget&subject=budget_round:7.
  const [subject, setSubject] = useState(() => (query.subject ?? '').slice(0, 200));
  const [counterparty, setCounterparty] = useState('');
  const [toml, setToml] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const domain = choice === OTHER ? otherKey.trim() : choice;
  const domainOk = domain !== '' && domain !== OTHER && DOMAIN_PATTERN.test(domain) && domain.length <= 100;
  const who = useAsync(async () => (domainOk ? governanceWrite.whoDecides(orgId, domain) : null), [orgId, domain, domainOk]);
  // The deciding org may be one above (subsidiarity); its bodies are the ones an election fills.
  const decidingDoc = useAsync(
    async () => (who.data && who.data.org_id !== orgId ? governance.constitution(who.data.org_id) : null),
    [who.data?.org_id],
  );

  const w = who.data ?? null;
  const method = w?.method ?? '';
  const needsOptions = !!w && !FIXED_OPTIONS.has(method);
  const canElect = needsOptions && w.bodies.length === 1 && w.joint_with.length === 0 && !w.two_stage;
  const amend = domain === 'constitution.amend';
  const bodies = (w && w.org_id !== orgId ? decidingDoc.data : doc.data)?.constitution.bodies ?? [];
  const seated = bodies.filter((b) => SEATED.has(b.kind));

  // A new matter resets what depends on its method.
  useEffect(() => {
    if (!w) return;
    const elects = canElect && (/stv$/.test(w.method) || w.domain.endsWith('.election'));
    setKind(elects ? 'election' : 'motion');
    setError(null);
  }, [w]);
  useEffect(() => {
    if (kind === 'election' && !seated.some((b) => b.key === electsBody)) setElectsBody(seated[0]?.key ?? '');
  }, [kind, seated.map((b) => b.key).join(',')]);
  useEffect(() => {
    if (amend && !toml && doc.data?.toml) setToml(doc.data.toml);
  }, [amend, doc.data]);
  useEffect(() => {
    const wanted = query.domain ?? '';
    if (!doc.data || choice !== '' || !DOMAIN_PATTERN.test(wanted) || wanted.length > 100) return;
    if (doc.data.constitution.domains.some((d) => d.key === wanted)) {
      setChoice(wanted);
    } else {
      setChoice(OTHER);
      setOtherKey(wanted);
    }
  }, [doc.data]);

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const scope = [...o.path.map((x) => x.id), o.id];
  const allowed = !!me && (me.memberships.some((m) => m.org.id === orgId && m.status === 'active') || canManage(me, scope));
  const domains = doc.data?.constitution.domains ?? [];
  const election = canElect && kind === 'election';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!w || busy) return;
    const body: NewProposal = { org_id: orgId, domain, title: title.trim() };
    if (text.trim()) body.text = text.trim();
    if (election) {
      body.kind = 'election';
      if (electsBody) body.elects_body = electsBody;
    } else if (needsOptions) {
      body.options = options.map((x) => x.trim()).filter(Boolean);
    }
    if (subject.trim()) body.subject = subject.trim();
    if (w.joint_with.length > 0 && counterparty) body.counterparty_org_id = Number(counterparty);
    if (amend) body.constitution_toml = toml;
    setBusy(true);
    setError(null);
    try {
      const p = await governanceWrite.createProposal(body);
      route(`/proposals/${p.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const filledOptions = options.filter((x) => x.trim()).length;
  const ready =
    !!w &&
    title.trim() !== '' &&
    (!needsOptions || election || filledOptions >= 2) &&
    (!amend || toml.trim() !== '') &&
    (w.joint_with.length === 0 || Number(counterparty) > 0);

  return (
    <article class="proposal-new" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <p class="small">
        <a href={`/orgs/${o.id}/decisions`}>{t('proposal.back', { name: o.name })}</a>
      </p>
      <PageHeading>{t('newp.title')}</PageHeading>
      {!me && !sessionLoading && (
        <p class="card">
          <a class="btn btn-primary" href={`/login?next=${encodeURIComponent(`/orgs/${o.id}/proposals/new`)}`}>
            {t('newp.loginFirst')}
          </a>
        </p>
      )}
      {me && !allowed && <p class="card muted">{t('newp.membersOnly', { org: o.name })}</p>}
      {doc.error instanceof ApiError && doc.error.status === 404 && <p class="card muted">{t('constitution.none')}</p>}
      {doc.error !== undefined && !(doc.error instanceof ApiError && doc.error.status === 404) && (
        <ErrorBox error={doc.error} onRetry={doc.reload} />
      )}
      {allowed && doc.data && (
        <form class="card form" onSubmit={submit} noValidate>
          <div class="field">
            <label for="np-domain">{t('newp.domain')}</label>
            <select id="np-domain" value={choice} required onChange={(e) => setChoice(e.currentTarget.value)}>
              <option value="">{t('newp.pickDomain')}</option>
              {domains
                .filter((d) => d.key !== OTHER)
                .map((d) => (
                  <option key={d.key} value={d.key}>
                    {domainLabel(t, d.key)}
                  </option>
                ))}
              <option value={OTHER}>{t('domain.*')}</option>
            </select>
          </div>
          {choice === OTHER && (
            <div class="field">
              <label for="np-other">{t('newp.otherKey')}</label>
              <input
                id="np-other"
                type="text"
                maxLength={100}
                autoComplete="off"
                placeholder="shop.opening_hours"
                value={otherKey}
                onInput={(e) => setOtherKey(e.currentTarget.value.toLowerCase())}
                aria-describedby="np-other-hint"
              />
              <p class="hint" id="np-other-hint">
                {t('newp.otherHint')}
              </p>
            </div>
          )}
          {who.loading && domainOk && <Loading />}
          {who.error !== undefined && (
            <div class="alert alert-error" role="alert">
              <p>{errorText(who.error, { rule_violation: t('newp.noRule') })}</p>
            </div>
          )}
          {w && <RuleInWords who={w} />}

          {w && (
            <>
              {canElect && (
                <fieldset class="field plain-fieldset">
                  <legend>{t('newp.kind')}</legend>
                  <div class="choices">
                    <label class="choice">
                      <input type="radio" name="np-kind" checked={kind === 'motion'} onChange={() => setKind('motion')} />{' '}
                      {t('proposal.motion')}
                    </label>
                    <label class="choice">
                      <input type="radio" name="np-kind" checked={kind === 'election'} onChange={() => setKind('election')} />{' '}
                      {t('proposal.election')}
                    </label>
                  </div>
                </fieldset>
              )}
              <div class="field">
                <label for="np-title">{t('newp.titleField')}</label>
                <input
                  id="np-title"
                  type="text"
                  required
                  maxLength={200}
                  value={title}
                  onInput={(e) => setTitle(e.currentTarget.value)}
                />
              </div>
              <div class="field">
                <label for="np-text">{t('newp.text')}</label>
                <textarea id="np-text" rows={6} maxLength={20000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
              </div>
              {election ? (
                <div class="field">
                  <label for="np-elects">{t('newp.electsBody')}</label>
                  <select id="np-elects" value={electsBody} onChange={(e) => setElectsBody(e.currentTarget.value)}>
                    <option value="">{t('newp.electsNone')}</option>
                    {seated.map((b) => (
                      <option key={b.key} value={b.key}>
                        {b.name}
                      </option>
                    ))}
                  </select>
                  <p class="hint">{t('newp.candidatesLater')}</p>
                </div>
              ) : (
                needsOptions && <OptionsEditor options={options} onChange={setOptions} />
              )}
              {w.joint_with.length > 0 && (
                <div class="field">
                  <label for="np-counterparty">{t('newp.counterparty')}</label>
                  <input
                    id="np-counterparty"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    required
                    value={counterparty}
                    onInput={(e) => setCounterparty(e.currentTarget.value)}
                    aria-describedby="np-counterparty-hint"
                  />
                  <p class="hint" id="np-counterparty-hint">
                    {t('newp.counterpartyHint')}
                  </p>
                </div>
              )}
              {amend && (
                <div class="field">
                  <label for="np-toml">{t('newp.toml')}</label>
                  <textarea
                    id="np-toml"
                    class="code"
                    rows={16}
                    spellcheck={false}
                    value={toml}
                    onInput={(e) => setToml(e.currentTarget.value)}
                    aria-describedby="np-toml-hint"
                  />
                  <p class="hint" id="np-toml-hint">
                    {t('newp.tomlHint')}
                  </p>
                </div>
              )}
              <div class="field">
                <label for="np-subject">{t('newp.subject')}</label>
                <input
                  id="np-subject"
                  type="text"
                  maxLength={200}
                  value={subject}
                  onInput={(e) => setSubject(e.currentTarget.value)}
                  aria-describedby="np-subject-hint"
                />
                <p class="hint" id="np-subject-hint">
                  {t('newp.subjectHint')}
                </p>
              </div>
              {error !== null && (
                <div class="alert alert-error" role="alert">
                  <p>{errorText(error)}</p>
                  <ServerDetail error={error} />
                </div>
              )}
              <p class="hint">{t('newp.draftHint')}</p>
              <button type="submit" class="btn btn-primary btn-block" disabled={busy || !ready}>
                {busy ? t('newp.busy') : t('newp.submit')}
              </button>
            </>
          )}
        </form>
      )}
    </article>
  );
}
