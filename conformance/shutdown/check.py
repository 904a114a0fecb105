"""Graceful shutdown and production logs of a running Mosaic, seen from outside.

Starts `mosaic serve` in production mode, sends the head and half the body of a GraphQL request, sends SIGTERM,
then checks that: new connections are refused, the started request still completes with its
data once the rest of the body arrives, the process exits 0 within the timeout, and its log
says the database pool closed. Every log line must be JSON, the request's line must carry
its request id, subject, operation and duration, and neither the token nor the secret may
appear anywhere in the log.

usage: python3 check.py MOSAIC_BINARY WORK_DIR
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, process, deadline=60):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            sys.exit(f"mosaic exited early with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("mosaic did not become ready")


def read_response(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
        if length and len(body) >= length[0]:
            break
    return data


def main():
    binary, work = sys.argv[1], sys.argv[2]
    port = free_port()
    log_path = os.path.join(work, "server.log")
    secret = "shutdown-check-" + os.urandom(16).hex()
    env = dict(os.environ, MOSAIC_BIND=f"127.0.0.1:{port}", MOSAIC_ENV="production",
               MOSAIC_JWT_SECRET=secret, DATABASE_URL=f"sqlite://{work}/mosaic.db?mode=rwc",
               MOSAIC_SHUTDOWN_TIMEOUT="20",
               # Production seeds only reference data, and only when asked: the in-flight
               # request reads regions, which that holds.
               MOSAIC_SEED_ON_START="true")
    token = subprocess.run([binary, "token", "--role", "ADMIN", "--ttl", "10m"], cwd=work, env=env,
                           check=True, capture_output=True, text=True).stdout.strip()
    with open(log_path, "w") as log:
        process = subprocess.Popen([binary, "serve"], cwd=work, env=env, stdout=log, stderr=log)
    try:
        wait_ready(port, process)
        body = json.dumps({"query": "query Shutdown { regions(first: 3) { totalCount } }"}).encode()
        inflight = socket.create_connection(("127.0.0.1", port), timeout=30)
        inflight.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {token}\r\nX-Request-Id: shutdown-check-1\r\n".encode()
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body[: len(body) // 2]
        )
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        time.sleep(1.0)

        # New connections are refused once the listener has closed.
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            sys.exit("a new connection was accepted after SIGTERM")
        except OSError:
            print("ok: new connections refused after SIGTERM")
        if process.poll() is not None:
            sys.exit("mosaic exited before its in-flight request finished")

        # The request that was under way finishes normally.
        inflight.sendall(body[len(body) // 2 :])
        answer = read_response(inflight)
        inflight.close()
        status = answer.split(b"\r\n", 1)[0]
        payload = json.loads(answer.partition(b"\r\n\r\n")[2])
        if b" 200 " not in status or payload.get("data", {}).get("regions", {}).get("totalCount", 0) < 1:
            sys.exit(f"in-flight request did not complete: {status!r} {payload}")
        print(f"ok: in-flight request completed after SIGTERM: {payload['data']}")

        code = process.wait(timeout=30)
        if code != 0:
            sys.exit(f"mosaic exited with {code}")
        print("ok: exited 0")
    finally:
        if process.poll() is None:
            process.kill()
    log = open(log_path).read()
    if "database pool closed" not in log:
        sys.exit(f"no 'database pool closed' in the log:\n{log}")
    print("ok: the database pool closed")
    check_log(log, token, secret)


def check_log(log, token, secret):
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    print(f"ok: all {len(lines)} log lines are JSON")
    for needle, what in ((token, "token"), (secret, "JWT secret"), (token.split(".")[2], "token signature")):
        if needle in log:
            sys.exit(f"the {what} appears in the log")
    print("ok: no token or secret in the log")
    requests = [l for l in lines if l.get("span", {}).get("request_id") == "shutdown-check-1"]
    finished = [l for l in requests if l.get("fields", {}).get("operation") == "Shutdown"]
    if not finished:
        sys.exit(f"no log line of the request with its operation: {requests}")
    line = finished[0]
    if not line["span"].get("subject"):
        sys.exit(f"no subject on the request's log line: {line}")
    if "ms" not in line["fields"]:
        sys.exit(f"no duration on the request's log line: {line}")
    print(f"ok: request line {json.dumps(line)}")


main()
