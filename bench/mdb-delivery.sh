#!/usr/bin/env bash
# MDB delivery throughput on Payara Micro: per-record and batch listeners, and transacted delivery with a JPA
# insert per record (H2, and PostgreSQL when the Debian package is installed). Prints a table of records/s.
#
#   bench/mdb-delivery.sh                                   # 3 M-record backlog, 100 k transacted
#   bench/mdb-delivery.sh -Dbench.backlog=1000000 -Dbench.concurrency=4   # other sizes / bean concurrency
#
# Server logs: it/target/work/bench-mdb-*.log
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B install -DskipTests
mvn -B verify -pl it -Dit.test=MdbDeliveryBench -Dfailsafe.failIfNoSpecifiedTests=false "$@" \
  | sed -n '/^MDB delivery/,/^\[INFO\]/p;/^| /p;/Backlog written/p' | awk '!seen[$0]++' | grep -v '^\[INFO\]'
