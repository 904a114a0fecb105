#!/usr/bin/env python3
"""Mosaic's benchmark, on loopback against PostgreSQL: oha load on a release build, PostGraphile
v5 and seaography (SeaORM's GraphQL generator, the Rust peer, built from bench/seaography) on
the same database as the peers, pgbench with the hand-written SQL as the limit.

Run through bench/run.sh, which installs the tools and builds the release binary first.
Every measured run is checked: HTTP statuses all 200, Mosaic's own error counter unchanged,
and for deterministic queries every response as long as the one checked by hand.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "queries"
SECRET = "bench-secret-0123456789abcdef0123456789abcdef"
METRICS_TOKEN = "bench-metrics-0123456789abcdef0123456789abcdef"


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(server, database, sql):
    return subprocess.run(
        ["psql", "-qtA", f"{server}/{database}", "-c", sql],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def post(url, query, variables=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(url, body, headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
    answer = json.loads(raw)
    if answer.get("errors"):
        raise SystemExit(f"{url}: errors: {json.dumps(answer['errors'])[:500]}")
    return answer["data"], len(raw)


def metrics(base):
    """Mosaic's counters: SQL statements, GraphQL errors and operations by outcome."""
    request = urllib.request.Request(f"{base}/metrics",
                                     headers={"authorization": f"Bearer {METRICS_TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    values = {"statements": 0.0, "errors": 0.0, "ok": 0.0, "failed": 0.0, "kept": 0.0}
    for line in text.splitlines():
        if line.startswith("mosaic_db_statements_total"):
            values["statements"] += float(line.split()[-1])
        elif line.startswith("mosaic_graphql_errors_total"):
            values["errors"] += float(line.split()[-1])
        elif line.startswith("mosaic_kept_answers_total"):
            values["kept"] += float(line.split()[-1])
        elif line.startswith("mosaic_graphql_operations_total"):
            outcome = "ok" if 'outcome="ok"' in line else "failed"
            values[outcome] += float(line.split()[-1])
    return values


class Server:
    """A process started for the run, stopped at the end."""

    def __init__(self, name, command, env, ready_url, cwd=None, ready_body=None):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)
        started = time.monotonic()
        self.process = subprocess.Popen(
            command, env={**os.environ, **env}, cwd=cwd,
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = started + 120
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited; see {self.log.name}")
            try:
                request = urllib.request.Request(
                    ready_url, ready_body, {"content-type": "application/json"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.process.kill()
                raise SystemExit(f"{name} not ready after 120 s; see {self.log.name}")
            time.sleep(0.01)
        self.ready_after = time.monotonic() - started

    def peak_rss_mib(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        return kib / 1024

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids, reaped=False):
    """User and system CPU time the processes have used so far; with `reaped`, also what
    their ended children had used."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])
        if reaped:
            total += int(fields[13]) + int(fields[14])
    return total / CLOCK_TICKS


def postgres_cpu_seconds():
    """CPU time of every PostgreSQL process so far, ended backends included: the postmaster
    holds what its reaped children used, so a backend whose pool closed it during a run
    (PostGraphile's closes idle ones after 10 s) takes no time out of the sum."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return cpu_seconds(pids, reaped=True)


def oha(args, url, seconds, connections, body=None, token=None, urls_file=None):
    # Uncompressed, as PostGraphile answers: the comparison is of the servers, not of gzip.
    command = [
        args.oha, "--no-tui", "--output-format", "json", "-z", f"{seconds}s",
        "-c", str(connections), "--disable-compression",
    ]
    if urls_file:
        command += ["--urls-from-file"]
    elif body is not None:
        command += ["-m", "POST", "-H", "content-type: application/json", "-d", body]
    if token:
        command += ["-H", f"authorization: Bearer {token}"]
    command.append(str(urls_file) if urls_file else url)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def measure(args, name, url, body=None, token=None, urls_file=None, connections=None,
            expect_size=None, mosaic=None, server=None, warm_up=True):
    """Warm-up (unless the server is warm already), then a measured run whose every response
    is checked. With `server` (a `Server`), also the CPU time it and PostgreSQL spent per
    response."""
    connections = connections or args.connections
    if warm_up:
        oha(args, url, args.warmup, connections, body, token, urls_file)
    before = metrics(mosaic) if mosaic else None
    cpu_before = (cpu_seconds([server.process.pid]), postgres_cpu_seconds()) if server else None
    result = oha(args, url, args.seconds, connections, body, token, urls_file)
    cpu_after = (cpu_seconds([server.process.pid]), postgres_cpu_seconds()) if server else None
    summary = result["summary"]
    statuses = result.get("statusCodeDistribution", {})
    # oha cuts the requests still in flight when the duration ends; those are not failures.
    failures = {k: v for k, v in result.get("errorDistribution", {}).items()
                if "deadline" not in k}
    count = sum(statuses.values())
    problems = []
    if set(statuses) != {"200"}:
        problems.append(f"HTTP statuses {statuses}")
    if failures:
        problems.append(f"transport errors {failures}")
    if expect_size is not None and count:
        size = summary.get("sizePerRequest")
        if size is not None and abs(size - expect_size) > 0.5:
            problems.append(f"responses average {size} bytes, the checked one has {expect_size}")
    if mosaic:
        after = metrics(mosaic)
        if after["errors"] != before["errors"] or after["failed"] != before["failed"]:
            problems.append(
                f"{after['errors'] - before['errors']:.0f} GraphQL errors during the run"
            )
        # A kept answer (the response cache) is a success that ran no operation.
        answered = after["ok"] - before["ok"] + after["kept"] - before["kept"]
        if answered < count:
            problems.append(f"{count} responses but {answered:.0f} operations succeeded")
    percentiles = result["latencyPercentiles"]
    row = {
        "name": name,
        "connections": connections,
        "requests": count,
        "rps": summary["requestsPerSec"],
        "p50_ms": percentiles["p50"] * 1000,
        "p99_ms": percentiles["p99"] * 1000,
        "checked": "ok" if not problems else "; ".join(problems),
    }
    if server and count:
        row["cpu_ms_per_response"] = {
            "server": (cpu_after[0] - cpu_before[0]) * 1000 / count,
            "postgres": (cpu_after[1] - cpu_before[1]) * 1000 / count,
        }
    log(f"{name}: {row['rps']:.0f} req/s, p50 {row['p50_ms']:.1f} ms, "
        f"p99 {row['p99_ms']:.1f} ms, {count} responses, {row['checked']}")
    if problems:
        raise SystemExit(f"{name}: {row['checked']}")
    return row


def page_rounds(args, mosaic, postgraphile, token, database, page):
    """(a) on Mosaic, on PostGraphile and as raw SQL, in `args.rounds` rounds of the three in
    turn: a machine whose speed drifts during the run then slows each of them alike, where
    one long run of each would hand the drift to whichever ran at the slower moment."""
    peer_page = (QUERIES / "postgraphile-page.graphql").read_text()
    url, peer_url = f"{mosaic.base}/graphql", f"{postgraphile.base}/graphql"
    _, size = post(url, page, {"first": 50}, token)
    data, peer_size = post(peer_url, peer_page, {"first": 50})
    assert len(data["allProjects"]["nodes"]) == 50, data
    body = json.dumps({"query": page, "variables": {"first": 50}})
    peer_body = json.dumps({"query": peer_page, "variables": {"first": 50}})
    rounds = []
    for n in range(1, args.rounds + 1):
        rounds.append({
            "mosaic": measure(args, f"Mosaic (a) page of 50, round {n}", url, body, token,
                              expect_size=size, mosaic=mosaic.base, server=mosaic,
                              warm_up=n == 1),
            "postgraphile": measure(args, f"PostGraphile (a) page of 50, round {n}", peer_url,
                                    peer_body, expect_size=peer_size, server=postgraphile,
                                    warm_up=n == 1),
            "raw_sql": pgbench(args, database, QUERIES / "page.sql", 10),
        })
    return rounds


def combined(name, rows):
    """Rounds of equal length as one run: their mean throughput, CPU per response over all
    their responses, the median round's p50 and the worst round's p99."""
    requests = sum(r["requests"] for r in rows)
    row = {
        "name": name,
        "connections": rows[0]["connections"],
        "requests": requests,
        "rps": sum(r["rps"] for r in rows) / len(rows),
        "p50_ms": sorted(r["p50_ms"] for r in rows)[len(rows) // 2],
        "p99_ms": max(r["p99_ms"] for r in rows),
        "checked": "ok",
        "rounds": [round(r["rps"]) for r in rows],
    }
    if all("cpu_ms_per_response" in r for r in rows):
        row["cpu_ms_per_response"] = {
            part: sum(r["cpu_ms_per_response"][part] * r["requests"] for r in rows) / requests
            for part in ("server", "postgres")
        }
    return row


def ensure_database(args, database, projects):
    exists = psql(args.server, "postgres",
                  f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if exists and not args.fresh:
        have = psql(args.server, database,
                    "SELECT count(*) FROM project WHERE code LIKE 'SYN-%'")
        if have == str(projects):
            log(f"{database}: {projects} synthetic projects already there")
            return None
    psql(args.server, "postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(args.server, "postgres", f"CREATE DATABASE {database}")
    log(f"{database}: seeding {projects} synthetic projects")
    started = time.monotonic()
    subprocess.run(
        [args.mosaic, "seed", "--synthetic", str(projects), "--random-seed", "1"],
        check=True, env={**os.environ, "DATABASE_URL": f"{args.server}/{database}",
                         "MOSAIC_JWT_SECRET": SECRET},
    )
    psql(args.server, database, "VACUUM ANALYZE")
    return time.monotonic() - started


def counts(args, database):
    sql = ("SELECT (SELECT count(*) FROM project), (SELECT count(*) FROM funding), "
           "(SELECT count(*) FROM workshop), (SELECT count(*) FROM registration)")
    p, f, w, r = psql(args.server, database, sql).split("|")
    return {"projects": int(p), "fundings": int(f), "workshops": int(w), "registrations": int(r)}


def start_mosaic(args, database, server=None, extra_env=None):
    """Mosaic on `database` of `server` (the bench's server unless named), with `extra_env`."""
    port = free_port()
    env = {
        # Loopback: no TLS to PostgreSQL, as PostGraphile's and pgbench's connections here.
        "DATABASE_URL": f"{server or args.server}/{database}?sslmode=disable",
        "MOSAIC_BIND": f"127.0.0.1:{port}",
        "MOSAIC_ENV": "production",
        "MOSAIC_JWT_SECRET": SECRET,
        "MOSAIC_SEED_ON_START": "false",
        # Production serves /metrics only with a token (or on an address of its own).
        "MOSAIC_METRICS_TOKEN": METRICS_TOKEN,
        "MOSAIC_RATE_LIMIT_PER_MINUTE": "0",
        "MOSAIC_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE": "0",
        "MOSAIC_DB_POOL_SIZE": str(args.pool_size),
        "RUST_LOG": "warn",
        **(extra_env or {}),
    }
    mosaic = Server("mosaic", [args.mosaic, "serve"], env, f"http://127.0.0.1:{port}/ready")
    mosaic.base = f"http://127.0.0.1:{port}"
    return mosaic


def admin_token(args):
    return subprocess.run(
        [args.mosaic, "token", "--role", "ADMIN", "--ttl", "2h", "--sub", "bench"],
        check=True, capture_output=True, text=True,
        env={**os.environ, "MOSAIC_JWT_SECRET": SECRET},
    ).stdout.strip()


def statements_per_request(base, query, variables, token):
    before = metrics(base)["statements"]
    post(f"{base}/graphql", query, variables, token)
    return metrics(base)["statements"] - before


def pgbench(args, database, script, clients):
    out = subprocess.run(
        ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(args.seconds),
         "-f", str(script), f"{args.server}/{database}"],
        check=True, capture_output=True, text=True, env={**os.environ, "PGSSLMODE": "disable"},
    ).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if failed and int(failed.group(1)):
        raise SystemExit(f"pgbench: {failed.group(1)} failed transactions")
    log(f"raw SQL (pgbench, {clients} clients): {tps:.0f} tps, average {latency:.1f} ms")
    return {"tps": tps, "latency_ms": latency, "clients": clients}


def start_postgraphile(args, database):
    port = free_port()
    node = ROOT / "bench" / "node_modules" / ".bin" / "node"
    cli = ROOT / "bench" / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
    # The amber preset over `database`, with the pool Mosaic has (postgraphile-bench.config.mjs).
    command = [str(node), str(cli), "-C", "postgraphile-bench.config.mjs",
               "--host", "127.0.0.1", "-p", str(port)]
    env = {"NODE_ENV": "production", "BENCH_DATABASE_URL": f"{args.server}/{database}",
           "BENCH_POOL_SIZE": str(args.pool_size)}
    ready = f"http://127.0.0.1:{port}/graphql"
    server = Server("postgraphile", command, env, ready,
                    cwd=ROOT / "bench", ready_body=b'{"query":"{ __typename }"}')
    server.base = f"http://127.0.0.1:{port}"
    return server


def start_seaography(args, database):
    port = free_port()
    env = {"DATABASE_URL": f"{args.server}/{database}?sslmode=disable",
           "BIND": f"127.0.0.1:{port}", "POOL_SIZE": str(args.pool_size)}
    ready = f"http://127.0.0.1:{port}/graphql"
    server = Server("seaography", [args.seaography], env, ready,
                    ready_body=b'{"query":"{ __typename }"}')
    server.base = f"http://127.0.0.1:{port}"
    return server


def lookup_urls(base, projects, path):
    """GET URLs for project(code:) over every synthetic code, in a fixed shuffled order."""
    template = (QUERIES / "lookup.graphql").read_text()
    template = "\n".join(l for l in template.splitlines() if not l.startswith("#"))
    lines = []
    step = 7919  # a prime, so the walk visits every code once before repeating
    for i in range(min(projects, 10_000)):
        n = (i * step) % projects
        query = template.replace("CODE", f"SYN-{n:07d}")
        lines.append(f"{base}/graphql?" + urllib.parse.urlencode({"query": query}))
    path.write_text("\n".join(lines) + "\n")
    return lines


def common_arguments(parser, seconds, warmup, connections, out):
    """The options every bench script takes: the server, the load, the tools, the output."""
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=int, default=seconds)
    parser.add_argument("--warmup", type=int, default=warmup)
    parser.add_argument("--connections", type=int, default=connections)
    parser.add_argument("--pool-size", type=int, default=32,
                        help="database connections each server keeps (Mosaic's default on "
                             "PostgreSQL); PostGraphile and seaography get as many")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--mosaic", required=True)
    parser.add_argument("--oha", required=True)
    parser.add_argument("--out", default=str(ROOT / "bench" / out))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--aggregate-projects", type=int, default=26_000,
                        help="projects in the database for the aggregates (26 000 give over 1 M registrations)")
    common_arguments(parser, seconds=20, warmup=5, connections=64, out="last-run.json")
    parser.add_argument("--aggregate-connections", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of (a) on Mosaic, PostGraphile and raw SQL in turn")
    parser.add_argument("--seaography", required=True, help="the peer's release binary")
    args = parser.parse_args()

    report = {"settings": {k: v for k, v in vars(args).items() if k not in ("mosaic", "oha", "out")}}
    page_db = f"mosaic_bench_{args.projects}"
    aggregate_db = f"mosaic_bench_{args.aggregate_projects}"
    report["seed_seconds"] = {
        page_db: ensure_database(args, page_db, args.projects),
        aggregate_db: ensure_database(args, aggregate_db, args.aggregate_projects),
    }
    report["rows"] = {page_db: counts(args, page_db), aggregate_db: counts(args, aggregate_db)}
    token = admin_token(args)
    page = (QUERIES / "page.graphql").read_text()

    # Mosaic and PostGraphile on the 10k database: (a) in rounds, then Mosaic's (b) and (d).
    mosaic = start_mosaic(args, page_db)
    postgraphile = start_postgraphile(args, page_db)
    runs = []
    try:
        report["mosaic_ready_seconds"] = mosaic.ready_after
        log(f"Mosaic ready {mosaic.ready_after * 1000:.0f} ms after start")
        url = f"{mosaic.base}/graphql"
        data, size = post(url, page, {"first": 50}, token)
        assert len(data["projects"]["nodes"]) == 50
        report["statements"] = {
            "page_of_5": statements_per_request(mosaic.base, page, {"first": 5}, token),
            "page_of_100": statements_per_request(mosaic.base, page, {"first": 100}, token),
        }
        log(f"SQL statements for (a): {report['statements']}")
        rounds = page_rounds(args, mosaic, postgraphile, token, page_db, page)
        report["page_rounds"] = rounds
        runs.append(combined("Mosaic (a) page of 50", [r["mosaic"] for r in rounds]))
        runs.append(combined("PostGraphile (a) page of 50",
                             [r["postgraphile"] for r in rounds]))
        raw = [r["raw_sql"] for r in rounds]
        report["raw_sql"] = {"tps": sum(r["tps"] for r in raw) / len(raw),
                             "latency_ms": sum(r["latency_ms"] for r in raw) / len(raw),
                             "clients": raw[0]["clients"], "rounds": [round(r["tps"]) for r in raw]}
        report["postgraphile_peak_rss_mib"] = postgraphile.peak_rss_mib()
        urls = ROOT / "bench" / ".lookup-urls.txt"
        for sample in lookup_urls(mosaic.base, args.projects, urls)[:20]:
            request = urllib.request.Request(sample, headers={"authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                answer = json.loads(response.read())
            assert answer["data"]["project"] and not answer.get("errors"), answer
        runs.append(measure(args, "Mosaic (b) project(code:)", url, token=token,
                            urls_file=urls, mosaic=mosaic.base))
        # (d) Anonymous readers of a public page: POST runs it every time; GET is answered
        # from the response cache until the next write.
        _, size = post(url, page, {"first": 50})
        body = json.dumps({"query": page, "variables": {"first": 50}})
        runs.append(measure(args, "Mosaic (d) page of 50, anonymous POST (run each time)", url,
                            body, expect_size=size, mosaic=mosaic.base, server=mosaic))
        get_url = url + "?" + urllib.parse.urlencode(
            {"query": page, "variables": json.dumps({"first": 50})})
        runs.append(measure(args, "Mosaic (d) page of 50, anonymous GET (kept)", get_url,
                            expect_size=size, mosaic=mosaic.base, server=mosaic))
        report["mosaic_peak_rss_mib"] = mosaic.peak_rss_mib()
        log(f"Mosaic peak RSS {report['mosaic_peak_rss_mib']:.1f} MiB")
    finally:
        postgraphile.stop()
        mosaic.stop()

    # The Rust peer on the same database: (a), far enough behind to need no rounds.
    peer = start_seaography(args, page_db)
    try:
        peer_page = (QUERIES / "seaography-page.graphql").read_text()
        data, size = post(f"{peer.base}/graphql", peer_page, {"first": 50})
        assert len(data["project"]["nodes"]) == 50, data
        body = json.dumps({"query": peer_page, "variables": {"first": 50}})
        runs.append(measure(args, "seaography (a) page of 50", f"{peer.base}/graphql", body,
                            expect_size=size, server=peer))
        report["seaography_peak_rss_mib"] = peer.peak_rss_mib()
    finally:
        peer.stop()

    # Mosaic on the 1 M-registration database: (c).
    mosaic = start_mosaic(args, aggregate_db)
    try:
        url = f"{mosaic.base}/graphql"
        for name, file, caller in [
                ("Mosaic (c) fundingSummary COUNTRY, YEAR", "funding-summary.graphql", token),
                ("Mosaic (c) participationSummary GENDER, COUNTRY",
                 "participation-summary.graphql", token),
                # Anonymous: what the public may see, counts perturbed (cell key method).
                ("Mosaic (c) participationSummary GENDER, COUNTRY, anonymous",
                 "participation-summary.graphql", None)]:
            query = (QUERIES / file).read_text()
            _, size = post(url, query, None, caller)
            runs.append(measure(args, name, url, json.dumps({"query": query}), caller,
                                connections=args.aggregate_connections, expect_size=size,
                                mosaic=mosaic.base))
    finally:
        mosaic.stop()

    report["runs"] = runs
    mosaic_a = runs[0]
    peer_a = next(r for r in runs if r["name"].startswith("PostGraphile"))
    report["ratio_vs_postgraphile"] = mosaic_a["rps"] / peer_a["rps"]
    rust_peer = next(r for r in runs if r["name"].startswith("seaography"))
    report["ratio_vs_seaography"] = mosaic_a["rps"] / rust_peer["rps"]
    report["ratio_vs_raw_sql"] = mosaic_a["rps"] / report["raw_sql"]["tps"]
    anonymous = [r for r in runs if r["name"].startswith("Mosaic (d)")]
    report["ratio_kept_vs_run"] = anonymous[1]["rps"] / anonymous[0]["rps"]
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(render(report))


def runs_named(report, prefix):
    return next(r for r in report["runs"] if r["name"].startswith(prefix))


def render(report):
    lines = ["| run | connections | req/s | p50 ms | p99 ms | responses | checked |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in report["runs"]:
        lines.append(f"| {r['name']} | {r['connections']} | {r['rps']:.0f} | {r['p50_ms']:.1f} "
                     f"| {r['p99_ms']:.1f} | {r['requests']} | {r['checked']} |")
    raw = report["raw_sql"]
    lines += [
        "",
        f"- (a) in {len(report['page_rounds'])} rounds of Mosaic, PostGraphile and raw SQL in "
        f"turn, req/s per round: Mosaic {runs_named(report, 'Mosaic (a)')['rounds']}, "
        f"PostGraphile {runs_named(report, 'PostGraphile (a)')['rounds']}, "
        f"raw SQL {raw['rounds']}",
        f"- raw SQL for (a), pgbench with {raw['clients']} clients: {raw['tps']:.0f} req/s "
        f"(average {raw['latency_ms']:.1f} ms)",
        f"- Mosaic / PostGraphile on (a): {report['ratio_vs_postgraphile']:.2f}×; "
        f"Mosaic / seaography: {report['ratio_vs_seaography']:.2f}×; "
        f"Mosaic / raw SQL: {report['ratio_vs_raw_sql']:.2f}×",
        f"- anonymous page (d), kept (GET) / run each time (POST): "
        f"{report['ratio_kept_vs_run']:.1f}×",
        f"- SQL statements for (a): {report['statements']['page_of_5']:.0f} at 5 rows, "
        f"{report['statements']['page_of_100']:.0f} at 100 rows",
        f"- Mosaic peak RSS: {report['mosaic_peak_rss_mib']:.1f} MiB "
        f"(PostGraphile: {report['postgraphile_peak_rss_mib']:.1f} MiB, "
        f"seaography: {report['seaography_peak_rss_mib']:.1f} MiB)",
        f"- Mosaic start to ready: {report['mosaic_ready_seconds'] * 1000:.0f} ms",
    ]
    for r in report["runs"]:
        if "cpu_ms_per_response" in r:
            cpu = r["cpu_ms_per_response"]
            lines.append(f"- CPU per response, {r['name']}: server {cpu['server']:.1f} ms, "
                         f"PostgreSQL {cpu['postgres']:.1f} ms")
    lines += [
        f"- rows: {json.dumps(report['rows'])}",
        f"- seeding (s, null if reused): {json.dumps(report['seed_seconds'])}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
