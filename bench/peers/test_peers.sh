#!/usr/bin/env bash
# Tests of the benchmark peers (registered by bench/peers/CMakeLists.txt, label bench).
#   test_peers.sh check-queries QUERIES.tsv
#       the query set is well formed: 6+ columns, known classes, unique names,
#       at least 3 queries per class.
#   test_peers.sh ENGINE WORKDIR COMMAND...
#       COMMAND index / search (the peer command line) on testdata/tiny.docs,
#       with and without --store-text: every query of testdata/tiny_queries.tsv
#       must return its expected exact hit count (column 7), and every query of
#       bench/queries.tsv must be accepted. Exits 77 (skip) when COMMAND does.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tiny_docs=$here/testdata/tiny.docs
tiny_queries=$here/testdata/tiny_queries.tsv
bench_queries=$here/../queries.tsv

fail() { echo "FAIL: $*" >&2; exit 1; }

if [[ "${1:-}" == "check-queries" ]]; then
  file=$2
  awk -F'\t' '
    /^#/ || /^$/ { next }
    NF < 6 { printf "%s:%d: %d columns, want 6\n", FILENAME, NR, NF; bad = 1; next }
    $1 !~ /^(term|and|or|phrase|near|filtered)$/ { printf "%s:%d: unknown class %s\n", FILENAME, NR, $1; bad = 1 }
    { for (i = 2; i <= 6; i++) if ($i == "") { printf "%s:%d: empty column %d\n", FILENAME, NR, i; bad = 1 } }
    seen[$2]++ { printf "%s:%d: duplicate name %s\n", FILENAME, NR, $2; bad = 1 }
    { count[$1]++ }
    END {
      split("term and or phrase near filtered", classes, " ")
      for (i = 1; i <= 6; i++) {
        c = classes[i]
        if (count[c] < 3) { printf "%s: class %s has %d queries, want >= 3\n", FILENAME, c, count[c]; bad = 1 }
        else printf "%s: %d\n", c, count[c]
      }
      exit bad
    }' "$file" || fail "$file is malformed"
  echo "PASS: $file"
  exit 0
fi

engine=$1
work=$2
shift 2
cmd=("$@")
rm -rf "$work"
mkdir -p "$work"

expected_bytes=$(awk -F'\t' '/^#DOC\t/ { s += $6 } END { print s }' "$tiny_docs")
expected_docs=$(grep -c $'^#DOC\t' "$tiny_docs")

run() {  # run OUTFILE ARGS...: runs the peer, exits 77 when it is unavailable
  local out=$1
  shift
  "${cmd[@]}" "$@" >"$out" 2>"$out.err"
  local rc=$?
  if [[ $rc == 77 ]]; then
    echo "SKIP: $(cat "$out.err")"
    exit 77
  fi
  [[ $rc == 0 ]] || fail "$engine $* exited $rc: $(cat "$out.err")"
}

# One search run checks both query files (one JVM start less for Lucene): the
# tiny queries, then bench/queries.tsv with names prefixed "bench." (6 columns).
combined=$work/combined.tsv
{ grep -v '^#' "$tiny_queries"; grep -v '^#' "$bench_queries" | grep . | sed 's/^\([^\t]*\)\t/\1\tbench./'; } >"$combined"
bench_count=$(grep -v '^#' "$bench_queries" | grep -c .)

check_tiny() {  # check_tiny DB QUERIES: hit counts of tiny_queries.tsv
  local db=$1
  run "$work/tiny.out" search --db "$db" --queries "$2" --repeat 1
  awk -F'\t' -v engine="$engine" -v db="$db" '
    FNR == NR {  # the peer output: one JSON line per query
      name = $0; sub(/.*"name":"/, "", name); sub(/".*/, "", name)
      hits = $0; sub(/.*"hits":/, "", hits); sub(/[^0-9].*/, "", hits)
      got[name] = hits
      next
    }
    /^#/ || /^$/ { next }
    {
      n++
      if (!($2 in got)) { printf "FAIL: %s (%s): query %s: no result\n", engine, db, $2; bad = 1 }
      else if (got[$2] != $7) { printf "FAIL: %s (%s): query %s: %s hits, want %s\n", engine, db, $2, got[$2], $7; bad = 1 }
    }
    END { if (!bad) printf "%s (%s): %d queries return their expected hit counts\n", engine, db, n; exit bad }
  ' "$work/tiny.out" "$tiny_queries" || exit 1
}

for mode in plain store; do
  db=$work/db-$mode
  flags=()
  [[ $mode == store ]] && flags=(--store-text)
  run "$work/index.out" index --db "$db" --input "$tiny_docs" "${flags[@]}"
  grep -q "\"docs\":$expected_docs," "$work/index.out" || fail "$engine index: $(cat "$work/index.out"), want $expected_docs docs"
  grep -q "\"bytes\":$expected_bytes," "$work/index.out" || fail "$engine index: $(cat "$work/index.out"), want $expected_bytes bytes"
  echo "$engine index ($mode): $(cat "$work/index.out")"
  if [[ $mode == plain ]]; then
    check_tiny "$db" "$combined"
    got=$(grep -c '"name":"bench\.' "$work/tiny.out")
    [[ "$got" == "$bench_count" ]] || fail "$engine: $got result lines for $bench_queries, want $bench_count"
    echo "$engine: all $bench_count queries of $bench_queries accepted"
  elif [[ $engine != lucene ]]; then  # (Lucene: one JVM start less; its search does not depend on --store-text)
    check_tiny "$db" "$tiny_queries"
  fi
done
echo "PASS: $engine"
