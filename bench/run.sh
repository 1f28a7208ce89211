#!/usr/bin/env bash
# Builds and runs Hearth's JMH benchmarks with short settings, then prints records/s and MB/s per benchmark.
#
#   bench/run.sh                      # everything, about 3 minutes on 2 cores
#   bench/run.sh AppendBenchmark      # a subset: arguments are passed on to JMH (regex, -p batchSize=1000 ...)
#   JMH_OPTS="-f 1 -wi 0 -i 1 -r 1s" bench/run.sh   # other run lengths (JMH rejects an option given twice)
#   HEARTH_BENCH_DIR=/data bench/run.sh   # put the trial data directories on the disk you want to measure
#
# Results: bench/target/jmh-result.csv (JMH's own) and bench/target/jmh-output.txt (the full log).
# MB/s counts the bytes on disk (record batch format v2, about 110 B per 100-byte record); MB = 10^6 bytes.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

mvn -q -B -Pbench -pl bench -am package -DskipTests

data_root="${HEARTH_BENCH_DIR:-${TMPDIR:-/tmp}}"
mkdir -p "$data_root"
if [ "$(stat -f -c %T "$data_root")" = "tmpfs" ]; then
    echo "WARNING: $data_root is tmpfs: fsync is free there, so flush figures mean nothing. Set HEARTH_BENCH_DIR." >&2
fi

result=bench/target/jmh-result.csv
output=bench/target/jmh-output.txt
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -jar bench/target/benchmarks.jar ${JMH_OPTS:--f 1 -wi 2 -i 3 -w 2s -r 3s} -rf csv -rff "$result" "$@" | tee "$output"

# On-disk bytes per record for each batch size, as the benchmarks print them ("# batch: 1000 records ... (110.0 B/record)").
echo
echo "Summary (records/s from JMH; MB/s = records/s x on-disk bytes/record; ratio = engine append / raw FileChannel)"
awk -v output="$output" '
    BEGIN {
        FS = ","
        while ((getline line < output) > 0) {
            if (line ~ /^# batch: /) {
                split(line, words, " ")
                bytes = line; sub(/.*\(/, "", bytes); sub(/ B\/record.*/, "", bytes)
                perRecord[words[3]] = bytes
            }
        }
    }
    function unquote(s) { gsub(/"/, "", s); return s }
    { sub(/\r$/, "") }
    NR == 1 { for (i = 1; i <= NF; i++) column[unquote($i)] = i; next }
    {
        name = unquote($column["Benchmark"]); sub(/^dev\.hearth\.bench\./, "", name)
        score = unquote($column["Score"]) + 0
        batch = ("Param: batchSize" in column) ? unquote($column["Param: batchSize"]) : ""
        flush = ("Param: flush" in column) ? unquote($column["Param: flush"]) : ""
        if (name ~ /^ReadBenchmark/) batch = 1000
        bytes = (batch in perRecord) ? perRecord[batch] : 110
        key = batch "/" flush
        if (name ~ /^AppendBenchmark/) engine[key] = score
        if (name ~ /^RawFileChannelBenchmark/) raw[key] = score
        rows[++n] = sprintf("%-32s %9s %-10s %15.0f %10.1f", name, batch == "" ? "-" : batch, flush == "" ? "-" : flush, score, score * bytes / 1e6)
    }
    END {
        printf "%-32s %9s %-10s %15s %10s\n", "benchmark", "batchSize", "flush", "records/s", "MB/s"
        for (i = 1; i <= n; i++) print rows[i]
        for (key in engine) if (key in raw) printf "engine/raw, batchSize/flush %-15s %6.2f\n", key, engine[key] / raw[key]
    }
' "$result"
