#!/usr/bin/env bash
# Yahoo-style streaming benchmark: the same windowed count over the same input, as a Hearth stream job (a job
# bean deployed in a WAR on Payara Micro; exactly-once) and as a Kafka Streams 4.3.1 application (at-least-once
# and exactly_once_v2) against a real Apache Kafka 4.3.1 broker (KRaft, from Maven jars). One runtime at a time.
#
#   bench/stream-compare.sh                              # 10,000,000 events
#   bench/stream-compare.sh -Dbench.events=1000000       # a quick run
#   bench/stream-compare.sh -Dbench.workers=2            # Hearth job workers (default 1)
#
#   -Dbench.events=N                ad events (default 10000000), plus one closing click per partition
#   -Dbench.workers=N               Hearth: hearth.jobs.workers (default 1)
#   -Dbench.commit.interval.ms=N    Hearth: hearth.jobs.commit.interval.ms (default: Hearth's, 100)
#   BENCH_STREAMS_COMMIT_MS         Kafka Streams commit.interval.ms, also its cache flush (default 100)
#   BENCH_RUNTIMES                  which runtimes to run (default "kafka hearth")
#   BENCH_KAFKA_PORT, BENCH_KAFKA_CONTROLLER_PORT   (defaults 19092, 19093)
#   BENCH_OUT                       logs and results (default target/stream-compare/<date-time>)
#   BENCH_CASE                      campaigns (default: the Yahoo-style case below) or state-heavy (further below)
#
# Input (dev.hearth.bench.yahoo.AdEvents, the same generator on both sides): ~230-byte JSON ad events (user_id,
# page_id, ad_id of 1,000, ad_type, event_type view/click/purchase, event_time, ip) in 6 partitions, written
# before the job starts. Job: keep views, map ad -> campaign (100 x 10, a static map), count per campaign per
# 10-second tumbling event-time window with 5 s allowed lateness (Kafka Streams: grace), to an output topic.
# Time runs from the job's launch to the moment the verifier, reading the output read_committed, saw the last
# window's expected count. CPU-seconds and peak RSS come from /proc/<pid>/stat and status, sampled every 50 ms:
# for Hearth, of the whole Payara Micro JVM (log broker, job and server in one process); for Kafka Streams, of
# the application JVM and, separately, of the broker JVM. "Other load" is the CPU all other processes took during
# the run (machine busy time from /proc/stat minus job, broker and the measuring JVM): above 0.15 cores, the run
# was disturbed by something else on the machine and its figures are not comparable.
#
# State-heavy case (issue 16): state beyond the heap, on disk on both sides.
#
#   BENCH_CASE=state-heavy bench/stream-compare.sh                         # 2,000,000 distinct keys
#   BENCH_CASE=state-heavy bench/stream-compare.sh -Dbench.keys=200000     # a quick run
#
#   -Dbench.keys=N                  distinct keys (default 2000000), each seen 1-3 times (~2 N events)
#   -Dbench.hearth.xmx=SIZE         Hearth: the Payara Micro JVM's -Xmx (default 256m; broker + job + server)
#   BENCH_STREAMS_XMX               the Kafka Streams application JVM's -Xmx (default 96m)
#   BENCH_STREAMS_GUARANTEES        Kafka Streams guarantees to run (default "exactly_once_v2", as Hearth's)
#   -Dbench.quiet.seconds=N         both: the verifier gives up after N s without new output (default 300; the
#                                   campaign case's is 30)
#
# Input (dev.hearth.bench.distinct.DistinctKeyEvents, the same generator on both sides): key user-<32 hex> and
# value "view", record timestamp as event time, partitioned by key (6 partitions, no repartitioning), all within
# one hour, then one closing event per partition two hours later. Job: count per key per 1-hour tumbling
# event-time window with 5 s allowed lateness (grace), in a persistent RocksDB window store (Kafka Streams' default
# store; Hearth's StoreKind.PERSISTENT), to an output topic; every key's count is live state until the window
# closes. Both sides print the state's size estimate (serialized and as Java objects) next to their -Xmx. Verified
# exactly (every key's latest count) by DistinctKeyVerifier; measured as above.
set -euo pipefail
# shellcheck source=bench/lib/kafka-config.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/kafka-config.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events=10000000
keys=2000000
quiet_seconds=300
for arg in "$@"; do
  case "$arg" in
    -Dbench.events=*) events="${arg#-Dbench.events=}" ;;
    -Dbench.keys=*) keys="${arg#-Dbench.keys=}" ;;
    -Dbench.quiet.seconds=*) quiet_seconds="${arg#-Dbench.quiet.seconds=}" ;;
  esac
