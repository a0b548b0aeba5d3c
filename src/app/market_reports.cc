// The market's reports (app/market.h): pick lists per distribution point and
// per member, producers' packing lists and statements, as CSV (RFC 4180: a
// header row, CRLF line ends, fields quoted when they hold a comma, a quote
// or a line break) and as printable, self-contained HTML (inline styles, no
// scripts, every text escaped). Amounts are written in the currency's
// decimal units ("12.50"); quantities in whole ordered units.
// No library in the project writes CSV or HTML, and both are small; they are
// written here by hand.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/authz.h"
#include "app/market.h"
#include "app/market_internal.h"
#include "app/repo/contracts_repo.h"
#include "app/repo/ledger_repo.h"
#include "app/repo/proposals_repo.h"
#include "app/repo/settle_repo.h"
#include "core/assert.h"
#include "core/error.h"
#include "core/money.h"

namespace agora::app::market {
namespace {

using namespace market_detail;

// ---- a table, written as CSV or HTML

struct Cell {
  std::string text{};
  bool number = false;  // right-aligned in HTML, never formula-guarded in CSV
};
Cell txt(std::string s) { return Cell{std::move(s), false}; }
Cell num(int64_t v) { return Cell{std::to_string(v), true}; }
Cell num_text(std::string s) { return Cell{std::move(s), true}; }
Cell blank() { return Cell{"", true}; }

struct Table {
  std::vector<std::string> header{};
  std::vector<std::vector<Cell>> rows{};
  // HTML only: a row before rows[i] spanning the table (a group heading).
  std::map<size_t, std::string> groups{};
  // HTML only: closing rows (totals), bold; CSV writes them too when csv_footer.
  std::vector<std::vector<Cell>> footer{};
  bool csv_footer = false;
};

// "1234" with 2 minor units -> "12.34"; "-5" -> "-0.05".
std::string decimal(int64_t minor, int64_t minor_units) {
  if (minor_units <= 0) return std::to_string(minor);
  const bool neg = minor < 0;
  // Two's complement: the magnitude of INT64_MIN fits in uint64_t.
  uint64_t mag = neg ? ~static_cast<uint64_t>(minor) + 1 : static_cast<uint64_t>(minor);
  std::string digits = std::to_string(mag);
  if (digits.size() <= static_cast<size_t>(minor_units)) {
    digits.insert(0, static_cast<size_t>(minor_units) + 1 - digits.size(), '0');
  }
  digits.insert(digits.size() - static_cast<size_t>(minor_units), ".");
  return neg ? "-" + digits : digits;
}

// One CSV field. Text a spreadsheet would read as a formula (leading =, +,
// -, @, tab or CR) is prefixed with an apostrophe, so a product or member
// name cannot run in the reader's spreadsheet.
std::string csv_field(const Cell& c) {
  std::string v = c.text;
  if (!c.number && !v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v.insert(0, "'");
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string csv(const Table& t) {
  std::string out;
  auto row = [&](const std::vector<Cell>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      out += csv_field(cells[i]);
    }
    out += "\r\n";
  };
  std::vector<Cell> head;
  for (const auto& h : t.header) head.push_back(txt(h));
  row(head);
  for (const auto& r : t.rows) {
    AGORA_ASSERT(r.size() == t.header.size());
    row(r);
  }
  if (t.csv_footer) {
    for (const auto& r : t.footer) row(r);
  }
  return out;
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

void html_row(std::string& out, const std::vector<Cell>& cells, const char* tag) {
  out += "<tr>";
  for (const auto& c : cells) {
    out += c.number ? std::string("<") + tag + " class=\"n\">" : std::string("<") + tag + ">";
    out += esc(c.text);
    out += std::string("</") + tag + ">";
  }
  out += "</tr>\n";
}

std::string html(const std::string& title, const std::vector<std::string>& facts, const Table& t) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      esc(title) +
      "</title>\n<style>\n"
      "body{font:11pt/1.35 system-ui,sans-serif;margin:1.5em;color:#111}\n"
      "h1{font-size:1.4em;margin:0 0 .3em}\n"
      "p.facts{margin:.1em 0;color:#333}\n"
      "table{border-collapse:collapse;width:100%;margin-top:1em}\n"
      "th,td{border-bottom:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
      "th{border-bottom:2px solid #111}\n"
      "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
      "tr.group td{background:#eee;font-weight:600;border-top:2px solid #111}\n"
      "tfoot td,tfoot th{font-weight:700;border-top:2px solid #111}\n"
      "tr{page-break-inside:avoid;break-inside:avoid}\n"
      "@media print{body{margin:0}thead{display:table-header-group}}\n"
      "</style>\n</head>\n<body>\n<h1>" +
      esc(title) + "</h1>\n";
  for (const auto& f : facts) out += "<p class=\"facts\">" + esc(f) + "</p>\n";
  out += "<table>\n<thead>\n<tr>";
  for (const auto& h : t.header) out += "<th>" + esc(h) + "</th>";
  out += "</tr>\n</thead>\n<tbody>\n";
  for (size_t i = 0; i < t.rows.size(); ++i) {
    if (auto g = t.groups.find(i); g != t.groups.end()) {
      out += "<tr class=\"group\"><td colspan=\"" + std::to_string(t.header.size()) + "\">" +
             esc(g->second) + "</td></tr>\n";
    }
    html_row(out, t.rows[i], "td");
  }
  if (t.rows.empty()) {
    out +=
        "<tr><td colspan=\"" + std::to_string(t.header.size()) + "\">Nothing to list.</td></tr>\n";
  }
  out += "</tbody>\n";
  if (!t.footer.empty()) {
    out += "<tfoot>\n";
    for (const auto& r : t.footer) html_row(out, r, "td");
    out += "</tfoot>\n";
  }
  out += "</table>\n</body>\n</html>\n";
  return out;
}

std::string render(ReportFormat f, const std::string& title, const std::vector<std::string>& facts,
                   const Table& t) {
  return f == ReportFormat::csv ? csv(t) : html(title, facts, t);
}

// ---- shared pieces

// The quantity a line ends with: its allocation once written, else what
// was ordered (settled lines absent from market_allocations got theirs).
int64_t final_units(const repo::PickRow& r) { return r.allocated.value_or(r.quantity); }

std::string cycle_fact(const repo::CycleRow& c) {
  return "Order cycle " + std::to_string(c.id) + ": " + c.name + " (" + c.state + ", " +
         c.currency + ")";
}

void deny(const Actor& actor, const std::string& what) {
  if (actor.anonymous()) throw Error(Code::unauthenticated, "sign in to " + what);
  throw Error(Code::forbidden, "you may not " + what);
}

// The cycle coordinator or the producer's coordinator; the producer must exist.
std::string require_producer_access(store::Tx& tx, const Actor& actor, const repo::CycleRow& c,
                                    int64_t producer_org_id) {
  if (!is_cycle_coordinator(tx, actor, c) &&
      !has_role(tx, actor, producer_org_id, {Role::coordinator})) {
    deny(actor, "read this producer's reports");
  }
  std::string name = repo::org_name(tx, producer_org_id);
  if (name.empty()) {
    throw Error(Code::not_found, "organisation " + std::to_string(producer_org_id) + " not found",
                "/producer");
  }
  return name;
}

}  // namespace

std::string pick_list(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                      std::optional<int64_t> point_id, ReportFormat f) {
  auto c = load_cycle(tx, cycle_id);
  require_cycle_coordinator_or_auditor(tx, ctx.actor, c);
  std::vector<std::string> facts{cycle_fact(c)};
  if (point_id) {
    auto p = repo::find_point(tx, *point_id);
    if (!p || p->cycle_id != c.id) {
      throw Error(Code::not_found, "no such distribution point in this cycle", "/point_id");
    }
    facts.push_back("Distribution point: " + p->name +
                    (p->address.empty() ? "" : ", " + p->address));
  }
  const int64_t mu = repo::currency_minor_units(tx, c.currency);
  Table t{.header = {"point", "member", "order_id", "producer", "product", "variant", "unit",
                     "ordered", "tolerance", "quantity", "price", "amount"}};
  std::string last_group;
  int64_t total = 0;
  for (const auto& r : repo::cycle_pick_rows(tx, c.id, point_id)) {
    const int64_t q = final_units(r);
    const int64_t amount = checked_mul(q, r.price);
    total = checked_add(total, amount);
    std::string group = (r.point_name.empty() ? std::string("No point") : r.point_name) + " — " +
                        r.person_name + " (order " + std::to_string(r.order_id) + ")";
    if (group != last_group) {
      t.groups.emplace(t.rows.size(), group);
      last_group = group;
    }
    t.rows.push_back({txt(r.point_name), txt(r.person_name), num(r.order_id), txt(r.producer_name),
                      txt(r.product_name), txt(r.variant_name), txt(r.unit_code), num(r.quantity),
                      num(r.tolerance), num(q), num_text(decimal(r.price, mu)),
                      num_text(decimal(amount, mu))});
  }
  t.footer.push_back({txt("Total"), txt(""), blank(), txt(""), txt(""), txt(""), txt(""), blank(),
                      blank(), blank(), blank(), num_text(decimal(total, mu))});
  return render(f, "Pick list", facts, t);
}

std::string member_pick_list(store::Tx& tx, const Ctx& ctx, int64_t order_id, ReportFormat f) {
  auto o = load_order(tx, order_id);
  auto c = load_cycle(tx, o.cycle_id);
  const bool own =
      !ctx.actor.anonymous() && ctx.actor.person_id != 0 && ctx.actor.person_id == o.person_id;
  if (!own && !is_cycle_coordinator_or_auditor(tx, ctx.actor, c))
    deny(ctx.actor, "read this order");
  const int64_t mu = repo::currency_minor_units(tx, c.currency);
  std::vector<std::string> facts{
      cycle_fact(c), "Member: " + repo::person_name(tx, o.person_id).value_or("") + ", order " +
                         std::to_string(o.id) + " (" + o.state + ")"};
  int64_t fee = 0;
  if (o.point_id) {
    if (auto p = repo::find_point(tx, *o.point_id)) {
      facts.push_back("Distribution point: " + p->name +
                      (p->address.empty() ? "" : ", " + p->address));
      fee = p->fee;
    }
  }
  Table t{.header = {"producer", "product", "variant", "unit", "ordered", "tolerance", "quantity",
                     "price", "amount"}};
  int64_t subtotal = 0;
  for (const auto& r : repo::order_pick_rows(tx, o.id)) {
    const int64_t q = final_units(r);
    const int64_t amount = checked_mul(q, r.price);
    subtotal = checked_add(subtotal, amount);
    t.rows.push_back({txt(r.producer_name), txt(r.product_name), txt(r.variant_name),
                      txt(r.unit_code), num(r.quantity), num(r.tolerance), num(q),
                      num_text(decimal(r.price, mu)), num_text(decimal(amount, mu))});
  }
  auto foot = [&](const std::string& label, int64_t v) {
    t.footer.push_back({txt(label), txt(""), txt(""), txt(""), blank(), blank(), blank(), blank(),
                        num_text(decimal(v, mu))});
  };
  foot("Subtotal", subtotal);
  if (o.total) {
    // Settled: what was charged (the fee only when something arrived).
    foot("Distribution fee", *o.total > 0 ? fee : 0);
    foot("Total charged", *o.total);
  } else {
    foot("Distribution fee", fee);
    foot("Total", checked_add(subtotal, fee));
  }
  return render(f, "Order " + std::to_string(o.id), facts, t);
}

std::string packing_list(store::Tx& tx, const Ctx& ctx, int64_t cycle_id, int64_t producer_org_id,
                         ReportFormat f) {
  auto c = load_cycle(tx, cycle_id);
  const std::string producer = require_producer_access(tx, ctx.actor, c, producer_org_id);
  Table t{.header = {"offer_id", "product", "variant", "unit", "point", "units"}};
  // Rows come by offer then point: sum each (offer, point) run.
  struct Run {
    repo::PickRow first;
    int64_t units = 0;
  };
  std::vector<Run> runs;
  std::map<int64_t, int64_t> per_offer;
  for (auto& r : repo::producer_pick_rows(tx, c.id, producer_org_id)) {
    const int64_t q = final_units(r);
    per_offer[r.offer_id] = checked_add(per_offer[r.offer_id], q);
    if (runs.empty() || runs.back().first.offer_id != r.offer_id ||
        runs.back().first.point_id != r.point_id) {
      runs.push_back(Run{std::move(r), 0});
    }
    runs.back().units = checked_add(runs.back().units, q);
  }
  int64_t total = 0;
  for (const auto& run : runs) {
    const auto& r = run.first;
    if (t.rows.empty() || t.rows.back()[0].text != std::to_string(r.offer_id)) {
      t.groups.emplace(t.rows.size(), r.product_name + " — " + r.variant_name + ": " +
                                          std::to_string(per_offer[r.offer_id]) + " " +
                                          r.unit_code);
    }
    total = checked_add(total, run.units);
    t.rows.push_back({num(r.offer_id), txt(r.product_name), txt(r.variant_name), txt(r.unit_code),
                      txt(r.point_name.empty() ? "No point" : r.point_name), num(run.units)});
  }
  t.footer.push_back({blank(), txt("Total"), txt(""), txt(""), txt(""), num(total)});
  return render(f, "Packing list: " + producer, {cycle_fact(c), "Producer: " + producer}, t);
}

std::string producer_statement(store::Tx& tx, const Ctx& ctx, int64_t cycle_id,
                               int64_t producer_org_id, ReportFormat f) {
  auto c = load_cycle(tx, cycle_id);
  const std::string producer = require_producer_access(tx, ctx.actor, c, producer_org_id);
  const int64_t mu = repo::currency_minor_units(tx, c.currency);
  const bool settled = c.state == "settled";
  std::map<int64_t, int64_t> allocated;  // offer -> units
  if (settled) {
    for (const auto& r : repo::producer_pick_rows(tx, c.id, producer_org_id)) {
      allocated[r.offer_id] = checked_add(allocated[r.offer_id], final_units(r));
    }
  }
  auto opt_num = [](const std::optional<int64_t>& v) { return v ? num(*v) : blank(); };
  Table t{.header = {"offer_id", "product", "variant", "unit", "ordered", "confirmed", "received",
                     "allocated", "producer_price", "amount", "transfer_id"},
          .csv_footer = true};
  int64_t total = 0;
  for (const auto& l : repo::cycle_po_lines(tx, c.id, producer_org_id)) {
    std::optional<int64_t> alloc;
    std::optional<int64_t> amount;
    if (settled) {
      alloc = allocated[l.offer_id];
      amount = checked_mul(*alloc, l.producer_part);
      total = checked_add(total, *amount);
    }
    t.rows.push_back({num(l.offer_id), txt(l.product_name), txt(l.variant_name), txt(l.unit_code),
                      num(l.units), opt_num(l.confirmed_units), opt_num(l.received_units),
                      opt_num(alloc), num_text(decimal(l.producer_part, mu)),
                      amount ? num_text(decimal(*amount, mu)) : blank(), blank()});
  }
  std::vector<std::string> facts{cycle_fact(c), "Producer: " + producer};
  Cell transfer = blank();
  if (settled) {
    const std::string key = "sys:market:settle:" + std::to_string(c.id) +
                            ":producer:" + std::to_string(producer_org_id);
    if (auto tr = repo::find_transfer_by_key(tx, key)) {
      // A fair-price contract may keep back part of the producer's pay.
      AGORA_ASSERT(tr->amount <= total);
      transfer = num(tr->id);
      facts.push_back("Paid by ledger transfer " + std::to_string(tr->id) + " (" +
                      decimal(tr->amount, mu) + " " + c.currency + ")");
    }
  } else {
    facts.push_back("Not settled yet: amounts follow settlement.");
  }
  t.footer.push_back({blank(), txt("Total"), txt(""), txt(""), blank(), blank(), blank(), blank(),
                      blank(), settled ? num_text(decimal(total, mu)) : blank(), transfer});
  // Fair-price contracts: what the settlement kept back to repay advances
  // and what it added to reach a floor, each its own transfer; then the net.
  if (settled) {
    int64_t net = total;
    auto entries = repo::settlement_entries(tx, c.id, producer_org_id);
    for (const auto& e : entries) {
      const bool kept = e.kind == "repayment";
      net = checked_add(net, kept ? -e.amount : e.amount);  // amounts are >= 0
      const std::string what =
          (kept ? "Kept back to repay contract " : "Floor top-up from contract ") +
          std::to_string(e.contract_id);
      t.footer.push_back({blank(), txt(what), txt(""), txt(""), blank(), blank(), blank(), blank(),
                          blank(), num_text(decimal(kept ? -e.amount : e.amount, mu)),
                          e.transfer_id ? num(*e.transfer_id) : blank()});
    }
    if (!entries.empty()) {
      t.footer.push_back({blank(), txt("Net to the producer"), txt(""), txt(""), blank(), blank(),
                          blank(), blank(), blank(), num_text(decimal(net, mu)), blank()});
    }
  }
  return render(f, "Producer statement: " + producer, facts, t);
}

}  // namespace agora::app::market
