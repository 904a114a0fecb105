"""SQLite on a full disk, from outside: no acknowledged write lost, none unacknowledged seen.

Mounts a small tmpfs, puts a seeded database on it and starts Mosaic there. Four clients
register people in a loop; meanwhile a filler file takes every free byte. While the disk is full, a write that
no longer fits must be refused (503 SERVICE_UNAVAILABLE with Retry-After, not acknowledged),
and /ready must say 503. Then the filler is removed: writes must resume without a restart. Finally Mosaic is
stopped and started again and every acknowledged registration must be there, no refused one
may be, and `PRAGMA integrity_check` must answer ok.

usage: python3 full_disk.py MOSAIC_BINARY WORK_DIR   (as root: it mounts a tmpfs)
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import time

from common import Mosaic, Writers, fail, registered_emails, unavailable, workshop

# Room for the seeded database and the write-ahead log a second of four writers grows
# (a loaded machine checkpoints late), before the filler takes the rest.
DISK_BYTES = 32 * 1024 * 1024
WRITERS = 4
FULL_SECONDS = 3.0
FREED_SECONDS = 3.0


def fill(path):
    """Writes zeros until the disk refuses; returns the bytes written."""
    written = 0
    # Unbuffered, so nothing is left to flush on close when the disk is full.
    try:
        f = open(path, "wb", buffering=0)
    except OSError:
        # The writers' log filled the disk first: it is full already.
        return written
    try:
        with f:
            chunk = b"\0" * 65536
            while True:
                try:
                    n = f.write(chunk) or 0
                    os.fsync(f.fileno())
                except OSError:
                    break
                if n == 0:
                    break
                written += n
    except OSError:
        pass
    # The last partial chunks, byte by byte down to a page.
    for size in (4096, 512, 1):
        try:
            with open(path + f".{size}", "wb", buffering=0) as f:
                while True:
                    n = f.write(b"\0" * size) or 0
                    os.fsync(f.fileno())
                    if n == 0:
                        break
                    written += n
        except OSError:
            pass
    return written


def main():
    binary, work = sys.argv[1], sys.argv[2]
    seeded = os.path.join(work, "seeded.db")
    disk = os.path.join(work, "disk")
    os.makedirs(disk, exist_ok=True)
    env = dict(os.environ, DATABASE_URL=f"sqlite://{seeded}?mode=rwc")
    subprocess.run([binary, "seed"], env=env, check=True, capture_output=True, timeout=120)
    with sqlite3.connect(seeded) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", disk], check=True)
    mosaic = None
    try:
        shutil.copy(seeded, os.path.join(disk, "mosaic.db"))
        url = f"sqlite://{os.path.join(disk, 'mosaic.db')}?mode=rwc"
        mosaic = Mosaic(binary, url, work, {"MOSAIC_DB_ACQUIRE_TIMEOUT": "2s"})
        mosaic.start()
        admin = mosaic.token("ADMIN")
        target = workshop(mosaic, admin)
        writers = Writers(mosaic, target, WRITERS)
        writers.start()
        time.sleep(1.0)
        writers.phase = "filling"
        filled = fill(os.path.join(disk, "filler"))
        print(f"disk filled with {filled} bytes while {WRITERS} clients wrote", file=sys.stderr)
        writers.phase = "full"
        time.sleep(FULL_SECONDS)
        ready = mosaic.status("/ready")
        for path in os.listdir(disk):
            if path.startswith("filler"):
                os.remove(os.path.join(disk, path))
        writers.phase = "freed"
        time.sleep(FREED_SECONDS)
        writers.stop()

        acknowledged, refused = writers.acknowledged(), writers.refused()
        full, after = writers.within("full"), writers.within("freed")
        writers.check_before("the disk filled")
        # A write may still fit in pages the database already holds (a reused WAL): it is
        # durable and may be acknowledged. Every other write must be refused, and some must.
        if all(r["ok"] for r in full):
            fail(f"no write was refused while the disk was full ({len(full)} tried)")
        bad = [r for r in full if not r["ok"] and not unavailable(r)]
        if bad:
            fail(f"a full disk must answer 503 SERVICE_UNAVAILABLE with Retry-After: {bad[:3]}")
        if ready[0] != 503:
            fail(f"/ready said {ready[0]} while the disk was full")
        slowest = max(r["seconds"] for r in full)
        print(f"while full: {sum(not r['ok'] for r in full)} of {len(full)} writes refused with "
              f"503 (slowest answer {slowest:.2f} s); /ready 503 in {ready[2]:.2f} s",
              file=sys.stderr)
        if not after or not all(r["ok"] for r in after):
            fail(f"writes did not all resume once space was back: "
                 f"{[r for r in after if not r['ok']][:3]}")
        if mosaic.status("/ready")[0] != 200:
            fail("/ready did not recover")
        print(f"after freeing: {len(after)} of {len(after)} writes acknowledged, "
              f"without a restart", file=sys.stderr)

        before_restart = registered_emails(mosaic, admin, target)
        mosaic.stop()
        mosaic.start()
        after_restart = registered_emails(mosaic, admin, target)
        writers.check_kept(before_restart, "before the restart")
        writers.check_kept(after_restart, "after the restart")
        mosaic.stop()
        with sqlite3.connect(os.path.join(disk, "mosaic.db")) as db:
            check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            fail(f"integrity_check: {check}")
        print(f"ok: {len(acknowledged)} acknowledged, all present after a restart; "
              f"{len(refused)} refused, none visible; integrity_check ok", flush=True)
    finally:
        if mosaic:
            mosaic.stop()
        subprocess.run(["umount", "-l", disk], check=False)


if __name__ == "__main__":
    main()