done
bench_case="${BENCH_CASE:-campaigns}"
case "$bench_case" in
  campaigns) streams_guarantees="${BENCH_STREAMS_GUARANTEES:-at_least_once exactly_once_v2}"; hearth_bench=StreamJobBench ;;
  state-heavy) streams_guarantees="${BENCH_STREAMS_GUARANTEES:-exactly_once_v2}"; hearth_bench=DistinctKeyStateBench ;;
  *) echo "BENCH_CASE must be campaigns or state-heavy, not $bench_case" >&2; exit 2 ;;
esac
streams_xmx="${BENCH_STREAMS_XMX:-96m}"
streams_commit_ms="${BENCH_STREAMS_COMMIT_MS:-100}"
runtimes=" ${BENCH_RUNTIMES:-kafka hearth} "
kafka_port="${BENCH_KAFKA_PORT:-19092}"
kafka_controller_port="${BENCH_KAFKA_CONTROLLER_PORT:-19093}"
out="${BENCH_OUT:-$root/target/stream-compare/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out" "$root/target"
out="$(cd "$out" && pwd)"
results="$out/results.txt"
: >"$results"
work="$(mktemp -d "$root/target/stream-compare-data.XXXXXX")"
classpath="$root/bench-kafka/target/classes:$root/bench-kafka/target/lib/*"
broker_pid=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$out/run.log" >&2; }

stop_broker() {
  [ -n "$broker_pid" ] || return 0
  if kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$broker_pid" 2>/dev/null && kill -KILL "$broker_pid" 2>/dev/null || true
  fi
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
}
cleanup() { stop_broker; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cat >"$work/log4j2-tools.properties" <<'PROPS'
status = warn
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss} %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = stderr
PROPS
tool() { java -Xmx512M -Dlog4j2.configurationFile="$work/log4j2-tools.properties" -cp "$classpath" "$@"; }

# --------------------------------------------------------------------------------------------- build
log "building bench-kafka (Kafka 4.3.1 broker, Kafka Streams 4.3.1, the shared generator and verifier)"
if ! mvn -q -B -f "$root/bench-kafka/pom.xml" package -DskipTests >"$out/build-bench-kafka.log" 2>&1; then
  cat "$out/build-bench-kafka.log" >&2
  exit 1
fi
for port in "$kafka_port" "$kafka_controller_port"; do
  if port_open "$port"; then echo "port 127.0.0.1:$port is in use" >&2; exit 1; fi
done
{
  echo "date:   $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus:   $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
  echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "jdk:    $(java -version 2>&1 | head -1)"
  if [ "$bench_case" = state-heavy ]; then
    echo "case:   state-heavy: $keys distinct keys in one 1-hour window (Kafka Streams -Xmx$streams_xmx)"
  else
    echo "events: $events (+ 6 closing clicks)"
  fi
} >"$out/machine.txt"

# ------------------------------------------------------------------------------------ Kafka Streams
start_kafka() {
  local dir="$work/kafka" cluster_id
  write_kafka_config "$dir" "$out/kafka-server.log" 6
  cluster_id="$(tool kafka.tools.StorageTool random-uuid)"
  tool kafka.tools.StorageTool format --config "$dir/server.properties" --cluster-id "$cluster_id" \
    >"$out/kafka-format.txt" 2>&1
  log "kafka: starting Apache Kafka 4.3.1 (KRaft combined) on 127.0.0.1:$kafka_port"
  launch_kafka_broker "$dir" "$classpath" "$out/kafka-console.log"
  local deadline=$((SECONDS + 120))
  until port_open "$kafka_port" && tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$kafka_port" \
      --list >/dev/null 2>&1; do
    if ! kill -0 "$broker_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      log "kafka: did not become ready; see $out/kafka-console.log"
      return 1
    fi
    sleep 1
  done
  log "kafka: ready (pid $broker_pid)"
}

