#include "app/repo/proposals_repo.h"

#include "app/repo/values.h"
#include "core/assert.h"
#include "core/error.h"

namespace agora::app::repo {
namespace {

namespace voting = governance::voting;
using store::Params;
using store::Row;
using store::Value;
using namespace values;

// "$n" for the next parameter, appending `v` to `params`.
std::string param(Params& params, Value v) {
  params.push_back(std::move(v));
  return "$" + std::to_string(params.size());
}

constexpr const char* kName = "TRIM(p.given_name || ' ' || p.family_name)";

std::string_view of_text(voting::Threshold::Of of) {
  return of == voting::Threshold::Of::eligible ? "eligible" : "cast";
}
voting::Threshold::Of of_value(const std::string& s) {
  AGORA_ASSERT(s == "cast" || s == "eligible");
  return s == "eligible" ? voting::Threshold::Of::eligible : voting::Threshold::Of::cast;
}

std::string options_text(const std::vector<std::string>& options) { return Json(options).dump(); }

std::vector<std::string> options_of(const std::string& text) {
  Json j = Json::parse(text);
  AGORA_ASSERT(j.is_array());
  return j.get<std::vector<std::string>>();
}

// ---- constitutions

ConstitutionRow constitution_of(const Row& r) {
  ConstitutionRow c{.id = r.i64(0),
                    .org_id = r.i64(1),
                    .version = r.i64(2),
                    .toml = r.opt_str(3).value_or(""),
                    .adopted_at = Timestamp{r.i64(4)},
                    .adopted_by_account = r.opt_i64(5),
                    .adopted_by_proposal = r.opt_i64(6)};
  AGORA_ASSERT(c.id > 0 && c.version >= 1);
  return c;
}

// ---- seats

constexpr const char* kSeatSelect =
    "SELECT b.id, b.org_id, b.body_key, b.person_id, b.chamber, b.since_at, b.until_at, "
    "b.elected_by_proposal, TRIM(p.given_name || ' ' || p.family_name) "
    "FROM body_seats b JOIN persons p ON p.id = b.person_id ";

SeatRow seat_of(const Row& r) {
  SeatRow s{.id = r.i64(0),
            .org_id = r.i64(1),
            .body_key = r.str(2),
            .person_id = r.i64(3),
            .chamber = r.str(4),
            .since_at = Timestamp{r.i64(5)},
            .until_at = opt_ts(r, 6),
            .elected_by_proposal = r.opt_i64(7),
            .name = r.str(8)};
  AGORA_ASSERT(s.id > 0 && s.person_id > 0);
  return s;
}

// ---- decisions

constexpr const char* kDecisionSelect =
    "SELECT id, org_id, domain, subject, counterparty_org_id, status, created_at, decided_at "
    "FROM decisions ";

DecisionRow decision_of(const Row& r) {
  DecisionRow d{.id = r.i64(0),
                .org_id = r.i64(1),
                .domain = r.str(2),
                .subject = r.str(3),
                .counterparty_org_id = r.opt_i64(4),
                .status = r.str(5),
                .created_at = Timestamp{r.i64(6)},
                .decided_at = opt_ts(r, 7)};
  AGORA_ASSERT(d.id > 0 &&
               (d.status == "pending" || d.status == "passed" || d.status == "rejected"));
  return d;
}

// ---- proposals

constexpr const char* kProposalSelect =
    "SELECT id, decision_id, org_id, body_key, domain, kind, title, text, method, options_json, "
    "seats, chamber, elects_body, score_max, dots, quorum_num, quorum_den, threshold_num, "
    "threshold_den, threshold_of, threshold_strict, notice_days, voting_days, secret, "
    "results_hidden, stage, first_stage_id, min_gap_days, max_gap_days, amends_id, "
    "constitution_toml, status, outcome, outcome_statement, eligible_count, eligible_weight, "
    "voters_count, voted_weight, result_json, tie_seed, author_person_id, created_at, opened_at, "
    "voting_opens_at, voting_closes_at, closed_at FROM proposals ";

gov::ProposalRow proposal_of(const Row& r) {
  gov::ProposalRow p;
  p.id = r.i64(0);
  p.decision_id = r.i64(1);
  p.org_id = r.i64(2);
  p.body_key = r.str(3);
  p.domain = r.str(4);
  p.kind = r.str(5);
  p.title = r.str(6);
  p.text = r.str(7);
  p.method_name = r.str(8);
  auto m = voting::parse_method(p.method_name);
  AGORA_ASSERT(m.has_value());
  p.method = *m;
  p.options = options_of(r.str(9));
  p.seats = r.i64(10);
  p.chamber = r.str(11);
  p.elects_body = r.opt_str(12);
  p.score_max = r.i64(13);
  p.dots = r.i64(14);
  p.rule.quorum = voting::Ratio{r.i64(15), r.i64(16)};
  p.rule.threshold =
      voting::Threshold{voting::Ratio{r.i64(17), r.i64(18)}, of_value(r.str(19)), r.boolean(20)};
  p.notice_days = r.i64(21);
  p.voting_days = r.i64(22);
  p.secret = r.boolean(23);
  p.results_hidden = r.boolean(24);
  p.stage = r.i64(25);
  p.first_stage_id = r.opt_i64(26);
  p.min_gap_days = r.opt_i64(27);
  p.max_gap_days = r.opt_i64(28);
  p.amends_id = r.opt_i64(29);
  p.constitution_toml = r.opt_str(30);
  p.status = r.str(31);
  p.outcome = r.opt_str(32);
  p.outcome_statement = r.opt_str(33);
  p.eligible_count = r.opt_i64(34);
  p.eligible_weight = r.opt_i64(35);
  p.voters_count = r.i64(36);
  p.voted_weight = r.i64(37);
  p.result_json = r.opt_str(38);
  p.tie_seed = r.i64(39);
  p.author_person_id = r.opt_i64(40);
  p.created_at = Timestamp{r.i64(41)};
  p.opened_at = opt_ts(r, 42);
  p.voting_opens_at = opt_ts(r, 43);
  p.voting_closes_at = opt_ts(r, 44);
  p.closed_at = opt_ts(r, 45);
  AGORA_ASSERT(p.id > 0 && p.decision_id > 0 && (p.stage == 1 || p.stage == 2));
  AGORA_ASSERT(p.status == "draft" || p.status == "open" || p.status == "closed" ||
               p.status == "withdrawn");
  AGORA_ASSERT(p.status != "open" || (p.voting_opens_at && p.voting_closes_at));
  AGORA_ASSERT(p.status != "closed" || p.outcome.has_value());
  return p;
}

constexpr const char* kBriefSelect =
    "SELECT id, org_id, body_key, domain, kind, title, method, stage, status, outcome, "
    "voting_opens_at, voting_closes_at FROM proposals ";

ProposalBrief brief_of(const Row& r) {
  ProposalBrief b{.id = r.i64(0),
                  .org_id = r.i64(1),
                  .body_key = r.str(2),
                  .domain = r.str(3),
                  .kind = r.str(4),
                  .title = r.str(5),
                  .method = r.str(6),
                  .stage = r.i64(7),
                  .status = r.str(8),
                  .outcome = r.opt_str(9),
                  .voting_opens_at = opt_ts(r, 10),
                  .voting_closes_at = opt_ts(r, 11)};
  AGORA_ASSERT(b.id > 0);
  return b;
}

std::vector<ProposalBrief> briefs_of(const store::Rows& rows) {
  std::vector<ProposalBrief> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(brief_of(r));
  return out;
}

// ---- comments and candidacies

CommentRow comment_of(const Row& r) {
  CommentRow c{.id = r.i64(0),
               .proposal_id = r.i64(1),
               .person_id = r.i64(2),
               .text = r.str(3),
               .created_at = Timestamp{r.i64(4)},
               .name = r.str(5)};
  AGORA_ASSERT(c.id > 0);
  return c;
}

constexpr const char* kCandidacySelect =
    "SELECT c.id, c.proposal_id, c.person_id, c.chamber, c.statement, c.created_at, "
    "c.withdrawn_at, TRIM(p.given_name || ' ' || p.family_name) "
    "FROM candidacies c JOIN persons p ON p.id = c.person_id ";

CandidacyRow candidacy_of(const Row& r) {
  CandidacyRow c{.id = r.i64(0),
                 .proposal_id = r.i64(1),
                 .person_id = r.i64(2),
                 .chamber = r.str(3),
                 .statement = r.str(4),
                 .created_at = Timestamp{r.i64(5)},
                 .withdrawn_at = opt_ts(r, 6),
                 .name = r.str(7)};
  AGORA_ASSERT(c.id > 0 && c.person_id > 0);
  return c;
}

int64_t returning_id(const store::Rows& rows) {
  int64_t id = rows.one().i64(0);
  AGORA_ASSERT(id > 0);
  return id;
}

void exactly_one(int64_t changed) { AGORA_ASSERT(changed == 1); }

}  // namespace

// ---- constitutions

std::optional<ConstitutionRow> latest_constitution(store::Tx& tx, int64_t org_id) {
  auto rows = tx.query(
      "SELECT id, org_id, version, toml, adopted_at, adopted_by_account, adopted_by_proposal "
      "FROM constitutions WHERE org_id = $1 ORDER BY version DESC LIMIT 1",
      {org_id});
  if (rows.empty()) return std::nullopt;
  return constitution_of(rows.one());
}

std::vector<ConstitutionRow> constitution_versions(store::Tx& tx, int64_t org_id, int64_t before,
                                                   int64_t limit) {
  Params params;
  std::string sql =
      "SELECT id, org_id, version, NULL, adopted_at, adopted_by_account, adopted_by_proposal "
      "FROM constitutions WHERE org_id = " +
      param(params, org_id);
  if (before > 0) sql += " AND version < " + param(params, before);
  sql += " ORDER BY version DESC LIMIT " + param(params, limit);
  auto rows = tx.query(sql, params);
  std::vector<ConstitutionRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(constitution_of(r));
  return out;
}

int64_t insert_constitution(store::Tx& tx, const ConstitutionRow& c) {
  AGORA_ASSERT(c.version >= 1 && !c.toml.empty());
  return returning_id(
      tx.query("INSERT INTO constitutions (org_id, version, toml, adopted_at, adopted_by_account, "
               "adopted_by_proposal) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
               {c.org_id, c.version, s(c.toml), c.adopted_at.us, opt(c.adopted_by_account),
                opt(c.adopted_by_proposal)}));
}

// ---- seats

int64_t insert_seat(store::Tx& tx, const SeatRow& seat) {
  return returning_id(
      tx.query("INSERT INTO body_seats (org_id, body_key, person_id, chamber, since_at, until_at, "
               "elected_by_proposal) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
               {seat.org_id, s(seat.body_key), seat.person_id, s(seat.chamber), seat.since_at.us,
                opt(seat.until_at), opt(seat.elected_by_proposal)}));
}

std::optional<SeatRow> find_seat(store::Tx& tx, int64_t seat_id) {
  auto rows = tx.query(std::string(kSeatSelect) + "WHERE b.id = $1", {seat_id});
  if (rows.empty()) return std::nullopt;
  return seat_of(rows.one());
}

std::vector<SeatRow> current_seats(store::Tx& tx, int64_t org_id, std::string_view body_key,
                                   int64_t limit) {
  auto rows = tx.query(std::string(kSeatSelect) +
                           "WHERE b.org_id = $1 AND b.body_key = $2 AND b.until_at IS NULL "
                           "ORDER BY b.id LIMIT $3",
                       {org_id, s(body_key), limit});
  std::vector<SeatRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(seat_of(r));
  return out;
}

int64_t end_seat(store::Tx& tx, int64_t seat_id, Timestamp at) {
  return tx.exec("UPDATE body_seats SET until_at = $2 WHERE id = $1 AND until_at IS NULL",
                 {seat_id, at.us});
}

// ---- decisions

int64_t insert_decision(store::Tx& tx, const DecisionRow& d) {
  return returning_id(tx.query(
      "INSERT INTO decisions (org_id, domain, subject, counterparty_org_id, status, created_at, "
      "decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {d.org_id, s(d.domain), s(d.subject), opt(d.counterparty_org_id), s(d.status),
       d.created_at.us, opt(d.decided_at)}));
}

