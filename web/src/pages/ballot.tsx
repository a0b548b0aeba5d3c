// The ballot form fitting each method (choice buttons, approval boxes, score
// sliders, dot points with the budget left, a ranking built by tapping or by
// dragging), the receipt shown once after a secret ballot, and the form that
// checks a receipt was counted. Every control is a real form control or
// button, so keyboards and screen readers work as well as fingers.
import { useRef, useState } from 'preact/hooks';
import { governance, type Ballot, type CastAnswer, type Proposal, type ReceiptCheck } from '../api';
import { useI18n, type Translate } from '../i18n';
import { labelOf, listOf } from './gov_words';

// The options as voters read them ("For", "Against", ... for the fixed motions).
export function optionNames(t: Translate, p: Pick<Proposal, 'method' | 'options'>): string[] {
  if (p.method === 'majority' || p.method === 'consent') {
    return p.options.map((o) => labelOf(t, `choice.${p.method}`, o));
  }
  return p.options;
}

// A ballot in words: "For", "Ann, Bo", "1. Bo 2. Ann", "Ann 3, Bo 0".
export function ballotWords(t: Translate, p: Proposal, b: Ballot, locale: string): string {
  const names = optionNames(t, p);
  const name = (i: number) => names[i] ?? String(i + 1);
  if ('choice' in b) return name(b.choice) + (b.reason ? ` — ${b.reason}` : '');
  if ('approve' in b) return b.approve.length ? listOf(b.approve.map(name), locale) : t('ballot.blank');
  if ('ranking' in b) return b.ranking.length ? b.ranking.map((i, k) => `${k + 1}. ${name(i)}`).join('  ') : t('ballot.blank');
  return b.scores.map((s, i) => `${name(i)}: ${s}`).join(', ');
}

function ChoiceBallot({ p, names, value, onChange }: { p: Proposal; names: string[]; value: Ballot | null; onChange: (b: Ballot | null) => void }) {
  const { t } = useI18n();
  const choice = value && 'choice' in value ? value.choice : -1;
  const reason = value && 'choice' in value ? (value.reason ?? '') : '';
  const objecting = p.method === 'consent' && choice === 2;
  return (
    <fieldset class="choices">
      <legend>{t('ballot.choose')}</legend>
      {names.map((n, i) => (
        <label key={i} class={`choice choice-${i}`}>
          <input
            type="radio"
            name="choice"
            value={String(i)}
            checked={choice === i}
            onChange={() => onChange({ choice: i, ...(p.method === 'consent' && i === 2 ? { reason } : {}) })}
          />
          <span>{n}</span>
        </label>
      ))}
      {objecting && (
        <div class="field">
          <label for="ballot-reason">{t('ballot.reason')}</label>
          <textarea
            id="ballot-reason"
            rows={3}
            maxLength={2000}
            required
            value={reason}
            onInput={(e) => onChange({ choice: 2, reason: e.currentTarget.value })}
          />
        </div>
      )}
    </fieldset>
  );
}

function MarksBallot({ names, value, onChange, seats }: { names: string[]; value: number[]; onChange: (v: number[]) => void; seats: number }) {
  const { t } = useI18n();
  return (
    <fieldset class="marks">
      <legend>{seats > 1 ? t('ballot.approveSeats', { n: seats }) : t('ballot.approve')}</legend>
      {names.map((n, i) => (
        <label key={i} class="mark">
          <input
            type="checkbox"
            checked={value.includes(i)}
            onChange={(e) =>
              onChange(e.currentTarget.checked ? [...value, i].sort((a, b) => a - b) : value.filter((x) => x !== i))
            }
          />
          <span>{n}</span>
        </label>
      ))}
    </fieldset>
  );
}

function Stepper({
  id,
  label,
  value,
  min,
  max,
  onChange,
  slider,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (v: number) => void;
  slider: boolean;
}) {
  const { t } = useI18n();
  return (
    <div class="stepper">
      <label for={id} class="stepper-label">
        {label}
      </label>
      <div class="stepper-row">
        <button
          type="button"
          class="btn btn-small step-btn"
          aria-label={t('ballot.less', { name: label })}
          disabled={value <= min}
          onClick={() => onChange(value - 1)}
        >
          −
        </button>
        {slider ? (
          <input
            id={id}
            type="range"
            min={min}
            max={max}
            step={1}
            value={value}
            onInput={(e) => onChange(Number(e.currentTarget.value))}
          />
        ) : (
          <input
            id={id}
            type="number"
            inputMode="numeric"
            class="step-input"
            min={min}
            max={max}
            step={1}
            value={value}
            onInput={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isInteger(v)) onChange(Math.max(min, Math.min(max, v)));
            }}
          />
        )}
        <button
          type="button"
          class="btn btn-small step-btn"
          aria-label={t('ballot.more', { name: label })}
          disabled={value >= max}
          onClick={() => onChange(value + 1)}
        >
          +
        </button>
        {slider && (
          <output for={id} class="step-value" aria-hidden="true">
            {value}
          </output>
        )}
      </div>
    </div>
  );
}

