#!/usr/bin/env bash
# "Sync All to Redis" of 1,000 and 10,000 trunks (0%, 10%, 100% digest) against the embedded PostgreSQL and Redis:
# load from PostgreSQL, build + serialise the generation document, publish it (INCR, one SET,
# MULTI/EXEC switch, PUBLISH), and the whole sync; median of 7 runs after 3 warm-ups. Then
# GET /api/sync/status at 10,000 digest trunks and GET /api/trunks p99 at 50 req/s, 1,000 trunks.
#   bash bench/sync-bench.sh [sizes...]      default: 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."

# tests compile at process-test-classes in this build; the classpath is the reactor's (admin/ with
# the redis-contract and tls-watcher modules it uses)
if [[ ! -e admin/target/test-classes/com/telpro/control/sync || ! -s admin/target/bench.classpath || admin/pom.xml -nt admin/target/bench.classpath ]]; then
	mvn -q -B -DskipTests process-test-classes dependency:build-classpath -Dmdep.includeScope=test \
		-Dmdep.outputFile=target/bench.classpath >/dev/null
fi

java ${BENCH_JAVA_OPTS:-} -cp "admin/target/classes:admin/target/test-classes:$(cat admin/target/bench.classpath)" \
	com.telpro.control.sync.SyncBenchmark "$@"
