#!/usr/bin/env python3
"""An independent reference of the budgeting rules of docs/BUDGET.md, written
the plain way with fractions.Fraction (standard library only): every voter's
money is tracked one by one, every round re-evaluates every project from
scratch by sorting its supporters, and Add1 reruns the whole method. It is
slow on purpose; it exists to check the C++ library (src/budget/), which is
written the fast way (money classes, lazy re-evaluation).

    reference_mes.py FILE.pb[:none] ...   writes FILE.expected.json next to each

":none" leaves out the Add1 cases (on files where Add1 takes hundreds of
reruns, too slow for this plain code or for a unit test).

Each expected file holds, for each case (method, utility, completion), the
funded project ids in the order they were chosen, their total cost and each
voter's final starting money.
"""
import csv
import io
import json
import sys
from fractions import Fraction


def read_pb(path):
    text = open(path, encoding="utf-8-sig").read()
    section, header = None, None
    meta, projects, ballots = {}, [], []
    index = {}
    for row in csv.reader(io.StringIO(text), delimiter=";", quotechar='"'):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        word = row[0].strip().lower()
        if len(row) == 1 and word in ("meta", "projects", "votes"):
            section, header = word, None
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            continue
        rec = dict(zip(header, row))
        if section == "meta":
            meta[rec["key"].strip().lower()] = rec["value"]
        elif section == "projects":
            index[rec["project_id"]] = len(projects)
            projects.append((rec["project_id"], int(Fraction(rec["cost"]))))
        else:
            ids = [x.strip() for x in rec["vote"].split(",") if x.strip()]
            pts = [1] * len(ids)
            if meta["vote_type"] in ("cumulative", "points"):
                pts = [int(x) for x in rec.get("points", "").split(",") if x.strip()]
            ballots.append({index[i]: w for i, w in zip(ids, pts) if w > 0})
    points = meta["vote_type"] in ("cumulative", "points")
    return int(Fraction(meta["budget"])), points, projects, ballots


def id_key(pid):
    return (0, int(pid), pid) if pid.isdigit() else (1, 0, pid)


def mes(projects, ballots, utility, money):
    n = len(ballots)
    b = [Fraction(money)] * n
    sup = [[] for _ in projects]
    for i, ballot in enumerate(ballots):
        for p, w in ballot.items():
            sup[p].append((i, w))
    remaining = set(range(len(projects)))
    chosen = []
    while True:
        best = None
        for p in sorted(remaining):
            cost = projects[p][1]
            if sum(b[i] for i, _ in sup[p]) < cost:
                remaining.discard(p)
                continue
            # Supporters in the order they run out of money as the price rises.
            order = sorted(sup[p], key=lambda iw: b[iw[0]] / iw[1])
            paid, weight = Fraction(0), sum(w for _, w in sup[p])
            for i, w in order:
                price = (cost - paid) / weight
                if b[i] < price * w:
                    paid += b[i]
                    weight -= w
                else:
                    break
            price = (cost - paid) / weight
            rho = price / cost if utility == "cost" else price
            key = (rho, cost, -len(sup[p]), id_key(projects[p][0]))
            if best is None or key < best[0]:
                best = (key, p, price)
        if best is None:
            return chosen
        _, p, price = best
        for i, w in sup[p]:
            b[i] -= min(b[i], price * w)
        chosen.append(p)
        remaining.discard(p)


def equal_shares(budget, projects, ballots, utility, completion):
    n = len(ballots)
    cost = lambda ps: sum(projects[p][1] for p in ps)
    money = Fraction(budget, n)
    kept = mes(projects, ballots, utility, money)
    if completion == "add1":
        supported = sum(1 for p in range(len(projects)) if any(p in bl for bl in ballots))
        k = 1
        while True:
            spent = cost(kept)
            if all(p in kept or spent + projects[p][1] > budget for p in range(len(projects))):
                break
            if len(kept) == supported:
                break
            more = budget // n + k
            nxt = mes(projects, ballots, utility, more)
            if cost(nxt) > budget:
                break
            kept, money = nxt, Fraction(more)
            k += 1
    return kept, money


def greedy(budget, projects, ballots):
    votes = [0] * len(projects)
    for ballot in ballots:
        for p, w in ballot.items():
            votes[p] += w
    order = sorted(range(len(projects)),
                   key=lambda p: (-votes[p], projects[p][1], id_key(projects[p][0])))
    left, chosen = budget, []
    for p in order:
        if votes[p] > 0 and projects[p][1] <= left:
            left -= projects[p][1]
            chosen.append(p)
    return chosen


def frac(x):
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def main(paths):
    for arg in paths:
        path, _, only = arg.partition(":")
        budget, points, projects, ballots = read_pb(path)
        utilities = ["points"] if points else ["cost", "approval"]
        cases = []
        for utility in utilities:
            for completion in ("none",) if only == "none" else ("none", "add1"):
                chosen, money = equal_shares(budget, projects, ballots, utility, completion)
                cases.append({"method": "equal-shares", "utility": utility,
                              "completion": completion,
                              "selected": [projects[p][0] for p in chosen],
                              "total_cost": sum(projects[p][1] for p in chosen),
                              "voter_money": frac(money)})
        chosen = greedy(budget, projects, ballots)
        cases.append({"method": "greedy", "selected": [projects[p][0] for p in chosen],
                      "total_cost": sum(projects[p][1] for p in chosen)})
        out = path[:-3] + ".expected.json"
        with open(out, "w") as f:
            json.dump({"file": path.split("/")[-1], "budget": budget, "voters": len(ballots),
                       "cases": cases}, f, indent=1)
            f.write("\n")
        print(f"{out}: {len(cases)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
