#!/usr/bin/env python3
"""Two builds of Mosaic, or one build with two settings, alternated on the same database and
load, to say what a change bought when the machine's speed drifts more between runs than the
change moves it: page (a) as an admin and read anonymously by POST, in rounds of A then B,
with the server and PostgreSQL CPU spent per response in each.

    python3 bench/ab.py --baseline OLD_BINARY --mosaic NEW_BINARY --oha OHA [--rounds 3]
    python3 bench/ab.py --baseline BINARY --mosaic BINARY --oha OHA \
        --baseline-env MOSAIC_DB_POOL_SIZE=10     # A runs with this setting, B without

It seeds the database (`mosaic_bench_10000`) as `bench/run.sh` does when it is not there yet.
"""

import argparse
import json
import statistics

import bench


def one(args, binary, label, token, page, env=None):
    args.mosaic = binary
    mosaic = bench.start_mosaic(args, f"mosaic_bench_{args.projects}", extra_env=env)
    try:
        url = f"{mosaic.base}/graphql"
        body = json.dumps({"query": page, "variables": {"first": 50}})
        rows = {}
        for name, caller in [("admin", token), ("anonymous", None)]:
            _, size = bench.post(url, page, {"first": 50}, caller)
            rows[name] = bench.measure(args, f"{label} (a) {name}", url, body, caller,
                                       expect_size=size, mosaic=mosaic.base, server=mosaic)
        return rows
    finally:
        mosaic.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    bench.common_arguments(parser, seconds=10, warmup=3, connections=64, out="ab-last-run.json")
    parser.add_argument("--baseline", required=True, help="the build before the change")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-env", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting of A's (again for more than one)")
    args = parser.parse_args()
    baseline_env = dict(setting.split("=", 1) for setting in args.baseline_env)
    changed = args.mosaic
    bench.ensure_database(args, f"mosaic_bench_{args.projects}", args.projects)
    token = bench.admin_token(args)
    page = (bench.QUERIES / "page.graphql").read_text()
    found = {"A": [], "B": []}
    for _ in range(args.rounds):
        found["A"].append(one(args, args.baseline, "A", token, page, baseline_env))
        found["B"].append(one(args, changed, "B", token, page))
    with open(args.out, "w") as out:
        json.dump(found, out, indent=2)
    for name in ["admin", "anonymous"]:
        for build in ["A", "B"]:
            rows = [r[name] for r in found[build]]
            cpu = [r["cpu_ms_per_response"] for r in rows]
            print(f"{build} {name}: req/s {[round(r['rps']) for r in rows]}, "
                  f"server CPU ms {[round(c['server'], 2) for c in cpu]} "
                  f"(median {statistics.median(c['server'] for c in cpu):.2f}), "
                  f"PostgreSQL CPU ms {[round(c['postgres'], 2) for c in cpu]} "
                  f"(median {statistics.median(c['postgres'] for c in cpu):.2f})")


if __name__ == "__main__":
    main()
