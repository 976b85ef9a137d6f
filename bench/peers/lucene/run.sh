#!/usr/bin/env bash
# The Lucene peer of the issue-5 benchmark (bench/peers/README.md).
#   run.sh index  --db DIR --input FILE.docs [--store-text]
#   run.sh search --db DIR --queries FILE.tsv [--repeat R] [--top K]
# Compiles LucenePeer.java with javac on first use (or when the source is newer)
# into $LUCENE_PEER_BUILD (default: bench/peers/lucene/.build) and runs it with
# java. Jars come from $LUCENE_JAR_DIR (default /usr/share/java, Debian's
# liblucene8-java). JVM flags: $LUCENE_PEER_JAVA_OPTS (default -Xms1g -Xmx1g
# -XX:+UseSerialGC: fixed 1 GB heap, no parallel GC threads).
# Exits 77 (after a message on stderr) when java, javac or the jars are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${LUCENE_PEER_BUILD:-$here/.build}
jar_dir=${LUCENE_JAR_DIR:-/usr/share/java}
java_opts=${LUCENE_PEER_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseSerialGC}

unavailable() { echo "lucene peer unavailable: $*" >&2; exit 77; }
command -v java >/dev/null || unavailable "no java on PATH (apt-get install openjdk-17-jdk-headless)"
command -v javac >/dev/null || unavailable "no javac on PATH (apt-get install openjdk-17-jdk-headless)"

cp=""
for name in core analyzers-common queryparser queries sandbox; do
  jar=""
  if [[ -f "$jar_dir/lucene-$name.jar" ]]; then
    jar="$jar_dir/lucene-$name.jar"
  else
    for j in "$jar_dir"/lucene-"$name"-8*.jar; do
      [[ -f "$j" ]] && jar="$j"
    done
  fi
  if [[ -z "$jar" ]]; then
    case $name in
      queries|sandbox) continue ;;  # optional dependencies of the query parser
      *) unavailable "no lucene-$name jar in $jar_dir (apt-get install liblucene8-java)" ;;
    esac
  fi
  cp="${cp:+$cp:}$jar"
done

src="$here/LucenePeer.java"
if [[ ! -f "$build/LucenePeer.class" || "$src" -nt "$build/LucenePeer.class" ]]; then
  mkdir -p "$build"
  tmp=$(mktemp -d "$build/.javac.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  javac -nowarn -d "$tmp" -cp "$cp" "$src" >&2
  cp "$tmp"/*.class "$build"/
  rm -rf "$tmp"
  trap - EXIT
fi

# shellcheck disable=SC2086
exec java $java_opts -cp "$build:$cp" LucenePeer "$@"
