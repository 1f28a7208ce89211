#!/usr/bin/env bash
# Side-by-side benchmark: a real Apache Kafka 4.3.1 broker (KRaft, broker+controller in one JVM) against
# Hearth on Payara Micro, driven by the same unmodified Kafka 4.3.1 tools. One broker runs at a time.
#
#   bench/kafka-compare.sh                         # 2,000,000 records per run
#   BENCH_RECORDS=200000 bench/kafka-compare.sh    # a quick trial
#
#   BENCH_RECORDS          records per produce and consume run        (default 2000000)
#   BENCH_WARMUP_RECORDS   records produced and consumed, uncounted, after each broker starts (default 500000)
#   BENCH_E2E_SECONDS      counted seconds of each 1,000 msg/s latency run, after 5 s warm-up (default 30)
#   BENCH_TOOL_TIMEOUT     seconds after which any single tool run is killed      (default 900)
#   BENCH_IDLE_WAIT        before each run, wait up to this many seconds for the machine to go quiet
#                          (all CPUs together busy < 0.15 cores over 3 s); 0: do not wait (default 0)
#   BENCH_RETRIES          repeat a run disturbed by other processes up to this many times, keeping the
#                          least disturbed attempt (default 0)
#   BENCH_MAX_OTHER_LOAD   "disturbed": other processes used more than this many cores (default 0.15)
#   BENCH_HEARTH_FLUSH_MS  Hearth's hearth.flush.interval.ms: 1000 (default) fsyncs once a second, like Kafka's
#                          background flushing; 0 is Hearth's own default, an fsync before every acknowledgement
#   BENCH_PARTITIONS, BENCH_ACKS  the cases, space-separated (defaults "1 6" and "1 all")
#   BENCH_SECURITY         the listener's security protocol on both brokers: PLAINTEXT (default) or SASL_SSL
#                          (TLS 1.3 with a generated self-signed key, SCRAM-SHA-512 user "bench"); run the script
#                          once with each to compare the cost of security (docs/benchmarks.md)
#   BENCH_OUT              where logs and results are kept (default target/kafka-compare/<date-time>)
#   BENCH_KAFKA_PORT, BENCH_KAFKA_CONTROLLER_PORT, BENCH_HEARTH_KAFKA_PORT, BENCH_HEARTH_HTTP_PORT
#                          ports on 127.0.0.1 (defaults 19092, 19093, 29092, 28080)
#
# Per broker, for partitions in {1, 6} and acks in {1, all}: create a topic (TopicCommand), produce N
# records of 100 bytes flat out (ProducerPerformance, batch.size=65536 linger.ms=5), consume them
# (ConsumerPerformance), then measure end-to-end latency at a fixed 1,000 msg/s (FixedRateEndToEndLatency,
# in bench-kafka: Kafka's EndToEndLatency cannot hold a rate). Broker CPU is utime+stime of the broker JVM
# from /proc/<pid>/stat around each produce and consume run. Both brokers keep data in the page cache and
# fsync in the background: Kafka never fsyncs per batch by default, and Hearth runs with
# hearth.flush.interval.ms=1000 (BENCH_HEARTH_FLUSH_MS; 0 is Hearth's default, an fsync before every
# acknowledgement, which Kafka has no equivalent of without log.flush.interval.messages=1). Everything binds to 127.0.0.1. Broker data directories are temporary and
# deleted at exit; logs and the result table stay in BENCH_OUT.
#
# The figures mean something only on an otherwise idle machine. The last column of the table is the CPU
# that other processes used during each run (machine busy time from /proc/stat minus broker and tool), in
# cores; a verdict on a run where it exceeds BENCH_MAX_OTHER_LOAD is marked "disturbed". On a shared
# machine use BENCH_IDLE_WAIT=120 BENCH_RETRIES=2.
set -euo pipefail
# shellcheck source=bench/lib/kafka-config.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/kafka-config.sh"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
records="${BENCH_RECORDS:-2000000}"
hearth_flush_ms="${BENCH_HEARTH_FLUSH_MS:-1000}"
warmup_records="${BENCH_WARMUP_RECORDS:-500000}"
e2e_seconds="${BENCH_E2E_SECONDS:-30}"
e2e_rate=1000
tool_timeout="${BENCH_TOOL_TIMEOUT:-900}"
idle_wait="${BENCH_IDLE_WAIT:-0}"
retries="${BENCH_RETRIES:-0}"
max_other_load="${BENCH_MAX_OTHER_LOAD:-0.15}"
out="${BENCH_OUT:-$root/target/kafka-compare/$(date +%Y%m%d-%H%M%S)}"
read -r -a partition_counts <<<"${BENCH_PARTITIONS:-1 6}"
read -r -a acks_values <<<"${BENCH_ACKS:-1 all}"