std::optional<DecisionRow> find_decision(store::Tx& tx, int64_t decision_id) {
  auto rows = tx.query(std::string(kDecisionSelect) + "WHERE id = $1", {decision_id});
  if (rows.empty()) return std::nullopt;
  return decision_of(rows.one());
}

void set_decision_status(store::Tx& tx, int64_t decision_id, std::string_view status,
                         std::optional<Timestamp> decided_at) {
  exactly_one(tx.exec("UPDATE decisions SET status = $2, decided_at = $3 WHERE id = $1",
                      {decision_id, s(status), opt(decided_at)}));
}

bool passed_decision_exists(store::Tx& tx, int64_t org_id, std::string_view domain,
                            std::string_view subject) {
  return !tx.query(
                "SELECT 1 FROM decisions WHERE org_id = $1 AND domain = $2 AND subject = $3 "
                "AND status = 'passed' LIMIT 1",
                {org_id, s(domain), s(subject)})
              .empty();
}

// ---- proposals

int64_t insert_proposal(store::Tx& tx, const gov::ProposalRow& p,
                        const std::optional<voting::Threshold>& second) {
  Params params{p.decision_id,
                p.org_id,
                s(p.body_key),
                s(p.domain),
                s(p.kind),
                s(p.title),
                s(p.text),
                s(p.method_name),
                options_text(p.options),
                p.seats,
                s(p.chamber),
                opt(p.elects_body),
                p.score_max,
                p.dots,
                p.rule.quorum.num,
                p.rule.quorum.den,
                p.rule.threshold.ratio.num,
                p.rule.threshold.ratio.den,
                s(of_text(p.rule.threshold.of)),
                flag(p.rule.threshold.strict),
                p.notice_days,
                p.voting_days,
                flag(p.secret),
                flag(p.results_hidden),
                p.stage,
                opt(p.first_stage_id),
                opt(p.min_gap_days),
                opt(p.max_gap_days),
                opt(p.amends_id),
                opt(p.constitution_toml),
                s(p.status),
                p.tie_seed,
                opt(p.author_person_id),
                p.created_at.us};
  if (second) {
    params.insert(params.end(), {second->ratio.num, second->ratio.den, s(of_text(second->of)),
                                 flag(second->strict)});
  } else {
    params.insert(params.end(), {nullptr, nullptr, nullptr, nullptr});
  }
  return returning_id(tx.query(
      "INSERT INTO proposals (decision_id, org_id, body_key, domain, kind, title, text, method, "
      "options_json, seats, chamber, elects_body, score_max, dots, quorum_num, quorum_den, "
      "threshold_num, threshold_den, threshold_of, threshold_strict, notice_days, voting_days, "
      "secret, results_hidden, stage, first_stage_id, min_gap_days, max_gap_days, amends_id, "
      "constitution_toml, status, tie_seed, author_person_id, created_at, second_threshold_num, "
      "second_threshold_den, second_threshold_of, second_threshold_strict) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
      "$23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38) "
      "RETURNING id",
      params));
}