function ScoresBallot({ p, names, value, onChange }: { p: Proposal; names: string[]; value: number[]; onChange: (v: number[]) => void }) {
  const { t } = useI18n();
  const dot = p.method === 'dot';
  const budget = p.dots ?? 10;
  const max = p.score_max ?? 5;
  const used = value.reduce((a, b) => a + b, 0);
  const left = budget - used;
  const set = (i: number, v: number) => onChange(value.map((x, k) => (k === i ? v : x)));
  return (
    <fieldset class="scores">
      <legend>{dot ? t('ballot.dots', { n: budget }) : t('ballot.scores', { max })}</legend>
      {dot && (
        <p class="budget" aria-live="polite" data-testid="dots-left">
          {t('ballot.dotsLeft', { n: left, total: budget })}
        </p>
      )}
      {names.map((n, i) => (
        <Stepper
          key={i}
          id={`score-${i}`}
          label={n}
          value={value[i] ?? 0}
          min={0}
          max={dot ? (value[i] ?? 0) + left : max}
          slider={!dot}
          onChange={(v) => set(i, v)}
        />
      ))}
    </fieldset>
  );
}

// Ranking: tap an unranked option to put it next in order; reorder with the
// up/down buttons or by dragging the handle (pointer events, so a finger, a
// pen and a mouse all work).
function RankingBallot({ names, value, onChange }: { names: string[]; value: number[]; onChange: (v: number[]) => void }) {
  const { t } = useI18n();
  const listRef = useRef<HTMLOListElement>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const unranked = names.map((_, i) => i).filter((i) => !value.includes(i));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= value.length || from === to) return;
    const next = value.slice();
    const [x] = next.splice(from, 1);
    next.splice(to, 0, x);
    onChange(next);
  };

  const onPointerDown = (e: PointerEvent, index: number) => {
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    setDragging(value[index]);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent) => {
    if (dragging === null || !listRef.current) return;
    const items = Array.from(listRef.current.children) as HTMLElement[];
    const from = value.indexOf(dragging);
    // The new place: how many of the other items sit above the pointer.
    let to = 0;
    items.forEach((el, k) => {
      if (k === from) return;
      const r = el.getBoundingClientRect();
      if (e.clientY > r.top + r.height / 2) to += 1;
    });
    if (to !== from) move(from, to);
  };
  const onPointerUp = () => setDragging(null);

  return (
    <fieldset class="ranking">
      <legend>{t('ballot.rank')}</legend>
      <p class="hint">{t('ballot.rankHint')}</p>
      <h3 class="h3" id="ranked-title">
        {t('ballot.yourRanking')}
      </h3>
      {value.length === 0 && <p class="muted small">{t('ballot.nothingRanked')}</p>}
      <ol class="ranked" ref={listRef} aria-labelledby="ranked-title">
        {value.map((opt, k) => (
          <li key={opt} class={`ranked-item${dragging === opt ? ' dragging' : ''}`} data-option={opt}>
            <span
              class="drag-handle"
              aria-hidden="true"
              onPointerDown={(e) => onPointerDown(e, k)}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onPointerCancel={onPointerUp}
            >
              ⠿
            </span>
            <span class="rank-no">{k + 1}</span>
            <span class="rank-name">{names[opt]}</span>
            <button type="button" class="btn btn-small" aria-label={t('ballot.up', { name: names[opt] })} disabled={k === 0} onClick={() => move(k, k - 1)}>
              ↑
            </button>
            <button
              type="button"
              class="btn btn-small"
              aria-label={t('ballot.down', { name: names[opt] })}
              disabled={k === value.length - 1}
              onClick={() => move(k, k + 1)}
            >
              ↓
            </button>
            <button type="button" class="btn btn-small btn-ghost" aria-label={t('ballot.unrank', { name: names[opt] })} onClick={() => onChange(value.filter((x) => x !== opt))}>
              ×
            </button>
          </li>
        ))}
      </ol>
      {unranked.length > 0 && (
        <>
          <h3 class="h3">{t('ballot.unranked')}</h3>
          <ul class="unranked">
            {unranked.map((opt) => (
              <li key={opt}>
                <button
                  type="button"
                  class="btn btn-block unranked-btn"
                  onClick={(e) => {
                    // The button goes away: keep keyboard focus in the list of the rest.
                    const ul = (e.currentTarget as HTMLElement).closest('ul');
                    const index = unranked.indexOf(opt);
                    onChange([...value, opt]);
                    requestAnimationFrame(() => {
                      const rest = ul ? Array.from(ul.querySelectorAll('button')) : [];
                      (rest[Math.min(index, rest.length - 1)] ?? listRef.current?.lastElementChild?.querySelector('button'))?.focus();
                    });
                  }}
                >
                  <span class="sr-only">{t('ballot.addRank', { n: value.length + 1 })} </span>
                  {names[opt]}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {value.length > 0 && (
        <button type="button" class="btn btn-small btn-ghost" onClick={() => onChange([])}>
          {t('ballot.clear')}
        </button>
      )}
    </fieldset>
  );
}

export function BallotForm({
  p,
  onCast,
  onBehalfOf,
  forName,
}: {
  p: Proposal;
  onCast: (a: CastAnswer, b: Ballot) => void;
  onBehalfOf?: number;
  forName?: string;
}) {
  const { t, errorText } = useI18n();
  const names = optionNames(t, p);
  const [choice, setChoice] = useState<Ballot | null>(null);
  const [marks, setMarks] = useState<number[]>([]);
  const [scores, setScores] = useState<number[]>(() => names.map(() => 0));
  const [ranking, setRanking] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  let ballot: Ballot | null = null;
  if (p.ballot_kind === 'choice') ballot = choice;
  else if (p.ballot_kind === 'marks') ballot = { approve: marks };
  else if (p.ballot_kind === 'scores') ballot = { scores };
  else ballot = { ranking };
  const valid =
    ballot !== null && !('choice' in ballot && p.method === 'consent' && ballot.choice === 2 && !(ballot.reason ?? '').trim());

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!valid || !ballot) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await governance.cast(p.id, ballot, onBehalfOf);
      onCast(answer, ballot);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form class="card form ballot" onSubmit={submit} aria-labelledby="ballot-title" data-ballot-kind={p.ballot_kind}>
      <h2 id="ballot-title">{forName ? t('ballot.titleFor', { name: forName }) : t('ballot.title')}</h2>
      {p.rule.secret && <p class="hint">{t('ballot.secretHint')}</p>}
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error, { duplicate: t('ballot.already') })}
        </div>
      )}
      {p.ballot_kind === 'choice' && <ChoiceBallot p={p} names={names} value={choice} onChange={setChoice} />}
      {p.ballot_kind === 'marks' && <MarksBallot names={names} value={marks} onChange={setMarks} seats={p.seats} />}
      {p.ballot_kind === 'scores' && <ScoresBallot p={p} names={names} value={scores} onChange={setScores} />}
      {p.ballot_kind === 'ranking' && <RankingBallot names={names} value={ranking} onChange={setRanking} />}
      <button type="submit" class="btn btn-primary btn-block" disabled={busy || !valid}>
        {busy ? t('ballot.busy') : t('ballot.cast')}
      </button>
    </form>
  );
}