kafka_port="${BENCH_KAFKA_PORT:-19092}"
kafka_controller_port="${BENCH_KAFKA_CONTROLLER_PORT:-19093}"
hearth_kafka_port="${BENCH_HEARTH_KAFKA_PORT:-29092}"
hearth_http_port="${BENCH_HEARTH_HTTP_PORT:-28080}"
security="${BENCH_SECURITY:-PLAINTEXT}"
case "$security" in PLAINTEXT|SASL_SSL) ;; *) echo "BENCH_SECURITY must be PLAINTEXT or SASL_SSL" >&2; exit 2 ;; esac
bench_user=bench
bench_password=bench-secret-1
store_password=bench-store-1

lib="$root/bench-kafka/target/lib"
classpath="$root/bench-kafka/target/classes:$lib/*"
clock_ticks_per_second="$(getconf CLK_TCK)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
# Broker data lives next to the build, on the same disk as the project, not in a possibly-tmpfs /tmp.
mkdir -p "$root/target"
work="$(mktemp -d "$root/target/kafka-compare-data.XXXXXX")"
broker_pid=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$out/run.log" >&2; }

stop_broker() {
  [ -n "$broker_pid" ] || return 0
  if kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$broker_pid" 2>/dev/null; then
      log "broker $broker_pid did not stop in 30 s; killing it"
      kill -KILL "$broker_pid" 2>/dev/null || true
    fi
  fi
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
}

cleanup() {
  stop_broker
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_open "$1"; then
    echo "port 127.0.0.1:$1 is already in use; stop whatever listens there first" >&2
    exit 1
  fi
}

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat; the command name in
# field 2 may contain spaces, so count from after its closing parenthesis).
cpu_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return 0; } # the broker died: its runs fail anyway
  stat="${stat##*) }"
  # shellcheck disable=SC2086 # split the fields on purpose
  set -- $stat
  echo $(( ${12} + ${13} ))
}

# One CPU reading, all in clock ticks: "<broker> <tools> <machine> <wall-clock µs>". <tools> is this
# script's cutime+cstime (fields 16, 17): a tool JVM's CPU lands there once it has been reaped. <machine> is
# every CPU's busy time from /proc/stat. The machine may be shared: machine - broker - tools is what other
# processes took during a run, reported as "other load" so a disturbed run can be told apart.
cpu_sample() {
  local stat user nice system idle iowait irq softirq steal
  stat="$(<"/proc/$$/stat")"
  stat="${stat##*) }"
  # shellcheck disable=SC2086 # split the fields on purpose
  set -- $stat
  # shellcheck disable=SC2034 # idle and iowait are read only to reach the fields after them
  read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
  echo "$(cpu_ticks "$broker_pid") $(( ${14} + ${15} )) $(( user + nice + system + irq + softirq + steal )) ${EPOCHREALTIME/./}"
}

