#!/usr/bin/env bash
# MDB delivery throughput on Payara Micro: per-record and batch listeners, and transacted delivery with a JPA
# insert per record (H2, and PostgreSQL when the Debian package is installed), on the embedded engine and on a local
# 3-broker Apache Kafka cluster (hearth.backend=kafka). Prints a table of records/s per backend and their ratio.
#
#   bench/mdb-delivery.sh                                   # 3 M-record backlog, 100 k transacted, both backends
#   bench/mdb-delivery.sh -Dbench.backlog=1000000 -Dbench.concurrency=4   # other sizes / bean concurrency
#   bench/mdb-delivery.sh -Dbench.backends=kafka            # one backend only (embedded, kafka; default both)
#
# Server logs: it/target/work/bench-mdb-*.log; the cluster's broker logs: it/target/work/bench-mdb-kafka-data-*-cluster/
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B install -DskipTests
mvn -B verify -pl it -Dit.test=MdbDeliveryBench -Dfailsafe.failIfNoSpecifiedTests=false "$@" \
  | sed -n '/^MDB delivery/,/^\[INFO\]/p;/^| /p;/Backlog written/p;/^Measured /p' | awk '!seen[$0]++' | grep -v '^\[INFO\]'
