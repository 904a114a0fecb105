"""A PostgreSQL outage, from outside: fail fast and honestly, recover, lose nothing.

Starts a PostgreSQL cluster of its own (initdb in the work folder, a free port; never the
shared server) and Mosaic on it. Four clients register people in a loop. The cluster is
stopped: every request must then be answered within MAX_ANSWER_SECONDS with HTTP 503, code
SERVICE_UNAVAILABLE and Retry-After, and /ready with 503 within a second. The cluster is
started again: writes must succeed again without restarting Mosaic, and every acknowledged
registration must be there, no refused one.

usage: python3 pg_outage.py MOSAIC_BINARY WORK_DIR   (as root: the cluster runs as postgres)
"""

import glob
import os
import shutil
import subprocess
import sys
import time

from common import Mosaic, Writers, fail, free_port, registered_emails, unavailable, workshop

WRITERS = 4
OUTAGE_SECONDS = 6.0
AFTER_SECONDS = 4.0
# MOSAIC_DB_ACQUIRE_TIMEOUT (2 s by default) plus room for a loaded machine.
MAX_ANSWER_SECONDS = 3.0


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        fail(f"PostgreSQL's {name} is not installed")
    return found[-1]


class Cluster:
    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.port = free_port()
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        self.as_postgres([pg_bin("initdb"), "-D", self.dir, "-A", "trust", "-U", "postgres"])

    def as_postgres(self, args):
        run = ["runuser", "-u", "postgres", "--"] + args if os.geteuid() == 0 else args
        out = subprocess.run(run, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            fail(f"{args[0]} failed: {out.stderr}")

    def start(self):
        self.as_postgres([pg_bin("pg_ctl"), "-D", self.dir, "-w", "-l",
                          os.path.join(self.dir, "log"), "-o",
                          f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start"])

    def stop(self):
        self.as_postgres([pg_bin("pg_ctl"), "-D", self.dir, "-w", "-m", "fast", "stop"])

    def url(self, db):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"


def main():
    binary, work = sys.argv[1], sys.argv[2]
    cluster = Cluster(work)
    cluster.start()
    mosaic = None
    try:
        cluster.as_postgres([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port),
                             "-U", "postgres", "mosaic"])
        mosaic = Mosaic(binary, cluster.url("mosaic"), work)
        mosaic.start()
        admin = mosaic.token("ADMIN")
        target = workshop(mosaic, admin)
        writers = Writers(mosaic, target, WRITERS)
        writers.start()
        time.sleep(2.0)
        writers.phase = "stopping"
        cluster.stop()
        writers.phase = "down"
        time.sleep(OUTAGE_SECONDS / 2)
        ready = mosaic.status("/ready")
        time.sleep(OUTAGE_SECONDS / 2)
        writers.phase = "starting"
        cluster.start()
        writers.phase = "up"
        time.sleep(AFTER_SECONDS)
        writers.stop()

        down, up = writers.within("down"), writers.within("up")
        writers.check_before("the outage")
        if not down:
            fail("no request was answered during the outage")
        bad = [r for r in down if r["ok"] or not unavailable(r)]
        if bad:
            fail(f"during the outage every request must answer 503 SERVICE_UNAVAILABLE with "
                 f"Retry-After: {bad[:3]}")
        slowest = max(r["seconds"] for r in down)
        if slowest > MAX_ANSWER_SECONDS:
            fail(f"an answer during the outage took {slowest:.2f} s")
        if ready[0] != 503 or ready[2] > 1.0:
            fail(f"/ready during the outage: {ready[0]} in {ready[2]:.2f} s")
        print(f"outage: {len(down)} requests answered 503 SERVICE_UNAVAILABLE with Retry-After, "
              f"slowest {slowest:.2f} s; /ready 503 in {ready[2]:.2f} s", file=sys.stderr)
        first_ok = next((i for i, r in enumerate(up) if r["ok"]), None)
        if first_ok is None:
            fail("writes did not resume after PostgreSQL came back")
        # Each client may meet one connection the restart broke; after that, all succeed.
        late = up[first_ok + WRITERS:]
        if not all(r["ok"] for r in late):
            fail(f"writes failed after recovery: {[r for r in late if not r['ok']][:3]}")
        print(f"after the restart: {sum(r['ok'] for r in up)} of {len(up)} writes acknowledged",
              file=sys.stderr)

        acknowledged, refused = writers.acknowledged(), writers.refused()
        writers.check_kept(registered_emails(mosaic, admin, target), "after the outage")
        print(f"ok: {len(acknowledged)} acknowledged, all present; {len(refused)} refused, "
              f"none visible", flush=True)
    finally:
        if mosaic:
            mosaic.stop()
        try:
            cluster.stop()
        except SystemExit:
            pass


if __name__ == "__main__":
    main()