std::optional<gov::ProposalRow> find_proposal(store::Tx& tx, int64_t proposal_id) {
  auto rows = tx.query(std::string(kProposalSelect) + "WHERE id = $1", {proposal_id});
  if (rows.empty()) return std::nullopt;
  return proposal_of(rows.one());
}

std::optional<voting::Threshold> second_threshold(store::Tx& tx, int64_t proposal_id) {
  auto rows = tx.query(
      "SELECT second_threshold_num, second_threshold_den, second_threshold_of, "
      "second_threshold_strict FROM proposals WHERE id = $1",
      {proposal_id});
  if (rows.empty() || rows.one().is_null(0)) return std::nullopt;
  const Row& r = rows.rows.front();
  return voting::Threshold{voting::Ratio{r.i64(0), r.i64(1)}, of_value(r.str(2)), r.boolean(3)};
}

void set_tie_seed(store::Tx& tx, int64_t proposal_id, int64_t seed) {
  exactly_one(tx.exec("UPDATE proposals SET tie_seed = $2 WHERE id = $1", {proposal_id, seed}));
}

void update_draft(store::Tx& tx, const gov::ProposalRow& p) {
  exactly_one(
      tx.exec("UPDATE proposals SET title = $2, text = $3, options_json = $4 WHERE id = $1 "
              "AND status = 'draft'",
              {p.id, s(p.title), s(p.text), options_text(p.options)}));
}