# Records a run's CPU: account <name> <partitions> <acks> <kind> <sample before> <sample after> [records]
# sets result[...,<kind>_cpu] (broker CPU-s per million records, if records given) and
# result[...,<kind>_other] (other processes' CPU, in cores on average over the run).
account() {
  local b0 c0 m0 w0 b1 c1 m1 w1
  read -r b0 c0 m0 w0 <<<"$5"
  read -r b1 c1 m1 w1 <<<"$6"
  if [ -n "${7:-}" ]; then
    result[$1,$2,$3,$4_cpu]="$(awk -v t="$((b1 - b0))" -v hz="$clock_ticks_per_second" -v n="$7" \
      'BEGIN { printf "%.2f", t / hz / n * 1e6 }')"
  fi
  result[$1,$2,$3,$4_other]="$(awk -v t="$((m1 - m0 - (b1 - b0) - (c1 - c0)))" -v hz="$clock_ticks_per_second" \
    -v us="$((w1 - w0))" 'BEGIN { v = t / hz / (us / 1e6); printf "%.2f", v < 0 ? 0 : v }')"
  log "$1: $4: broker CPU $((b1 - b0)) ticks, tool CPU $((c1 - c0)) ticks (1 tick = 1/$clock_ticks_per_second s)," \
    "other processes ${result[$1,$2,$3,$4_other]} cores, $(( (w1 - w0) / 1000 )) ms"
}

# Waits (at most BENCH_IDLE_WAIT seconds) until the whole machine, the idle broker included, is quiet.
wait_for_idle() {
  [ "$idle_wait" -gt 0 ] || return 0
  local deadline=$((SECONDS + idle_wait)) m0 m1 busy
  while :; do
    read -r _ _ m0 _ <<<"$(cpu_sample)"
    sleep 3
    read -r _ _ m1 _ <<<"$(cpu_sample)"
    busy="$(awk -v t="$((m1 - m0))" -v hz="$clock_ticks_per_second" 'BEGIN { printf "%.2f", t / hz / 3 }')"
    if awk -v b="$busy" 'BEGIN { exit !(b < 0.15) }'; then
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "machine still busy ($busy cores) after ${idle_wait} s; running anyway"
      return 0
    fi
  done
}

# A Kafka tool in its own JVM, bounded in time, with its 4.3.1 class path (never Hearth's 4.4.0).
tool() {
  timeout --kill-after=10 "$tool_timeout" \
    java -Xmx512M -Dlog4j2.configurationFile="$work/log4j2-tools.properties" -cp "$classpath" "$@"
}

create_topic() { # bootstrap topic partitions
  tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --create --topic "$2" \
    --partitions "$3" --replication-factor 1 --command-config "$work/client.properties"
}

# The clients' security settings (empty for PLAINTEXT) and, for SASL_SSL, a self-signed key for both brokers.
write_security_files() {
  : >"$work/client.properties"
  [ "$security" = SASL_SSL ] || return 0
  keytool -genkeypair -keystore "$work/broker.p12" -storetype PKCS12 -storepass "$store_password" \
    -alias broker -keyalg EC -groupname secp256r1 -validity 2 -dname CN=localhost -ext SAN=ip:127.0.0.1 \
    >"$out/keytool.txt" 2>&1
  keytool -exportcert -keystore "$work/broker.p12" -storepass "$store_password" -alias broker \
    -file "$work/broker.crt" >>"$out/keytool.txt" 2>&1
  keytool -importcert -noprompt -keystore "$work/trust.p12" -storetype PKCS12 -storepass "$store_password" \
    -alias broker -file "$work/broker.crt" >>"$out/keytool.txt" 2>&1
  cat >"$work/client.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$bench_user" password="$bench_password";
ssl.truststore.location=$work/trust.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$store_password
PROPS
}

# ---------------------------------------------------------------------------------------------- build
log "building bench-kafka (Kafka 4.3.1 broker and tools) and Hearth's RAR and WAR"
if ! { mvn -q -B -f "$root/bench-kafka/pom.xml" package -DskipTests \
       && mvn -q -B -f "$root/pom.xml" -DskipTests -pl web -am package; } >"$out/build.log" 2>&1; then
  cat "$out/build.log" >&2
  exit 1
fi

require_free_port "$kafka_port"
require_free_port "$kafka_controller_port"
require_free_port "$hearth_kafka_port"
require_free_port "$hearth_http_port"