// Shown once, right after a secret ballot: the only moment the code exists
// outside the voter's hands.
export function ReceiptPanel({ code }: { code: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const codeRef = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('yes');
    } catch {
      // No clipboard permission: select the code so the voter can copy it by hand.
      const sel = window.getSelection();
      if (sel && codeRef.current) {
        const range = document.createRange();
        range.selectNodeContents(codeRef.current);
        sel.removeAllRanges();
        sel.addRange(range);
      }
      setCopied('no');
    }
  };
  return (
    <section class="card receipt" aria-labelledby="receipt-title" data-testid="receipt">
      <h2 id="receipt-title">{t('receipt.title')}</h2>
      <p>{t('receipt.keep')}</p>
      <p class="receipt-code">
        <code ref={codeRef} data-testid="receipt-code">
          {code}
        </code>
      </p>
      <button type="button" class="btn" onClick={copy}>
        {t('receipt.copy')}
      </button>
      <p class="small" role="status" aria-live="polite">
        {copied === 'yes' ? t('receipt.copied') : copied === 'no' ? t('receipt.copyFailed') : ''}
      </p>
    </section>
  );
}

const RECEIPT_RE = /^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){2,9}$/;

export function ReceiptCheckForm({ p, initial = '' }: { p: Proposal; initial?: string }) {
  const { t, errorText, formatLocale } = useI18n();
  const [code, setCode] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ReceiptCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const clean = code.trim().toUpperCase();
  const valid = RECEIPT_RE.test(clean);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      setAnswer(await governance.receipt(p.id, clean));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form receipt-check" onSubmit={submit} aria-labelledby="check-title">
      <h2 id="check-title">{t('receipt.checkTitle')}</h2>
      <div class="field">
        <label for="receipt-input">{t('receipt.code')}</label>
        <input
          id="receipt-input"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          maxLength={60}
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
          aria-describedby="receipt-hint"
        />
        <p class="hint" id="receipt-hint">
          {t('receipt.codeHint')}
        </p>
      </div>
      <button type="submit" class="btn btn-block" disabled={busy || !valid}>
        {t('receipt.check')}
      </button>
      <div aria-live="polite">
        {answer && (
          <div class="alert alert-ok" data-testid="receipt-result">
            <p>
              <strong>{answer.counted ? t('receipt.counted') : t('receipt.notCounted')}</strong>
            </p>
            <p>{t('receipt.ballot', { ballot: ballotWords(t, p, answer.ballot, formatLocale) })}</p>
            <p class="small">{answer.final ? t('receipt.final') : t('receipt.notFinal')}</p>
          </div>
        )}
        {error !== null && (
          <div class="alert alert-error" role="alert">
            {errorText(error, { not_found: t('receipt.unknown') })}
          </div>
        )}
      </div>
    </form>
  );
}