void set_options(store::Tx& tx, int64_t proposal_id, const std::vector<std::string>& options) {
  exactly_one(tx.exec("UPDATE proposals SET options_json = $2 WHERE id = $1",
                      {proposal_id, options_text(options)}));
}

void set_opened(store::Tx& tx, const gov::ProposalRow& p) {
  AGORA_ASSERT(p.status == "open" && p.voting_opens_at && p.voting_closes_at && p.opened_at);
  exactly_one(
      tx.exec("UPDATE proposals SET status = $2, opened_at = $3, voting_opens_at = $4, "
              "voting_closes_at = $5, options_json = $6 WHERE id = $1 AND status = 'draft'",
              {p.id, s(p.status), opt(p.opened_at), opt(p.voting_opens_at), opt(p.voting_closes_at),
               options_text(p.options)}));
}

void set_eligible(store::Tx& tx, int64_t proposal_id, int64_t count, int64_t weight) {
  AGORA_ASSERT(count >= 0 && weight >= 0);
  exactly_one(
      tx.exec("UPDATE proposals SET eligible_count = $2, eligible_weight = $3 WHERE id = $1",
              {proposal_id, count, weight}));
}

void set_withdrawn(store::Tx& tx, int64_t proposal_id, Timestamp at) {
  exactly_one(
      tx.exec("UPDATE proposals SET status = 'withdrawn', closed_at = $2 WHERE id = $1 "
              "AND status IN ('draft', 'open')",
              {proposal_id, at.us}));
}

