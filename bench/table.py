#!/usr/bin/env python3
"""Prints bench/results/*.json as one Markdown table (the one docs/PERFORMANCE.md
carries): `table.py RESULTS_DIR [NAME...]`, all results when no name is given."""
import json
import os
import sys


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, int) or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def main():
    results = sys.argv[1]
    names = sys.argv[2:] or sorted(f[:-5] for f in os.listdir(results) if f.endswith(".json"))
    print("| benchmark | scale | case | metric | value | against | against value | ratio | better |")
    print("|---|---|---|---|---:|---|---:|---:|---|")
    for name in names:
        path = os.path.join(results, name + ".json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            doc = json.load(f)
        for r in doc["rows"]:
            better = "higher" if r["higher_is_better"] else "lower"
            print(f"| {doc['benchmark']} | {doc['scale']} | {r['case']} | {r['metric']} | "
                  f"{fmt(r['value'])} | {r['against']} | {fmt(r['against_value'])} | "
                  f"{r['ratio']:.2f} | {better} |")


if __name__ == "__main__":
    main()
