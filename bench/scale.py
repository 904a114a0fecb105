#!/usr/bin/env python3
"""Cost as work grows: page (a), project(code:) and both summaries at 1 000, 10 000 and
100 000 synthetic projects (about 4 M registrations at the top), on loopback against
PostgreSQL. For each size: the seeding time, the SQL statements each query sends, and p50/p99
of a short load at a few connections (latency, not throughput, is the measure here). Every
response is checked as in bench.py.

Run through bench/run.sh --scale, which installs oha and builds the release binary first.
"""

import argparse
import json
import sys
import urllib.request
from pathlib import Path

import bench

QUERIES = bench.QUERIES


def run_size(args, projects, token):
    database = f"mosaic_bench_{projects}"
    seeded = bench.ensure_database(args, database, projects)
    rows = bench.counts(args, database)
    mosaic = bench.start_mosaic(args, database)
    found = {"projects": projects, "seed_seconds": seeded, "rows": rows, "queries": {}}
    try:
        url = f"{mosaic.base}/graphql"
        page = (QUERIES / "page.graphql").read_text()
        lookup_urls = bench.ROOT / "bench" / f".lookup-urls-{projects}.txt"
        samples = bench.lookup_urls(mosaic.base, projects, lookup_urls)
        lookup = (QUERIES / "lookup.graphql").read_text()
        lookup = "\n".join(l for l in lookup.splitlines() if not l.startswith("#"))
        for name, query, variables in [
            ("(a) page of 50", page, {"first": 50}),
            ("(b) project(code:)", lookup.replace("CODE", "SYN-0000007"), None),
            ("fundingSummary COUNTRY, YEAR", (QUERIES / "funding-summary.graphql").read_text(),
             None),
            ("participationSummary GENDER, COUNTRY",
             (QUERIES / "participation-summary.graphql").read_text(), None),
        ]:
            data, size = bench.post(url, query, variables, token)
            statements = bench.statements_per_request(mosaic.base, query, variables, token)
            if name.startswith("(b)"):
                for sample in samples[:5]:
                    request = urllib.request.Request(
                        sample, headers={"authorization": f"Bearer {token}"})
                    with urllib.request.urlopen(request, timeout=30) as response:
                        answer = json.loads(response.read())
                    assert answer["data"]["project"] and not answer.get("errors"), answer
                row = bench.measure(args, f"{projects}: {name}", url, token=token,
                                    urls_file=lookup_urls, mosaic=mosaic.base)
            else:
                body = json.dumps({"query": query, "variables": variables})
                row = bench.measure(args, f"{projects}: {name}", url, body, token,
                                    expect_size=size, mosaic=mosaic.base)
            row["statements"] = statements
            found["queries"][name] = row
    finally:
        mosaic.stop()
    return found


def render(report):
    sizes = report["sizes"]
    names = list(sizes[0]["queries"])
    head = "| query | " + " | ".join(f"{s['projects']:,} p50 / p99 ms" for s in sizes)
    head += " | statements | p50 growth, last two sizes |"
    lines = [head, "|---|" + "---:|" * (len(sizes) + 2)]
    for name in names:
        cells = [f"{s['queries'][name]['p50_ms']:.1f} / {s['queries'][name]['p99_ms']:.1f}"
                 for s in sizes]
        statements = sorted({int(s["queries"][name]["statements"]) for s in sizes})
        growth = sizes[-1]["queries"][name]["p50_ms"] / sizes[-2]["queries"][name]["p50_ms"]
        lines.append(f"| {name} | " + " | ".join(cells) +
                     f" | {'/'.join(map(str, statements))} | {growth:.2f}× |")
    lines.append("")
    for s in sizes:
        seeded = "reused" if s["seed_seconds"] is None else f"seeded in {s['seed_seconds']:.0f} s"
        lines.append(f"- {s['projects']:,} projects: {json.dumps(s['rows'])}, {seeded}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    bench.common_arguments(parser, seconds=10, warmup=3, connections=4,
                           out="scale-last-run.json")
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    token = bench.admin_token(args)
    report = {"settings": {k: v for k, v in vars(args).items()
                           if k not in ("mosaic", "oha", "out")},
              "sizes": [run_size(args, int(n), token) for n in args.sizes.split(",")]}
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(render(report))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