void set_closed(store::Tx& tx, const gov::ProposalRow& p) {
  AGORA_ASSERT(p.status == "closed" && p.outcome && p.result_json && p.closed_at);
  exactly_one(tx.exec(
      "UPDATE proposals SET status = 'closed', outcome = $2, result_json = $3, closed_at = $4 "
      "WHERE id = $1 AND status = 'open'",
      {p.id, opt(p.outcome), opt(p.result_json), opt(p.closed_at)}));
}

void set_outcome_statement(store::Tx& tx, int64_t proposal_id, std::string_view statement) {
  exactly_one(tx.exec("UPDATE proposals SET outcome_statement = $2 WHERE id = $1",
                      {proposal_id, s(statement)}));
}

std::vector<ProposalBrief> proposals_of_decision(store::Tx& tx, int64_t decision_id) {
  return briefs_of(
      tx.query(std::string(kBriefSelect) + "WHERE decision_id = $1 ORDER BY id", {decision_id}));
}

std::vector<int64_t> amendments_of(store::Tx& tx, int64_t proposal_id) {
  auto rows = tx.query("SELECT id FROM proposals WHERE amends_id = $1 ORDER BY id", {proposal_id});
  std::vector<int64_t> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.i64(0));
  return out;
}

std::optional<int64_t> second_stage_of(store::Tx& tx, int64_t proposal_id) {
  auto rows = tx.query("SELECT id FROM proposals WHERE first_stage_id = $1 ORDER BY id LIMIT 1",
                       {proposal_id});
  if (rows.empty()) return std::nullopt;
  return rows.one().i64(0);
}

std::vector<ProposalBrief> list_proposals(store::Tx& tx, int64_t org_id, std::string_view body_key,
                                          const std::vector<std::string>& statuses, int64_t before,
                                          int64_t limit) {
  Params params;
  std::string sql = std::string(kBriefSelect) + "WHERE org_id = " + param(params, org_id);
  if (!body_key.empty()) sql += " AND body_key = " + param(params, s(body_key));
  if (!statuses.empty()) {
    sql += " AND status IN (";
    for (size_t i = 0; i < statuses.size(); ++i) {
      if (i) sql += ", ";
      sql += param(params, statuses[i]);
    }
    sql += ")";
  }
  if (before > 0) sql += " AND id < " + param(params, before);
  sql += " ORDER BY id DESC LIMIT " + param(params, limit);
  return briefs_of(tx.query(sql, params));
}

std::vector<int64_t> due_proposals(store::Tx& tx, Timestamp now, int64_t limit) {
  auto rows = tx.query(
      "SELECT id FROM proposals WHERE status = 'open' AND voting_closes_at <= $1 "
      "ORDER BY voting_closes_at, id LIMIT $2",
      {now.us, limit});
  std::vector<int64_t> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.i64(0));
  return out;
}

// ---- comments

int64_t insert_comment(store::Tx& tx, const CommentRow& c) {
  return returning_id(
      tx.query("INSERT INTO proposal_comments (proposal_id, person_id, text, created_at) "
               "VALUES ($1, $2, $3, $4) RETURNING id",
               {c.proposal_id, c.person_id, s(c.text), c.created_at.us}));
}

