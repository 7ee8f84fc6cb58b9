#!/usr/bin/env python3
"""answers.py PORT CLIENTS SECONDS QUERY: CLIENTS loops sending the GraphQL QUERY to chainmap on 127.0.0.1:PORT for
SECONDS, then one line per outcome — OK, or the first error's extensions.code — with its count, p50 and max
latency and rate. hey counts a GraphQL error (HTTP 200) as an answer; this tells answers from refusals and
timeouts. Standard library only; loopback only."""
import json
import sys
import threading
import time
import urllib.error
import urllib.request

port, clients, secs, query = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
body = json.dumps({"query": query}).encode()
results, lock, end = [], threading.Lock(), time.time() + secs


def outcome(answer):
    errors = answer.get("errors") or []
    return errors[0].get("extensions", {}).get("code", "NO_CODE") if errors else "OK"


def worker():
    while time.time() < end:
        start = time.time()
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", body, {"Content-Type": "application/json"})
            code = outcome(json.load(urllib.request.urlopen(req, timeout=120)))
        except urllib.error.HTTPError as e:  # 4xx/5xx: the body still says why
            try:
                code = f"HTTP {e.code} " + outcome(json.load(e))
            except ValueError:
                code = f"HTTP {e.code}"
        except Exception as e:  # a refused connection, a timeout
            code = "EXCEPTION:" + type(e).__name__
        with lock:
            results.append((code, time.time() - start))


threads = [threading.Thread(target=worker) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
by = {}
for code, took in results:
    by.setdefault(code, []).append(took)
for code, took in sorted(by.items()):
    took.sort()
    print(f"{code:24s} n={len(took):5d} p50={took[len(took) // 2] * 1000:9.0f} ms max={took[-1] * 1000:9.0f} ms {len(took) / secs:.3f}/s")
