#!/usr/bin/env python3
"""chainmap from Python, with the standard library only: one GraphQL query and one export download.

    CHAINMAP_URL=http://127.0.0.1:8080 python3 chainmap_example.py [chainMapId]

The query lists a chain's segments upstream to downstream with their open bottlenecks; the download streams
the chain's bottlenecks as CSV (UTF-8 with a byte-order mark, one row per bottleneck, a `sources` column)
to a file and reads it back. Errors carry extensions.code (docs/api.md).
"""

import csv
import json
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("CHAINMAP_URL", "http://127.0.0.1:8080").rstrip("/")
TOKEN = os.environ.get("CHAINMAP_TOKEN")  # needed only where reads are closed (CHAINMAP_READS=viewer)

SEGMENTS = """
query Segments($id: ID!) {
  chainMap(id: $id) {
    name
    segments { order stage name bottlenecks { name status severity } }
  }
}
"""


class GraphQLError(Exception):
    def __init__(self, error):
        ext = error.get("extensions") or {}
        self.code, self.reason, self.field = ext.get("code"), ext.get("reason"), ext.get("field")
        super().__init__(f"{self.code}: {error.get('message')}")


def headers(extra=None):
    h = {"Accept": "application/json", **(extra or {})}
    if TOKEN:
        h["Authorization"] = "Bearer " + TOKEN
    return h


def query(text, variables=None):
    """Runs a GraphQL query over POST and returns its data; raises GraphQLError on the first error."""
    body = json.dumps({"query": text, "variables": variables or {}}).encode()
    req = urllib.request.Request(BASE + "/graphql", data=body, headers=headers({"Content-Type": "application/json"}))
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            result = json.load(resp)
    except urllib.error.HTTPError as e:  # 4xx/5xx still carry a GraphQL error body
        result = json.load(e)
    if result.get("errors"):
        raise GraphQLError(result["errors"][0])
    return result["data"]


def download(path, params, dest):
    """Streams an export (e.g. /export/bottlenecks.csv) to dest; returns the number of bytes written."""
    url = BASE + path + "?" + urllib.parse.urlencode(params)
    written = 0
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers()), timeout=60) as resp, open(dest, "wb") as out:
        while chunk := resp.read(64 << 10):
            out.write(chunk)
            written += len(chunk)
    return written


def main():
    chain = sys.argv[1] if len(sys.argv) > 1 else "hydrogen"
    data = query(SEGMENTS, {"id": chain})["chainMap"]
    if data is None:
        sys.exit(f"no chain map {chain!r}")
    print(f"{data['name']}: {len(data['segments'])} segments")
    for s in data["segments"]:
        open_ones = [b for b in s["bottlenecks"] if b["status"] != "RESOLVED"]
        print(f"  {s['order']:>2} {s['stage']:<10} {s['name']}: {len(open_ones)} unresolved bottleneck(s)")

    with tempfile.TemporaryDirectory() as tmp:
        dest = os.path.join(tmp, "bottlenecks.csv")
        size = download("/export/bottlenecks.csv", {"chainMapId": chain}, dest)
        with open(dest, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    by_status = {}
    for r in rows:
        by_status[r.get("status")] = by_status.get(r.get("status"), 0) + 1
    print(f"bottlenecks.csv: {size} bytes, {len(rows)} bottlenecks ({by_status}), columns {', '.join(list(rows[0])[:6]) if rows else '-'}…")
    if not rows or "sources" not in rows[0]:
        sys.exit("the export has no rows or no sources column")

    # An error names its code: an unknown chain map's id is not an error (null), a malformed region code is.
    try:
        query("{ enterprises(filter: {regionCode: \"Hebei\"}) { totalCount } }")
        sys.exit("a malformed region code was accepted")
    except GraphQLError as e:
        print(f"as expected: {e} (field {e.field})")


if __name__ == "__main__":
    main()
