#!/usr/bin/env bash
# Runs a local Neo4j 5.26 LTS Community server assembled from Maven Central jars, with Neo4j's own launcher.
#
#   dev/neo4j/neo4j.sh start    fetch the jars if needed, write neo4j.conf, start (or reuse) the server, wait for it
#   dev/neo4j/neo4j.sh stop     stop it cleanly (data persists)
#   dev/neo4j/neo4j.sh status   say whether it runs
#   dev/neo4j/neo4j.sh fetch    only fetch the jars
#   dev/neo4j/neo4j.sh backup [FILE]   store-level backup of database neo4j with neo4j-admin database dump: stops
#                               the server if it runs (Community dumps a stopped database only), writes FILE
#                               (default .neo4j/backups/<instance>/neo4j-<UTC time>.dump), starts it again
#   dev/neo4j/neo4j.sh restore FILE    neo4j-admin database load of FILE over database neo4j (the server is
#                               stopped for it and started again if it ran); users and passwords stay
#
# Environment (defaults in brackets):
#   NEO4J_INSTANCE   name of the instance; its files live in .neo4j/<instance>/  [dev]
#   NEO4J_BOLT_PORT  [7687]   NEO4J_HTTP_PORT [7474]   (loopback only)
#   NEO4J_PASSWORD   password of user neo4j, set before the first start  [chainmap-dev]
#   NEO4J_HEAP       JVM heap  [2g]      NEO4J_PAGECACHE  page cache  [1g]
#   NEO4J_START_TIMEOUT  seconds to wait for Bolt  [180]
#   JAVA_HOME        a JDK 17 or 21 (Neo4j 5.26 supports no other); found under /usr/lib/jvm if unset
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
root="${NEO4J_ROOT:-$repo/.neo4j}"
instance="${NEO4J_INSTANCE:-dev}"
bolt_port="${NEO4J_BOLT_PORT:-7687}"
http_port="${NEO4J_HTTP_PORT:-7474}"
password="${NEO4J_PASSWORD:-chainmap-dev}"
heap="${NEO4J_HEAP:-2g}"
pagecache="${NEO4J_PAGECACHE:-1g}"
timeout="${NEO4J_START_TIMEOUT:-180}"
lib="$root/lib"
home="$root/$instance"

say() { printf 'neo4j[%s]: %s\n' "$instance" "$*" >&2; }
die() { say "error: $*"; exit 1; }

