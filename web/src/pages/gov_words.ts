// Governance in words: the rule of a constitution's domain or of a proposal
// ("simple majority (more than 1/2 of votes cast), quorum 1/10 of members,
// 14 days' notice, voting open 7 days, secret ballot"), labels for methods,
// statuses and domains, and date formatting. Pure functions over `t`.
import type { MessageKey } from '../i18n/en';
import type { Translate } from '../i18n';
import type { ConstitutionDomain, ProposalRule } from '../api';

// Looks `prefix.value` up, falling back to `fallback` (or the raw value).
export function labelOf(t: Translate, prefix: string, value: string, fallback?: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === key ? (fallback ?? value) : s;
}

// "fund.allocation" -> "Fund allocation" unless the catalog names it.
export function domainLabel(t: Translate, key: string): string {
  const words = key.replace(/[._]+/g, ' ').trim();
  const human = words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
  return labelOf(t, 'domain', key, human);
}

export function methodLabel(t: Translate, method: string): string {
  return labelOf(t, 'method', method);
}

export function statusLabel(t: Translate, status: string): string {
  return labelOf(t, 'pstatus', status);
}

// One count with its noun, singular or plural ("1 day", "7 days").
export function plural(t: Translate, base: string, n: number, locale: string): string {
  const form = new Intl.PluralRules(locale).select(n) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}` as MessageKey, { n: n.toLocaleString(locale) });
}

export function listOf(items: string[], locale: string): string {
  try {
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

function isZero(ratio: string): boolean {
  return /^0\s*\/\s*\d+$/.test(ratio.trim());
}

// "more than 1/2 of votes cast" / "at least 2/3 of eligible voters".
export function thresholdWords(t: Translate, ratio: string, of: string, strict: boolean): string {
  const ofWords = of === 'eligible' ? t('rule.of.eligible') : t('rule.of.cast');
  return t(strict ? 'rule.threshold.moreThan' : 'rule.threshold.atLeast', { ratio, of: ofWords });
}

type RuleLike = Pick<
  ProposalRule,
  'quorum' | 'threshold' | 'threshold_of' | 'threshold_strict' | 'notice_days' | 'voting_days' | 'secret' | 'results_hidden'
>;

// How the vote is won: "simple majority (more than 1/2 of votes cast)",
// "approval voting", "single transferable vote (Scottish rules), 3 seats".
export function howWords(t: Translate, method: string, rule: RuleLike, seats: number | undefined, locale: string): string {
  const th = thresholdWords(t, rule.threshold, rule.threshold_of, rule.threshold_strict);
  let how: string;
  if (method === 'majority') {
    const simple = rule.threshold.replace(/\s/g, '') === '1/2' && rule.threshold_strict && rule.threshold_of !== 'eligible';
    how = simple ? t('rule.simpleMajority', { threshold: th }) : t('rule.qualifiedMajority', { threshold: th });
  } else if (method === 'consent') {
    how = t('rule.consent');
  } else {
    how = methodLabel(t, method);
    // Only a single winner is held to the threshold (governance/voting/rules.h).
    const single = (seats ?? 1) <= 1 && method !== 'scottish_stv' && method !== 'meek_stv';
    if (single && !isZero(rule.threshold)) how = t('rule.withThreshold', { how, threshold: th });
  }
  if (seats !== undefined && seats > 1) how = `${how}, ${plural(t, 'rule.seats', seats, locale)}`;
  return how;
}

// "quorum 1/10 of members, 14 days' notice, voting open 7 days, secret ballot".
export function ruleDetails(t: Translate, rule: RuleLike, locale: string): string[] {
  const parts: string[] = [];
  parts.push(isZero(rule.quorum) ? t('rule.noQuorum') : t('rule.quorum', { ratio: rule.quorum }));
  parts.push(rule.notice_days > 0 ? plural(t, 'rule.notice', rule.notice_days, locale) : t('rule.noNotice'));
  parts.push(plural(t, 'rule.voting', rule.voting_days, locale));
  parts.push(rule.secret ? t('rule.secret') : t('rule.open'));
  if (rule.results_hidden) parts.push(t('rule.hidden'));
  return parts;
}

// The whole sentence for one domain of a constitution.
export function domainSentence(
  t: Translate,
  d: ConstitutionDomain,
  bodyName: (key: string) => string,
  locale: string,
): string {
  const bodies = listOf(d.bodies.map(bodyName), locale);
  const how = howWords(t, d.method, d, d.seats, locale);
  const rest = ruleDetails(t, d, locale).join(', ');
  const domain = d.key === '*' ? t('domain.*') : domainLabel(t, d.key);
  let s = t(d.bodies.length > 1 ? 'rule.sentence.many' : 'rule.sentence.one', { domain, bodies, how, rest });
  if (d.joint_with && d.joint_with.length > 0) {
    // Bodies of the other org: named by kind when the key is one ("worker_assembly").
    const other = d.joint_with.map((k) => labelOf(t, 'bodyKind', k, k.replace(/_/g, ' ')));
    s += ` ${t('rule.jointWith', { bodies: listOf(other, locale) })}`;
  }
  if (d.two_stage) {
    s += ` ${t('rule.twoStage', {
      min: d.two_stage.min_gap_days,
      max: d.two_stage.max_gap_days,
      threshold: thresholdWords(t, d.two_stage.second_threshold, 'cast', d.two_stage.second_threshold_strict),
    })}`;
  }
  return s;
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
