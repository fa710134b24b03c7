#!/usr/bin/env bash
# Edge soak: 60 s (or $1 seconds) of steady mixed SIP load against the real Kamailio on loopback —
# answered calls on an ip_only trunk (10 cps), calls to a trunk capped at 3 (5 cps, some 486),
# digest with a wrong password (2 cps, 403 after the challenge) and strangers (2 cps, 403).
# Media goes through a real RTPEngine. Runs KamailioSoakTests with the longer duration and prints its figures: answers per stream,
# failed calls, unexpected and late messages, dialogs, transactions and RTPEngine sessions left, shared memory
# before/after. Fails when the test's assertions fail.
# Usage: bench/soak-bench.sh [seconds]    (bench/run.sh has already compiled the tests)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-60}
status=0
mvn -q -B surefire:test -Dtest=KamailioSoakTests -Dtelpro.soak.seconds="$SECONDS_TO_RUN" \
	-Dsurefire.failIfNoSpecifiedTests=false >/tmp/telpro-soak-bench.log 2>&1 || status=$?
grep -a '^SOAK' admin/target/surefire-reports/com.telpro.control.kamailio.KamailioSoakTests-output.txt 2>/dev/null \
	| sed 's/ | /\n  /g' || true
if ((status != 0)); then
	echo "soak FAILED (see /tmp/telpro-soak-bench.log and admin/target/surefire-reports)" >&2
	grep -a -m5 'expected\|Expecting\|but was' /tmp/telpro-soak-bench.log >&2 || true
fi
exit "$status"
