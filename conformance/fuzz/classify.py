"""Reads a schemathesis NDJSON report and judges it the way Mosaic's rules do: every answer
below 500, no INTERNAL_SERVER_ERROR, every error with an `extensions.code`, at least MIN_CASES
operations sent. schemathesis also reports GraphQL errors that carry a path (ST113); those are
answers to bad input (BAD_USER_INPUT with the field), so they are listed by their code rather
than counted as failures."""
import base64
import collections
import json
import sys

MIN_CASES = 1000


def main(path: str) -> int:
    sent = 0
    server_errors = []
    internal = []
    codes = collections.Counter()
    for line in open(path, encoding="utf-8"):
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        for case_id, interaction in finished["recorder"].get("interactions", {}).items():
            response = interaction.get("response")
            if not response:
                continue
            sent += 1
            body = base64.b64decode(response.get("content", {}).get("$base64", "")).decode("utf-8", "replace")
            label = finished["recorder"]["label"]
            if response["status_code"] >= 500:
                server_errors.append((label, response["status_code"], body[:200]))
            try:
                answer = json.loads(body)
            except ValueError:
                continue
            for error in answer.get("errors", []) if isinstance(answer, dict) else []:
                code = (error.get("extensions") or {}).get("code")
                codes[code or "(no code)"] += 1
                if code in (None, "INTERNAL_SERVER_ERROR"):
                    internal.append((label, body[:200]))
    print(f"fuzz: {sent} operations sent")
    for code, n in codes.most_common():
        print(f"  {n:6d} errors {code}")
    for label, status, body in server_errors:
        print(f"HTTP {status} from {label}: {body}")
    for label, body in internal:
        print(f"INTERNAL_SERVER_ERROR or an error without a code from {label}: {body}")
    ok = sent >= MIN_CASES and not server_errors and not internal
    print(f"fuzz: {'passed' if ok else 'FAILED'} ({len(server_errors)} HTTP 5xx, {len(internal)} internal or uncoded errors, {sent} of at least {MIN_CASES} operations)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