cat >"$work/log4j2-tools.properties" <<'EOF'
status = warn
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss} %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = stderr
EOF

write_security_files

{
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus:     $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'))"
  echo "memory:   $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel:   $(uname -r)"
  echo "jdk:      $(java -version 2>&1 | head -1)"
  echo "disk:     $(stat -f -c %T "$work") ($work)"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before starting"
  echo "records:  $records per produce/consume run, 100-byte values, warm-up $warmup_records"
  echo "security: $security on both brokers' client listener"
  echo "e2e:      $e2e_rate msg/s for $e2e_seconds s (+5 s warm-up), linger.ms=0"
} | tee "$out/machine.txt" >&2

# ------------------------------------------------------------------------------------------- results
declare -A result   # "<broker>,<partitions>,<acks>,<metric>" -> value or FAILED
problems=()         # human-readable failure notes

note_problem() { # broker what file
  problems+=("$1: $2 (see $3)")
  log "FAILED on $1: $2; last lines of $3:"
  tail -n 15 "$3" | sed 's/^/    /' | tee -a "$out/run.log" >&2
}

# One produce run: name partitions acks topic bootstrap file. Sets result[...,produce] and the CPU figures.
measure_produce() {
  local before after line
  before="$(cpu_sample)"
  tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$5" --topic "$4" \
    --num-records "$records" --record-size 100 --throughput -1 \
    --command-property acks="$3" batch.size=65536 linger.ms=5 --command-config "$work/client.properties" \
    >"$6" 2>&1 || return 1
  after="$(cpu_sample)"
  line="$(grep ' records sent, ' "$6" | tail -1)"
  [ "${line%% *}" = "$records" ] || return 1
  result[$1,$2,$3,produce]="$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<<"$line" | xargs printf '%.0f')"
  log "$1: produce: $line"
  account "$1" "$2" "$3" produce "$before" "$after" "$records"
}

# One consume run of the first N records, in a new group. Its last output line: start.time, end.time, MB,
# MB.sec, nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec; fetch.nMsg.sec
# leaves out the group join, so it is the fetch rate.
measure_consume() {
  local before after line
  before="$(cpu_sample)"
  tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$5" --topic "$4" \
    --num-records "$records" --timeout 30000 --command-config "$work/client.properties" >"$6" 2>&1 || return 1
  after="$(cpu_sample)"
  line="$(tail -1 "$6")"
  [ "$(awk -F', *' '{ print $5 }' <<<"$line")" -ge "$records" ] 2>/dev/null || return 1
  result[$1,$2,$3,consume]="$(awk -F', *' '{ printf "%.0f", $10 }' <<<"$line")"
  log "$1: consume: $line"
  account "$1" "$2" "$3" consume "$before" "$after" "$records"
}

# One end-to-end latency run at the fixed rate, into its own topic.
measure_e2e() {
  local before after line
  before="$(cpu_sample)"
  tool dev.hearth.bench.kafka.FixedRateEndToEndLatency --bootstrap-server "$5" --topic "e2e-$4" \
    --acks "$3" --rate "$e2e_rate" --seconds "$e2e_seconds" --warmup-seconds 5 --record-size 100 \
    --command-config "$work/client.properties" >"$6" 2>&1 || return 1
  after="$(cpu_sample)"
  line="$(grep '^e2e ' "$6" | tail -1)"
  result[$1,$2,$3,e2e_p99]="$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")"
  log "$1: $line"
  account "$1" "$2" "$3" e2e "$before" "$after"
}

