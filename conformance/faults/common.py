"""What the fault checks share: a Mosaic process, a tiny HTTP client and GraphQL helpers.

Nothing here reaches past 127.0.0.1; every wait is bounded.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

SECRET = "fault-check-secret-0123456789abcdef0123"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Mosaic:
    """`mosaic serve` on a free loopback port with the given database."""

    def __init__(self, binary, database_url, work, extra_env=None):
        self.binary, self.database_url, self.work = binary, database_url, work
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": database_url,
            "MOSAIC_BIND": f"127.0.0.1:{self.port}",
            "MOSAIC_JWT_SECRET": SECRET,
            "MOSAIC_RATE_LIMIT_PER_MINUTE": "0",
            "MOSAIC_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE": "0",
            "RUST_LOG": "warn",
        })
        self.env.update(extra_env or {})
        self.process = None

    def start(self, ready_within=60):
        log = open(os.path.join(self.work, f"mosaic-{self.port}.log"), "ab")
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=log, stderr=log)
        start = time.monotonic()
        while time.monotonic() - start < ready_within:
            if self.process.poll() is not None:
                fail(f"mosaic exited early with {self.process.returncode}")
            if self.status("/ready")[0] == 200:
                return
            time.sleep(0.2)
        fail("mosaic did not become ready")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def token(self, role, *countries):
        args = [self.binary, "token", "--role", role, "--ttl", "1h"]
        for c in countries:
            args += ["--country", c]
        out = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            fail(f"mosaic token failed: {out.stderr}")
        return out.stdout.strip()

    def status(self, path, timeout=5):
        """(status, headers, seconds) of a GET; status 0 when no answer came."""
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                return r.status, r.headers, time.monotonic() - started
        except urllib.error.HTTPError as e:
            return e.code, e.headers, time.monotonic() - started
        except OSError:
            return 0, {}, time.monotonic() - started

    def gql(self, query, variables=None, token=None, timeout=30):
        """(status, body, headers, seconds) of a GraphQL POST."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(self.base + "/graphql", data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/graphql-response+json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                return r.status, json.load(r), r.headers, time.monotonic() - started
        except urllib.error.HTTPError as e:
            try:
                payload = json.load(e)
            except ValueError:
                payload = None
            return e.code, payload, e.headers, time.monotonic() - started
        except OSError as e:
            return 0, {"transport": str(e)}, {}, time.monotonic() - started


REGISTER = """mutation($input: RegisterForWorkshopInput!) {
  registerForWorkshop(input: $input) { registration { id status } }
}"""

CREATE_WORKSHOP = """mutation($input: CreateWorkshopInput!) {
  createWorkshop(input: $input) { workshop { id } }
}"""

REGISTRANTS = """query($id: ID!, $after: String) { node(id: $id) { ... on Workshop {
    registrations(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { email } } } } }"""


def workshop(mosaic, token, capacity=100000):
    """A new public workshop of SE-BLEKINGE-JRT to register for."""
    status, body, _, _ = mosaic.gql('{ project(code: "SE-BLEKINGE-JRT") { id } }', token=token)
    project = (body or {}).get("data", {}).get("project", {}).get("id")
    if not project:
        fail(f"no project to hold the workshop: {body}")
    starts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30 * 86400))
    ends = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 30 * 86400 + 7200))
    status, body, _, _ = mosaic.gql(CREATE_WORKSHOP, {"input": {
        "project": project, "originalLanguage": "en",
        "title": [{"language": "en", "text": "Fault check"}],
        "startsAt": starts, "endsAt": ends, "timeZone": "Europe/Stockholm",
        "format": "ONLINE", "language": "en", "capacity": capacity, "openToPublic": True,
    }}, token=token)
    created = (body or {}).get("data") or {}
    if not created.get("createWorkshop"):
        fail(f"createWorkshop failed: {status} {body}")
    return created["createWorkshop"]["workshop"]["id"]


def register(mosaic, workshop_id, n, timeout=30):
    """(acknowledged, status, body, headers, seconds) of one registration with email n."""
    status, body, headers, seconds = mosaic.gql(REGISTER, {"input": {
        "workshop": workshop_id, "participantName": f"Person {n}",
        "email": f"person{n}@example.se", "gender": "WOMAN", "ageBand": "AGE_30_54",
        "consent": {"noticeVersion": "2026-11", "purposes": ["WORKSHOP_ADMINISTRATION"]},
    }}, timeout=timeout)
    ok = status == 200 and body and not body.get("errors") and body.get("data", {}).get("registerForWorkshop")
    return bool(ok), status, body, headers, seconds


def registered_emails(mosaic, token, workshop_id):
    emails, after = set(), None
    while True:
        status, body, _, _ = mosaic.gql(REGISTRANTS, {"id": workshop_id, "after": after}, token=token)
        if status != 200 or not body or body.get("errors"):
            fail(f"cannot read the registrations: {status} {body}")
        page = body["data"]["node"]["registrations"]
        emails |= {r["email"] for r in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            return emails
        after = page["pageInfo"]["endCursor"]


def code_of(body):
    try:
        return body["errors"][0]["extensions"]["code"]
    except (KeyError, IndexError, TypeError):
        return None


class Writers:
    """Clients registering people in a loop, each answer recorded with the phase it was sent
    and answered in (a phase is what the check is doing to the database meanwhile)."""

    def __init__(self, mosaic, workshop_id, count):
        import threading
        self.mosaic, self.workshop_id = mosaic, workshop_id
        self.phase, self.results = "before", []
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._threads = [threading.Thread(target=self._write, args=(w * 1_000_000,))
                         for w in range(count)]

    def _write(self, n):
        while not self._stop.is_set():
            sent = self.phase
            ok, status, body, headers, seconds = register(self.mosaic, self.workshop_id, n)
            with self._lock:
                self.results.append({
                    "sent": sent, "answered": self.phase, "email": f"person{n}@example.se",
                    "ok": ok, "status": status, "code": code_of(body),
                    "retry_after": headers.get("Retry-After"), "seconds": seconds,
                })
            n += 1

    def start(self):
        for t in self._threads:
            t.start()

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)

    def within(self, phase):
        """Answers sent and received while the phase lasted."""
        return [r for r in self.results if r["sent"] == r["answered"] == phase]

    def acknowledged(self):
        return {r["email"] for r in self.results if r["ok"]}

    def refused(self):
        return {r["email"] for r in self.results if not r["ok"]}

    def check_before(self, what):
        """Every write before the fault was acknowledged."""
        before = self.within("before")
        if not before or not all(r["ok"] for r in before):
            fail(f"writes failed before {what}: {[r for r in before if not r['ok']][:3]}")

    def check_kept(self, seen, when):
        """Every acknowledged registration is among those `seen`, and no refused one is."""
        lost = self.acknowledged() - seen
        if lost:
            fail(f"{len(lost)} acknowledged registrations missing {when}: {sorted(lost)[:5]}")
        ghosts = seen & self.refused()
        if ghosts:
            fail(f"{len(ghosts)} refused registrations visible {when}: {sorted(ghosts)[:5]}")


def unavailable(answer):
    """Whether a refused answer is the honest kind: 503 SERVICE_UNAVAILABLE with Retry-After."""
    return (answer["status"] == 503 and answer["code"] == "SERVICE_UNAVAILABLE"
            and bool(answer["retry_after"]))
