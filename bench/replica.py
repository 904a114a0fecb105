#!/usr/bin/env python3
"""Reads on a streaming replica: page (a) as an admin, against Mosaic on a primary alone and
then with MOSAIC_DATABASE_READ_URL naming its replica, both clusters of the run's own
(scripts/replica.sh: initdb, pg_basebackup; never the shared server), holding a copy of the
10 000-project bench database. Reports throughput, latency and where the queries ran
(`mosaic_db_reads_total`). On one machine the replica shares the cores with the primary, so
this shows what routing costs and that the reads move, not the capacity a second machine adds.

Run through bench/run.sh --replica, which installs oha and builds the release binary first.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import bench


def reads(base):
    request = urllib.request.Request(
        f"{base}/metrics", headers={"authorization": f"Bearer {bench.METRICS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    found = {"primary": 0.0, "replica": 0.0}
    for line in text.splitlines():
        for database in found:
            if line.startswith(f'mosaic_db_reads_total{{database="{database}"}}'):
                found[database] = float(line.split()[-1])
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    bench.common_arguments(parser, seconds=15, warmup=3, connections=64,
                           out="replica-last-run.json")
    parser.add_argument("--projects", type=int, default=10_000)
    args = parser.parse_args()
    source = f"mosaic_bench_{args.projects}"
    bench.ensure_database(args, source, args.projects)
    work = Path(tempfile.mkdtemp(prefix="mosaic-replica-bench-"))
    work.chmod(0o755)
    script = bench.ROOT / "scripts" / "replica.sh"
    started = subprocess.run(["bash", str(script), "start", str(work / "pg")], check=True,
                             capture_output=True, text=True).stdout
    ports = dict(line.split("=") for line in started.split())
    primary = f"postgres://postgres@127.0.0.1:{ports['PRIMARY_PORT']}"
    replica = f"postgres://postgres@127.0.0.1:{ports['REPLICA_PORT']}"
    report = {"settings": {k: v for k, v in vars(args).items()
                           if k not in ("mosaic", "oha", "out")}, "runs": []}
    try:
        bench.log(f"copying {source} to the run's own primary")
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", ports["PRIMARY_PORT"], "-U",
                        "postgres", "mosaic"], check=True)
        subprocess.run(f"pg_dump -h 127.0.0.1 -p 5432 -U postgres {source} | psql -q -h "
                       f"127.0.0.1 -p {ports['PRIMARY_PORT']} -U postgres -d mosaic "
                       f"-v ON_ERROR_STOP=1 > /dev/null", shell=True, check=True)
        bench.psql(primary, "mosaic", "VACUUM ANALYZE")
        token = bench.admin_token(args)
        page = (bench.QUERIES / "page.graphql").read_text()
        body = json.dumps({"query": page, "variables": {"first": 50}})
        for name, read_url in [("primary alone", None), ("reads on the replica", replica)]:
            extra = {"MOSAIC_DATABASE_READ_URL": f"{read_url}/mosaic?sslmode=disable"} \
                if read_url else {}
            mosaic = bench.start_mosaic(args, "mosaic", server=primary, extra_env=extra)
            try:
                url = f"{mosaic.base}/graphql"
                _, size = bench.post(url, page, {"first": 50}, token)
                # The replica serves once the watcher has seen it keep up.
                deadline = time.monotonic() + 30
                while read_url and reads(mosaic.base)["replica"] == 0:
                    if time.monotonic() > deadline:
                        raise SystemExit("the replica never served a read")
                    bench.post(url, page, {"first": 50}, token)
                    time.sleep(0.2)
                before = reads(mosaic.base)
                row = bench.measure(args, f"(a) page of 50, {name}", url, body, token,
                                    expect_size=size, mosaic=mosaic.base, server=mosaic)
                after = reads(mosaic.base)
                row["reads"] = {k: after[k] - before[k] for k in after}
                report["runs"].append(row)
            finally:
                mosaic.stop()
    finally:
        subprocess.run(["bash", str(script), "stop", str(work / "pg")], check=False)
        subprocess.run(["rm", "-rf", str(work)], check=False)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    lines = ["| run | req/s | p50 ms | p99 ms | queries on the primary | on the replica |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in report["runs"]:
        lines.append(f"| {r['name']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                     f"| {r['reads']['primary']:.0f} | {r['reads']['replica']:.0f} |")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