# measure <kind> name partitions acks topic bootstrap: runs measure_<kind>; if other processes took more
# than BENCH_MAX_OTHER_LOAD cores meanwhile, waits for quiet and repeats, up to BENCH_RETRIES times, and
# keeps the least disturbed attempt. Output of attempt n goes to <name>-p<p>-acks<acks>-<kind>.<n>.txt.
measure() {
  local kind="$1" name="$2" p="$3" acks="$4" topic="$5" bootstrap="$6" attempt file other key
  local best_other="" keys=("$kind" "${kind}_cpu" "${kind}_other")
  [ "$kind" = e2e ] && keys=(e2e_p99 e2e_other)
  declare -A best=()
  for attempt in $(seq 1 $((retries + 1))); do
    kill -0 "$broker_pid" 2>/dev/null || return 0 # run_cases reports it
    [ "$attempt" -eq 1 ] || wait_for_idle
    file="$out/$name-p$p-acks$acks-$kind.$attempt.txt"
    if ! "measure_$kind" "$name" "$p" "$acks" "$topic" "$bootstrap" "$file"; then
      note_problem "$name" "$kind partitions=$p acks=$acks (attempt $attempt)" "$file"
      break
    fi
    other="${result[$name,$p,$acks,${kind}_other]}"
    if [ -z "$best_other" ] || awk -v a="$other" -v b="$best_other" 'BEGIN { exit !(a < b) }'; then
      best_other="$other"
      for key in "${keys[@]}"; do best[$key]="${result[$name,$p,$acks,$key]:-}"; done
    fi
    awk -v a="$best_other" -v m="$max_other_load" 'BEGIN { exit !(a > m) }' || break
    [ "$attempt" -le "$retries" ] && log "$name: $kind disturbed (other processes $other cores); repeating"
  done
  if [ -n "$best_other" ]; then
    for key in "${keys[@]}"; do result[$name,$p,$acks,$key]="${best[$key]}"; done
  fi
}

# Runs every case against one broker: name, bootstrap address (the broker's pid is in broker_pid).
run_cases() {
  local name="$1" bootstrap="$2" p acks topic base

  log "$name: warm-up, $warmup_records records produced and consumed (not counted)"
  base="$out/$name-warmup"
  if create_topic "$bootstrap" warmup 6 >"$base-topic.txt" 2>&1 \
     && tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" --topic warmup \
          --num-records "$warmup_records" --record-size 100 --throughput -1 \
          --command-property acks=1 batch.size=65536 linger.ms=5 --command-config "$work/client.properties" \
          >"$base-produce.txt" 2>&1 \
     && tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bootstrap" --topic warmup \
          --num-records "$warmup_records" --command-config "$work/client.properties" >"$base-consume.txt" 2>&1; then
    :
  else
    note_problem "$name" "warm-up failed" "$(ls -t "$base"-*.txt | head -1)"
  fi

  for p in "${partition_counts[@]}"; do
    for acks in "${acks_values[@]}"; do
      topic="perf-p$p-acks$acks"
      base="$out/$name-p$p-acks$acks"
      if ! kill -0 "$broker_pid" 2>/dev/null; then
        problems+=("$name: the broker process $broker_pid exited during the runs; its remaining cases were skipped")
        log "$name: broker process $broker_pid is gone; skipping its remaining cases (see its console log)"
        return 0
      fi
      log "$name: partitions=$p acks=$acks"
      if ! create_topic "$bootstrap" "$topic" "$p" >"$base-topic.txt" 2>&1 \
         || ! create_topic "$bootstrap" "e2e-$topic" "$p" >"$base-e2e-topic.txt" 2>&1; then
        note_problem "$name" "create topic $topic or e2e-$topic" "$(ls -t "$base"-*topic.txt | head -1)"
      fi
      wait_for_idle
      measure produce "$name" "$p" "$acks" "$topic" "$bootstrap"
      wait_for_idle
      measure consume "$name" "$p" "$acks" "$topic" "$bootstrap"
      wait_for_idle
      measure e2e "$name" "$p" "$acks" "$topic" "$bootstrap"
    done
  done
}