std::optional<CommentRow> find_comment(store::Tx& tx, int64_t comment_id) {
  auto rows = tx.query(
      std::string("SELECT c.id, c.proposal_id, c.person_id, c.text, c.created_at, ") + kName +
          " FROM proposal_comments c JOIN persons p ON p.id = c.person_id "
          "WHERE c.id = $1",
      {comment_id});
  if (rows.empty()) return std::nullopt;
  return comment_of(rows.one());
}

std::vector<CommentRow> list_comments(store::Tx& tx, int64_t proposal_id, int64_t after,
                                      int64_t limit) {
  auto rows = tx.query(
      std::string("SELECT c.id, c.proposal_id, c.person_id, c.text, c.created_at, ") + kName +
          " FROM proposal_comments c JOIN persons p ON p.id = c.person_id "
          "WHERE c.proposal_id = $1 AND c.id > $2 ORDER BY c.id LIMIT $3",
      {proposal_id, after, limit});
  std::vector<CommentRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(comment_of(r));
  return out;
}

// ---- candidacies

int64_t insert_candidacy(store::Tx& tx, const CandidacyRow& c) {
  return returning_id(
      tx.query("INSERT INTO candidacies (proposal_id, person_id, chamber, statement, created_at) "
               "VALUES ($1, $2, $3, $4, $5) RETURNING id",
               {c.proposal_id, c.person_id, s(c.chamber), s(c.statement), c.created_at.us}));
}

std::optional<CandidacyRow> find_candidacy(store::Tx& tx, int64_t candidacy_id) {
  auto rows = tx.query(std::string(kCandidacySelect) + "WHERE c.id = $1", {candidacy_id});
  if (rows.empty()) return std::nullopt;
  return candidacy_of(rows.one());
}

std::optional<CandidacyRow> find_candidacy_of(store::Tx& tx, int64_t proposal_id,
                                              int64_t person_id) {
  auto rows =
      tx.query(std::string(kCandidacySelect) + "WHERE c.proposal_id = $1 AND c.person_id = $2",
               {proposal_id, person_id});
  if (rows.empty()) return std::nullopt;
  return candidacy_of(rows.one());
}

void reinstate_candidacy(store::Tx& tx, int64_t candidacy_id, std::string_view statement) {
  exactly_one(
      tx.exec("UPDATE candidacies SET withdrawn_at = NULL, statement = $2 WHERE id = $1 "
              "AND withdrawn_at IS NOT NULL",
              {candidacy_id, s(statement)}));
}

void withdraw_candidacy(store::Tx& tx, int64_t candidacy_id, Timestamp at) {
  exactly_one(
      tx.exec("UPDATE candidacies SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL",
              {candidacy_id, at.us}));
}

std::vector<CandidacyRow> active_candidacies(store::Tx& tx, int64_t proposal_id) {
  auto rows = tx.query(std::string(kCandidacySelect) +
                           "WHERE c.proposal_id = $1 AND c.withdrawn_at IS NULL ORDER BY c.id",
                       {proposal_id});
  std::vector<CandidacyRow> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(candidacy_of(r));
  return out;
}

// ---- persons and memberships

std::optional<std::string> person_name(store::Tx& tx, int64_t person_id) {
  auto rows =
      tx.query(std::string("SELECT ") + kName + " FROM persons p WHERE p.id = $1", {person_id});
  if (rows.empty()) return std::nullopt;
  return rows.one().str(0);
}

std::optional<ActiveMembership> active_membership(store::Tx& tx, int64_t org_id,
                                                  int64_t person_id) {
  auto rows = tx.query(
      "SELECT c.code, m.admitted_at FROM memberships m JOIN member_classes c ON c.id = m.class_id "
      "WHERE m.org_id = $1 AND m.person_id = $2 AND m.status = 'active' "
      "AND m.admitted_at IS NOT NULL ORDER BY m.id LIMIT 1",
      {org_id, person_id});
  if (rows.empty()) return std::nullopt;
  const Row& r = rows.rows.front();
  return ActiveMembership{.class_code = r.str(0), .admitted_at = Timestamp{r.i64(1)}};
}

}  // namespace agora::app::repo