if [[ "$runtimes" == *" kafka "* ]] && start_kafka; then
  if [ "$bench_case" = state-heavy ]; then
    log "kafka: loading $keys distinct keys"
    tool dev.hearth.bench.kafka.StateHeavyCompare load "127.0.0.1:$kafka_port" "$keys" 2>&1 | tee -a "$out/run.log"
  else
    log "kafka: loading $events events"
    tool dev.hearth.bench.kafka.StreamCompare load "127.0.0.1:$kafka_port" "$events" 2>&1 | tee -a "$out/run.log"
  fi
  for guarantee in $streams_guarantees; do
    log "kafka streams: $guarantee"
    if [ "$bench_case" = state-heavy ]; then
      tool -Dbench.results="$results" -Dbench.quiet.seconds="$quiet_seconds" dev.hearth.bench.kafka.StateHeavyCompare run "127.0.0.1:$kafka_port" "$keys" \
        "$guarantee" "$broker_pid" "$work/streams-state-$guarantee" "$streams_commit_ms" "$streams_xmx" \
        >>"$out/streams-$guarantee.log" 2>&1 || log "kafka streams $guarantee failed; see $out/streams-$guarantee.log"
    else
      tool -Dbench.results="$results" dev.hearth.bench.kafka.StreamCompare run "127.0.0.1:$kafka_port" "$events" \
        "$guarantee" "$broker_pid" "$work/streams-state-$guarantee" "$streams_commit_ms" \
        >>"$out/streams-$guarantee.log" 2>&1 || log "kafka streams $guarantee failed; see $out/streams-$guarantee.log"
    fi
    grep -E 'BENCH RESULT|state at its peak' "$out/streams-$guarantee.log" >&2 || true
  done
fi
stop_broker
log "kafka: stopped"

# ------------------------------------------------------------------------------------------- Hearth
if [[ "$runtimes" == *" hearth "* ]]; then
log "hearth: building the reactor and running $hearth_bench (load, restart with the job, count)"
if ! mvn -B -f "$root/pom.xml" verify -pl it -am -Dit.test="$hearth_bench" -Dtest=none \
     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
     -Dbench.results="$results" "$@" >"$out/hearth.log" 2>&1; then
  log "hearth: the run failed; see $out/hearth.log and it/target/work/bench-*.log"
fi
grep -E 'BENCH RESULT|Loaded |state at its peak' "$out/hearth.log" >&2 || true
fi

# -------------------------------------------------------------------------------------------- table
echo
cat "$out/machine.txt"
echo
awk -F'|' '
  { rt[NR] = $1; g[NR] = $2; eps[NR] = $5; sec[NR] = $4; jcpu[NR] = $6; jrss[NR] = $7; bcpu[NR] = $8; brss[NR] = $9
    ok[NR] = $10; outn[NR] = $11; other[NR] = $13
    tcpu[NR] = $8 < 0 ? $6 : $6 + $8; trss[NR] = $9 < 0 ? $7 : $7 + $9
    if ($1 ~ /Kafka/ && $2 ~ /at_least_once/) alos = NR
    if ($1 ~ /Hearth/) hearth = NR }
  END {
    print "| runtime | guarantee | events/s | seconds | job CPU-s | job peak RSS MiB | broker CPU-s | broker peak RSS MiB | total CPU-s | total peak RSS MiB | counts | output records | other load, cores |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
    for (i = 1; i <= NR; i++)
      printf "| %s | %s | %d | %.1f | %.1f | %.0f | %s | %s | %.1f | %.0f | %s | %d | %.2f%s |\n", rt[i], g[i], eps[i], sec[i], jcpu[i], jrss[i],
        bcpu[i] < 0 ? "(same process)" : sprintf("%.1f", bcpu[i]), brss[i] < 0 ? "(same process)" : sprintf("%.0f", brss[i]),
        tcpu[i], trss[i], ok[i], outn[i], other[i], (other[i] > 0.15 ? " (disturbed)" : "")
    if (hearth) print ""
    if (hearth && alos)
      printf "Hearth / Kafka Streams at-least-once: throughput %.2fx (target >= 1.5x), CPU-s %.2fx of job+broker (%.2fx of the Streams JVM alone), peak RSS %.2fx of job+broker\n",
        eps[hearth] / eps[alos], tcpu[hearth] / tcpu[alos], jcpu[hearth] / jcpu[alos], trss[hearth] / trss[alos]
    if (hearth) {
      for (i = 1; i <= NR; i++) if (rt[i] ~ /Kafka/ && g[i] ~ /exactly_once/)
        printf "Hearth / Kafka Streams exactly_once_v2: throughput %.2fx, CPU-s %.2fx of job+broker, peak RSS %.2fx\n",
          eps[hearth] / eps[i], tcpu[hearth] / tcpu[i], trss[hearth] / trss[i]
    }
  }' "$results" | tee "$out/results.md"
echo
echo "logs: $out"