# ------------------------------------------------------------------------------------------ Kafka
start_kafka() {
  local dir="$work/kafka" cluster_id
  local scram=()
  write_kafka_config "$dir" "$out/kafka-server.log" 1
  if [ "$security" = SASL_SSL ]; then
    # One SASL_SSL listener for clients and the broker itself; the user exists from the format on (KRaft).
    sed -i -e "s#PLAINTEXT://127.0.0.1:$kafka_port#SASL_SSL://127.0.0.1:$kafka_port#g" \
      -e 's#^inter.broker.listener.name=.*#inter.broker.listener.name=SASL_SSL#' \
      -e 's#^listener.security.protocol.map=.*#listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL#' \
      "$dir/server.properties"
    cat >>"$dir/server.properties" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$bench_user" password="$bench_password";
ssl.keystore.location=$work/broker.p12
ssl.keystore.type=PKCS12
ssl.keystore.password=$store_password
ssl.truststore.location=$work/trust.p12
ssl.truststore.type=PKCS12
ssl.truststore.password=$store_password
PROPS
    scram=(--add-scram "SCRAM-SHA-512=[name=$bench_user,password=$bench_password]")
  fi
  cluster_id="$(java -Dlog4j2.configurationFile="$work/log4j2-tools.properties" -cp "$classpath" \
    kafka.tools.StorageTool random-uuid)"
  java -Dlog4j2.configurationFile="$work/log4j2-tools.properties" -cp "$classpath" \
    kafka.tools.StorageTool format --config "$dir/server.properties" --cluster-id "$cluster_id" "${scram[@]}" \
    >"$out/kafka-format.txt" 2>&1

  log "kafka: starting Apache Kafka 4.3.1 (KRaft combined, node 1) on $security://127.0.0.1:$kafka_port"
  launch_kafka_broker "$dir" "$classpath" "$out/kafka-console.log"

  local deadline=$((SECONDS + 120))
  until port_open "$kafka_port" && create_topic "127.0.0.1:$kafka_port" ready 1 >"$out/kafka-ready.txt" 2>&1; do
    if ! kill -0 "$broker_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      log "kafka: did not become ready; see $out/kafka-console.log and $out/kafka-server.log"
      return 1
    fi
    sleep 1
  done
  log "kafka: ready (pid $broker_pid)"
}

# ----------------------------------------------------------------------------------------- Hearth
start_hearth() {
  log "hearth: starting Hearth on Payara Micro: Kafka protocol $security://127.0.0.1:$hearth_kafka_port, HTTP $hearth_http_port"
  local security_opts=""
  if [ "$security" = SASL_SSL ]; then
    security_opts="-Dhearth.kafka.security.protocol=SASL_SSL -Dhearth.kafka.sasl.enabled.mechanisms=SCRAM-SHA-512"
    security_opts+=" -Dhearth.kafka.ssl.keystore.location=$work/broker.p12 -Dhearth.kafka.ssl.keystore.type=PKCS12"
    security_opts+=" -Dhearth.kafka.ssl.keystore.password=$store_password"
    security_opts+=" -Dhearth.security.user.$bench_user.password=$bench_password -Dhearth.security.super.users=User:$bench_user"
  fi
  HEARTH_DATA_DIR="$work/hearth-data" HEARTH_HTTP_PORT="$hearth_http_port" HEARTH_KAFKA_PORT="$hearth_kafka_port" \
    HEARTH_JAVA_OPTS="-Dhearth.flush.interval.ms=$hearth_flush_ms $security_opts" \
    "$root/bin/hearth" >"$out/hearth-console.log" 2>&1 &
  # bin/hearth execs java, so this pid becomes the Payara Micro JVM.
  broker_pid=$!

  # Ready = Micro finished its boot deployments ("... ready in N (ms)"; before that, bin/hearth's kept
  # --rootdir makes Micro start the previous run's RAR and WAR and then replace them), health UP with the
  # hearth-engine check, and the Kafka port open.
  local deadline=$((SECONDS + 300)) health
  while :; do
    health="$(curl -s --max-time 5 "http://127.0.0.1:$hearth_http_port/health/ready" || true)"
    if grep -Eq 'Payara Micro .* ready in' "$out/hearth-console.log" && grep -q '"hearth-engine"' <<<"$health" \
       && grep -Eq '^\{ *"status" *: *"UP"' <<<"$health" && port_open "$hearth_kafka_port"; then
      break
    fi
    if ! kill -0 "$broker_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      log "hearth: did not become ready (last /health/ready: ${health:-none}); see $out/hearth-console.log"
      return 1
    fi
    sleep 1
  done
  echo "$health" >"$out/hearth-ready.json"
  log "hearth: ready (pid $broker_pid)"
}

