#!/usr/bin/env bash
# The trunk list page (GET /admin-settings over HTTP, with search, filters, sort, pages and the
# unsynced marks) with 2,000 trunks in the embedded PostgreSQL; median and p95 of 30 requests
# after 10 warm-ups per page. Goal: under 300 ms per page.
#   bash bench/trunk-list-bench.sh [trunks]      default: 2000
set -euo pipefail
cd "$(dirname "$0")/.."

# tests compile at process-test-classes in this build; the classpath is the reactor's (admin/ with
# the redis-contract and tls-watcher modules it uses)
if [[ ! -e admin/target/test-classes/com/telpro/control/admin/TrunkListBenchmark.class || ! -s admin/target/bench.classpath || admin/pom.xml -nt admin/target/bench.classpath ]]; then
	mvn -q -B -DskipTests process-test-classes dependency:build-classpath -Dmdep.includeScope=test \
		-Dmdep.outputFile=target/bench.classpath >/dev/null
fi

java ${BENCH_JAVA_OPTS:-} -cp "admin/target/classes:admin/target/test-classes:$(cat admin/target/bench.classpath)" \
	com.telpro.control.admin.TrunkListBenchmark "$@"
