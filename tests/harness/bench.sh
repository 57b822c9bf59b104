#!/bin/sh
# make bench end to end, briefly: one round of a few cases on 6.12 must give
# both stacks' figures, their ratios, the markdown table and the plot. It
# checks the pipeline, not the speed (Documentation/performance.rst).
set -eu
R=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/ktcp-bench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
CASES=lo-bulk1,lo-rr,lo-crr,veth-bulk1,lo-idle

"$R/scripts/bench" --kernel 6.12 --rounds 1 --conns 300 --only "$CASES" \
	--out "$OUT" >"$OUT/stdout"
cat "$OUT/stdout"
python3 - "$OUT" "$CASES" <<'PY'
import json, math, sys

out, cases = sys.argv[1], sys.argv[2].split(",")
res = json.load(open(f"{out}/results.json"))["results"]
assert sorted(res) == sorted(cases), f"cases {sorted(res)}"
md = open(f"{out}/results.md").read()
table = open(f"{out}/stdout").read()
for name, r in res.items():
    for proto in ("tcp", "ktcp"):
        assert len(r["runs"][proto]) == 1, f"{name} {proto}: {r['runs'][proto]}"
    for key, ratio in r["ratio"].items():
        tcp, ktcp = r["tcp"][key], r["ktcp"][key]
        assert tcp > 0 and ktcp > 0, f"{name} {key}: {tcp} {ktcp}"
        # One round: its ratio is the median of the rounds' ratios.
        assert math.isclose(ratio, ktcp / tcp), f"{name} {key}: {ratio}"
    if r["kind"] == "idle":
        # The caches that grew per connection: SLUB may merge KTCP's
        # socket cache into another of its size, so no name is checked.
        for proto in ("tcp", "ktcp"):
            assert r["runs"][proto][0]["caches"], f"{proto}: no caches"
    assert f"| {name} " in md, f"{name} not in results.md"
    assert f"\n{name} " in table, f"{name} not in the table"
# One judged measure per case; the verdict agrees with the ratios.
targets = {"gbps": 1.0, "p50_us": 1.0, "rate": 1.0, "bytes_per_conn": 1.0}
met = sum(r["ratio"][k] >= t if k in ("gbps", "rate") else r["ratio"][k] <= t
          for r in res.values() for k, t in targets.items() if k in r["ratio"])
verdict = f"targets met: {met} of {len(cases)}"
assert verdict in table and verdict in md, f"no '{verdict}'"
print("bench: results complete")
PY
head -c 8 "$OUT/ratios.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' ||
	{ echo "ratios.png is not a PNG"; exit 1; }