if start_kafka; then
  run_cases kafka "127.0.0.1:$kafka_port"
else
  problems+=("kafka: broker did not start (see $out/kafka-console.log)")
fi
stop_broker
log "kafka: stopped"

if start_hearth; then
  run_cases hearth "127.0.0.1:$hearth_kafka_port"
else
  problems+=("hearth: did not start (see $out/hearth-console.log)")
fi
stop_broker
log "hearth: stopped"

# ------------------------------------------------------------------------------------------ table
# metric key, label, target ratio, direction (ge: Hearth/Kafka must be >= target; le: <=), run kind
metrics=(
  "produce|produce records/s|1.0|ge|produce"
  "consume|consume records/s (fetch rate)|1.0|ge|consume"
  "produce_cpu|broker CPU-s per 1M records, produce|0.8|le|produce"
  "consume_cpu|broker CPU-s per 1M records, consume|0.8|le|consume"
  "e2e_p99|e2e p99 ms at $e2e_rate msg/s|0.5|le|e2e"
)

{
  echo "| partitions | acks | metric | Kafka 4.3.1 | Hearth | Hearth/Kafka | target | verdict | other load, cores (Kafka / Hearth run) |"
  echo "|---:|---|---|---:|---:|---:|---|---|---|"
  for p in "${partition_counts[@]}"; do
    for acks in "${acks_values[@]}"; do
      for m in "${metrics[@]}"; do
        IFS='|' read -r key label target direction kind <<<"$m"
        k="${result[kafka,$p,$acks,$key]:-FAILED}"
        h="${result[hearth,$p,$acks,$key]:-FAILED}"
        if [ "$k" = FAILED ] || [ "$h" = FAILED ]; then
          ratio="-"; verdict="missed (run failed)"
        else
          ratio="$(awk -v h="$h" -v k="$k" 'BEGIN { if (k == 0) print "-"; else printf "%.2f", h / k }')"
          verdict="$(awk -v r="$ratio" -v t="$target" -v d="$direction" \
            'BEGIN { if (r == "-") print "-"; else if ((d == "ge" && r >= t) || (d == "le" && r <= t)) print "met"; else print "missed" }')"
        fi
        ko="${result[kafka,$p,$acks,${kind}_other]:--}"
        ho="${result[hearth,$p,$acks,${kind}_other]:--}"
        if awk -v a="$ko" -v b="$ho" -v m="$max_other_load" 'BEGIN { exit !((a != "-" && a > m) || (b != "-" && b > m)) }'; then
          verdict="$verdict (disturbed)"
        fi
        sign=">="; [ "$direction" = le ] && sign="<="
        printf '| %s | %s | %s | %s | %s | %s | %s %sx | %s | %s / %s |\n' "$p" "$acks" "$label" "$k" "$h" "$ratio" \
          "$sign" "$target" "$verdict" "$ko" "$ho"
      done
    done
  done
} >"$out/results.md"

echo
cat "$out/machine.txt"
echo "fsync: Kafka by default leaves flushing to the OS (log.flush.* unset), never fsyncing per batch;"
if [ "$hearth_flush_ms" = 0 ]; then
  echo "       Hearth ran with its default -Dhearth.flush.interval.ms=0 (fsync before every acknowledgement)."
else
  echo "       Hearth ran with -Dhearth.flush.interval.ms=$hearth_flush_ms (periodic fsync)."
fi
echo
cat "$out/results.md"
if [ "${#problems[@]}" -gt 0 ]; then
  echo
  echo "Problems:"
  printf '  - %s\n' "${problems[@]}"
fi
echo
echo "logs and tool output: $out"