find_java() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  candidates+=(/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*17* /usr/lib/jvm/*21*)
  for j in "${candidates[@]}"; do
    [ -x "$j/bin/java" ] || continue
    local v
    v=$("$j/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
    if [ "$v" = 17 ] || [ "$v" = 21 ]; then JAVA_HOME="$j"; export JAVA_HOME; return 0; fi
  done
  die "no JDK 17 or 21 found (Neo4j 5.26 runs on no other); install openjdk-17-jdk or set JAVA_HOME"
}

launcher() { "$JAVA_HOME/bin/java" -Xmx128m -cp "$lib/*" "$@"; }

# The jar folder is complete when every jar listed in lib.sha256 is there, intact. A corrupt or missing folder is
# fetched again; Maven keeps the downloads in ~/.m2, so a re-fetch is quick.
lib_ok() {
  [ -s "$root/lib.sha256" ] && [ -d "$lib" ] && [ "$(cat "$root/lib.pom" 2>/dev/null)" = "$(sha256sum <"$here/pom.xml")" ] &&
    (cd "$lib" && sha256sum --quiet --strict -c "$root/lib.sha256" >/dev/null 2>&1)
}

fetch() {
  lib_ok && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch the Neo4j jars; install maven"
  say "fetching Neo4j jars from Maven Central into $lib"
  rm -rf "$lib" "$root/lib.sha256"
  mkdir -p "$lib"
  local attempt
  for attempt in 1 2 3 4 5; do
    # The registry answers HTTP 429 under bursts: retry with a growing pause.
    if mvn -B -q -f "$here/pom.xml" \
        -Dmaven.wagon.http.retryHandler.count=5 -Dmaven.wagon.httpconnectionManager.ttlSeconds=30 \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$lib" >"$root/mvn.log" 2>&1; then
      (cd "$lib" && sha256sum -- *.jar) >"$root/lib.sha256"
      sha256sum <"$here/pom.xml" >"$root/lib.pom"
      if lib_ok; then
        say "fetched $(ls "$lib" | wc -l) jars"
        return 0
      fi
    fi
    say "fetch attempt $attempt failed (see $root/mvn.log); retrying in $((attempt * 10)) s"
    tail -n 5 "$root/mvn.log" >&2 || true
    if [ "$attempt" -ge 2 ]; then
      # A corrupt artifact in the local Maven repository would fail every time: drop Neo4j's and refetch.
      rm -rf "${HOME}/.m2/repository/org/neo4j"
    fi
    sleep $((attempt * 10))
  done
  die "could not fetch the Neo4j jars from Maven Central"
}

write_conf() {
  mkdir -p "$home"/{conf,data,logs,run,import,plugins}
  ln -sfn "$lib" "$home/lib"
  cat >"$home/conf/neo4j.conf" <<CONF
# Written by dev/neo4j/neo4j.sh at each start; edit the script, not this file.
server.directories.data=$home/data
server.directories.logs=$home/logs
server.directories.run=$home/run
server.directories.import=$home/import
server.directories.plugins=$home/plugins
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$bolt_port
server.bolt.advertised_address=127.0.0.1:$bolt_port
server.http.enabled=true
server.http.listen_address=127.0.0.1:$http_port
server.http.advertised_address=127.0.0.1:$http_port
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
# Sized for a 2-core / 24 GiB machine that runs two instances (dev and test) beside the API.
server.memory.heap.initial_size=$heap
server.memory.heap.max_size=$heap
server.memory.pagecache.size=$pagecache
db.tx_log.rotation.retention_policy=100M size
db.logs.query.enabled=INFO
db.logs.query.threshold=200ms
# Check transaction timeouts every 100 ms (default 2 s), so that NEO4J_QUERY_TIMEOUT is honoured closely.
db.transaction.monitor.check.interval=100ms
server.jvm.additional=-XX:+UseG1GC
server.jvm.additional=-XX:-OmitStackTraceInFastThrow
server.jvm.additional=-XX:+UnlockExperimentalVMOptions
server.jvm.additional=-XX:+TrustFinalNonStaticFields
server.jvm.additional=-XX:+DisableExplicitGC
server.jvm.additional=-Djdk.nio.maxCachedBufferSize=1024
server.jvm.additional=-Dio.netty.tryReflectionSetAccessible=true
server.jvm.additional=--add-opens=java.base/java.nio=ALL-UNNAMED
server.jvm.additional=--add-opens=java.base/java.io=ALL-UNNAMED
server.jvm.additional=--add-opens=java.base/sun.nio.ch=ALL-UNNAMED
server.jvm.additional=--enable-native-access=ALL-UNNAMED
server.jvm.additional=-Dlog4j2.disable.jmx=true
CONF
}

pid() { cat "$home/run/neo4j.pid" 2>/dev/null || true; }
running() { local p; p=$(pid); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ready: the HTTP query API answers RETURN 1 with our credentials, so the database is online and the password right.
ready() {
  curl -fsS -m 5 -u "neo4j:$password" -H 'Content-Type: application/json' \
    -d '{"statement":"RETURN 1"}' "http://127.0.0.1:$http_port/db/neo4j/query/v2" >/dev/null 2>&1
}

wait_ready() {
  local i
  for ((i = 0; i < timeout; i++)); do
    if ready && port_open "$bolt_port"; then
      say "ready after ${i}s: bolt://127.0.0.1:$bolt_port (browser http://127.0.0.1:$http_port/browser/)"
      echo "bolt://127.0.0.1:$bolt_port"
      return 0
    fi
    if ! running; then
      tail -n 30 "$home/logs/neo4j.log" >&2 2>/dev/null || true
      die "the server exited while starting (logs: $home/logs/)"
    fi
    if ((i > 5)) && curl -s -m 2 -o /dev/null -w '%{http_code}' -u "neo4j:$password" -H 'Content-Type: application/json' \
        -d '{"statement":"RETURN 1"}' "http://127.0.0.1:$http_port/db/neo4j/query/v2" 2>/dev/null | grep -q 401; then
      die "the server rejects the password in NEO4J_PASSWORD (it was set at the first start; delete $home/data to reset)"
    fi
    sleep 1
  done
  die "Bolt did not answer within ${timeout}s (logs: $home/logs/)"
}

start() {
  find_java
  # Two starts at once (say `make test` in two shells) must not race: the second waits, then reuses the first.
  mkdir -p "$root"
  exec 9>"$root/$instance.lock"
  flock 9
  if running; then
    say "already running (pid $(pid))"
    wait_ready
    return 0
  fi
  for p in "$bolt_port" "$http_port"; do
    port_open "$p" && die "port $p is in use by another program; set NEO4J_BOLT_PORT / NEO4J_HTTP_PORT"
  done
  fetch
  write_conf
  export NEO4J_HOME="$home" NEO4J_CONF="$home/conf"
  if [ ! -d "$home/data/databases/system" ]; then
    launcher org.neo4j.server.startup.Neo4jAdminCommand dbms set-initial-password "$password" >"$home/logs/admin.out" 2>&1 ||
      { cat "$home/logs/admin.out" >&2; die "could not set the initial password"; }
  fi
  say "starting Neo4j $(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$here/pom.xml") (bolt $bolt_port, http $http_port)"
  launcher org.neo4j.server.startup.Neo4jCommand start >"$home/logs/launcher.out" 2>&1 ||
    { cat "$home/logs/launcher.out" >&2; die "the launcher failed"; }
  wait_ready
}

stop() {
  if ! running; then
    say "not running"
    return 0
  fi
  find_java
  export NEO4J_HOME="$home" NEO4J_CONF="$home/conf"
  launcher org.neo4j.server.startup.Neo4jCommand stop >"$home/logs/launcher.out" 2>&1 ||
    { cat "$home/logs/launcher.out" >&2; die "the launcher could not stop the server"; }
  say "stopped"
}

admin() {
  find_java
  [ -f "$home/conf/neo4j.conf" ] || die "no instance $instance in $home (start it once first)"
  export NEO4J_HOME="$home" NEO4J_CONF="$home/conf"
  launcher org.neo4j.server.startup.Neo4jAdminCommand "$@"
}

# backup FILE: stop, neo4j-admin database dump to FILE (via a temporary file, renamed when complete), start again.
backup() {
  local file="${1:-$root/backups/$instance/neo4j-$(date -u +%Y%m%dT%H%M%SZ).dump}" was_running=0
  mkdir -p "$(dirname "$file")"
  running && was_running=1
  [ "$was_running" = 1 ] && stop
  say "dumping database neo4j to $file"
  if ! admin database dump neo4j --to-stdout >"$file.partial" 2>"$home/logs/admin.out"; then
    rm -f "$file.partial"
    cat "$home/logs/admin.out" >&2
    [ "$was_running" = 1 ] && start >/dev/null
    die "neo4j-admin database dump failed"
  fi
  mv "$file.partial" "$file"
  say "wrote $file ($(du -h "$file" | cut -f1))"
  [ "$was_running" = 1 ] && start >/dev/null
  echo "$file"
}

# restore FILE: stop, neo4j-admin database load FILE over database neo4j, start again if it ran.
restore() {
  local file="${1:-}" was_running=0
  [ -n "$file" ] && [ -s "$file" ] || die "restore needs a dump file written by backup (got '${file}')"
  running && was_running=1
  [ "$was_running" = 1 ] && stop
  say "loading $file over database neo4j"
  admin database load neo4j --from-stdin --overwrite-destination=true <"$file" >"$home/logs/admin.out" 2>&1 ||
    { cat "$home/logs/admin.out" >&2; die "neo4j-admin database load failed"; }
  say "loaded $file"
  [ "$was_running" = 1 ] && start >/dev/null
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then say "running (pid $(pid))"; else say "not running"; exit 3; fi ;;
  fetch) fetch ;;
  backup) backup "${2:-}" ;;
  restore) restore "${2:-}" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
