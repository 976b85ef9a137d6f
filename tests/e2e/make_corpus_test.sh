#!/usr/bin/env bash
# End-to-end test of scripts/make-corpus (docs/BENCHMARKS.md, "Synthetic corpus").
#
#   make_corpus_test.sh MAKE_CORPUS_BINARY EDGARIX_BINARY
#
# 1. Two runs with the same arguments write byte-identical files; another seed
#    writes different ones.
# 2. Layout: business days only, Feed archives and master.idx under
#    Archives/edgar/, each master.idx row names a member of that day's archive
#    with the same CIK, company, form and date; every member is listed.
# 3. 8-K items use the old numbering before 2004-08-23 and the new one after.
# 4. uuencoded attachments decode.
# 5. `edgarix index` reads the archives with zero failures, `edgarix stats`
#    counts every filing, and `edgarix query` finds exactly the 8-Ks and the
#    8-K events the members' headers list.
set -euo pipefail
if (( $# != 2 )); then
  echo "usage: $0 MAKE_CORPUS_BINARY EDGARIX_BINARY" >&2
  exit 2
fi
repo=$(cd "$(dirname "$0")/../.." && pwd)
export EDGARIX_MAKE_CORPUS=$1
edgarix=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

gen() {  # gen OUT SEED [extra args]
  local out=$1 seed=$2
  shift 2
  "$repo/scripts/make-corpus" --out "$out" --size 2M --seed "$seed" --start 2004-08-19 \
    --per-day-mb 0.4 --templates "$repo/tests/testdata/filings" --quiet "$@" > "$out.json"
}
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# 1. Determinism.
gen "$tmp/a" 7
gen "$tmp/b" 7
gen "$tmp/c" 8
[[ "$(sums "$tmp/a")" == "$(sums "$tmp/b")" ]] || fail "same seed, different bytes"
[[ "$(sums "$tmp/a")" != "$(sums "$tmp/c")" ]] || fail "different seeds, same bytes"
echo "ok: deterministic ($(sums "$tmp/a" | wc -l) files)"

# 2-4. Layout, index/member consistency, items, uuencode.
gen "$tmp/u" 9 --size 300K --uuencode-pct 100
python3 - "$tmp/a" "$tmp/u" <<'EOF'
import binascii, datetime, json, os, re, sys, tarfile

def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)

root = sys.argv[1]
base = os.path.join(root, "Archives", "edgar")
meta = json.load(open(os.path.join(root, "corpus.json")))
size = 0
days = [d["date"] for d in meta["days"]]
if days[:4] != ["2004-08-19", "2004-08-20", "2004-08-23", "2004-08-24"]:
    fail("business days expected from 2004-08-19, weekend skipped: %s" % days)
eightks = 0
for d in meta["days"]:
    ymd = d["date"].replace("-", "")
    q = "%s/QTR%d" % (ymd[:4], (int(ymd[4:6]) - 1) // 3 + 1)
    feed = os.path.join(base, "Feed", q, ymd + ".nc.tar.gz")
    idx = os.path.join(base, "daily-index", q, "master.%s.idx" % ymd)
    if d["feed"] != "Archives/edgar/Feed/%s/%s.nc.tar.gz" % (q, ymd):
        fail("feed path %s" % d["feed"])
    members = {}
    with tarfile.open(feed) as tar:
        names = tar.getnames()
        if names != sorted(names):
            fail("%s: members not sorted" % feed)
        for m in tar:
            if not re.fullmatch(r"\d{10}-\d{2}-\d{6}\.nc", m.name):
                fail("member name %s" % m.name)
            members[m.name[:-3]] = tar.extractfile(m).read()
    lines = open(idx, encoding="latin-1").read().splitlines()
    sep = next(i for i, l in enumerate(lines) if l.startswith("-----"))
    if lines[sep - 1] != "CIK|Company Name|Form Type|Date Filed|File Name":
        fail("%s: column header" % idx)
    listed = set()
    for line in lines[sep + 1:]:
        cik, name, form, date, path = line.split("|")
        acc = path.rsplit("/", 1)[1][:-4]
        if path != "edgar/data/%s/%s.txt" % (cik, acc) or date != ymd:
            fail("%s: bad row %r" % (idx, line))
        body = members.get(acc)
        if body is None:
            fail("%s: %s not in %s" % (idx, acc, feed))
        head = body[:body.find(b"<DOCUMENT>")].decode("latin-1")
        if ("<TYPE>%s\n" % form) not in head or ("<FILING-DATE>%s\n" % ymd) not in head:
            fail("%s: form/date of %s differ from the member" % (idx, acc))
        if ("<CIK>%010d\n" % int(cik)) not in head or ("<CONFORMED-NAME>%s\n" % name) not in head:
            fail("%s: party %s|%s not in member %s" % (idx, cik, name, acc))
        listed.add(acc)
    if listed != set(members):
        fail("%s: %d members not listed" % (feed, len(set(members) - listed)))
    for acc, body in members.items():
        size += len(body)
        head = body[:body.find(b"<DOCUMENT>")].decode("latin-1")
        if not head.startswith("<SUBMISSION>\n") or ("<ACCESSION-NUMBER>%s\n" % acc) not in head:
            fail("member %s header" % acc)
        if re.search(r"<TYPE>8-K(/A)?\n", head):
            eightks += 1
            items = re.findall(r"<ITEMS>(\S+)", head)
            if not items:
                fail("8-K %s without items" % acc)
            old = ymd < "20040823"
            if any(("." in i) == old for i in items):
                fail("8-K %s of %s has items %s (old numbering expected: %s)" % (acc, ymd, items, old))
if size != meta["bytes"]:
    fail("corpus.json bytes %d, members %d" % (meta["bytes"], size))
if eightks == 0:
    fail("no 8-K generated")
print("ok: layout and index/member agreement, %d filings, %d 8-Ks" % (meta["filings"], eightks))

# uuencoded attachments decode to their stated length.
root = sys.argv[2]
n = 0
for dp, _, files in os.walk(os.path.join(root, "Archives", "edgar", "Feed")):
    for f in files:
        with tarfile.open(os.path.join(dp, f)) as tar:
            for m in tar:
                body = tar.extractfile(m).read().decode("latin-1")
                for block in re.findall(r"\nbegin 644 (\S+)\n(.*?)\n`\nend\n", body, re.S):
                    data = b"".join(binascii.a2b_uu(l) for l in block[1].split("\n"))
                    if len(data) < 4096:
                        fail("short attachment %s" % block[0])
                    n += 1
if n == 0:
    fail("no uuencoded attachment with --uuencode-pct 100")
print("ok: %d uuencoded attachments decode" % n)
EOF

# 5. edgarix reads the corpus.
"$edgarix" index --db "$tmp/db" --strict "$tmp/a/Archives/edgar/Feed" > "$tmp/index.out" 2>&1 ||
  { cat "$tmp/index.out" >&2; fail "edgarix index failed"; }
"$edgarix" stats --db "$tmp/db" --format json > "$tmp/stats.json"
"$edgarix" query --db "$tmp/db" --format accessions --limit 0 'form:8-K' | sort -u > "$tmp/q8k.txt"
python3 - "$tmp/a" "$tmp/stats.json" "$tmp/q8k.txt" "$edgarix" "$tmp/db" <<'EOF'
import json, os, re, subprocess, sys, tarfile

def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)

root, stats_path, q8k_path, edgarix, db = sys.argv[1:]
OLD = {"1": "5.01", "2": "2.01", "3": "1.03", "4": "4.01", "5": "8.01", "6": "5.02", "7": "9.01",
       "8": "5.03", "9": "7.01", "10": "5.05", "11": "5.04", "12": "2.02"}
accs, eightk, events = set(), set(), {}
for dp, _, files in os.walk(os.path.join(root, "Archives", "edgar", "daily-index")):
    for f in files:
        for line in open(os.path.join(dp, f), encoding="latin-1"):
            parts = line.rstrip("\n").split("|")
            if len(parts) == 5 and parts[4].startswith("edgar/data/"):
                acc = parts[4].rsplit("/", 1)[1][:-4]
                accs.add(acc)
                if parts[2] == "8-K":
                    eightk.add(acc)
for dp, _, files in os.walk(os.path.join(root, "Archives", "edgar", "Feed")):
    for f in files:
        with tarfile.open(os.path.join(dp, f)) as tar:
            for m in tar:
                head = tar.extractfile(m).read(4096).decode("latin-1")
                if "<TYPE>8-K\n" in head:
                    for i in re.findall(r"<ITEMS>(\S+)", head):
                        events.setdefault(OLD.get(i, i), set()).add(m.name[:-3])
stats = json.load(open(stats_path))
text = json.dumps(stats)
filings = stats.get("filings")
if isinstance(filings, dict):
    filings = filings.get("total", filings.get("count"))
if filings != len(accs):
    fail("edgarix stats: %s filings, master.idx lists %d (stats: %s)" % (filings, len(accs), text[:400]))
failures = stats.get("failures", [])
nfail = failures if isinstance(failures, int) else len(failures)
if nfail:
    fail("edgarix recorded %s failures: %s" % (nfail, text[:400]))
got = set(open(q8k_path).read().split())
if got != eightk:
    fail("query form:8-K found %d, master.idx lists %d" % (len(got), len(eightk)))
checked = 0
for ev, want in sorted(events.items(), key=lambda kv: -len(kv[1]))[:3]:
    out = subprocess.run([edgarix, "query", "--db", db, "--format", "accessions", "--limit", "0",
                          "form:8-K event:%s" % ev], check=True, capture_output=True, text=True).stdout
    hits = set(out.split())
    if hits != want:
        fail("query event:%s found %d, headers list %d (extra %s, missing %s)" % (
            ev, len(hits), len(want), sorted(hits - want)[:3], sorted(want - hits)[:3]))
    checked += 1
print("ok: edgarix indexed %d filings, 0 failures; form:8-K = %d; %d events match" % (
    len(accs), len(eightk), checked))
EOF
# 6. `edgarix crawl` fetches the same corpus from tests/testing/edgar_server.py.
python3 "$repo/tests/testing/edgar_server.py" --root "$tmp/a/Archives/edgar" --timeout 300 \
  > "$tmp/server.out" 2> "$tmp/server.err" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
port=
for _ in $(seq 100); do
  port=$(head -n 1 "$tmp/server.out" 2>/dev/null || true)
  [[ -n $port ]] && break
  sleep 0.3
done
[[ -n $port ]] || { cat "$tmp/server.err" >&2; fail "edgar_server.py did not start"; }
last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["days"][-1]["date"])' "$tmp/a/corpus.json")
"$edgarix" crawl --db "$tmp/crawldb" --base-url "http://127.0.0.1:$port/" \
  --user-agent "make_corpus_test test@example.com" --from 2004-08-19 --to "$last" \
  > "$tmp/crawl.out" 2>&1 || { cat "$tmp/crawl.out" >&2; fail "edgarix crawl failed"; }
crawled=$("$edgarix" stats --db "$tmp/crawldb" --format json |
  python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["filings"], s["failures"])')
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["filings"], 0)' "$tmp/a/corpus.json")
[[ $crawled == "$want" ]] || { cat "$tmp/crawl.out" >&2; fail "crawl: filings/failures $crawled, want $want"; }
echo "ok: edgarix crawl from edgar_server.py indexed ${want% *} filings"
echo "PASS"
