#!/usr/bin/env bash
# The trunk list page (GET /admin-settings over HTTP, with search, filters, sort, pages and the
# unsynced marks) with 2,000 trunks in the embedded PostgreSQL; median and p95 of 30 requests
# after 10 warm-ups per page. Goal: under 300 ms per page.
#   bash bench/trunk-list-bench.sh [trunks]      default: 2000
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f target/test-classes/com/telpro/control/admin/TrunkListBenchmark.class ]]; then
	mvn -q -B -DskipTests process-test-classes
fi
if [[ ! -s target/bench.classpath || pom.xml -nt target/bench.classpath ]]; then
	mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
fi

java ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
	com.telpro.control.admin.TrunkListBenchmark "$@"
