#!/usr/bin/env bash
# Call-limit bench: the same calls (INVITE, 200, ACK, BYE) through the project's edge at a fixed
# rate, side by side in one run, with
#   profile  the dialog-profile way (bench/limits-profile.js: per-edge count, no Redis),
#   redis    the platform-wide Redis admission (js/limits.js + js/admission.js),
#   redis+cps  the same with a calls-per-second cap on the trunk (the window steps run too).
# Prints Kamailio CPU µs per call (utime+stime of all its processes), Redis CPU µs per call,
# and the INVITE→200 latency through the edge (p50/p99, sipp rtd), and the added CPU.
# Usage: bench/limits-bench.sh [calls-per-case] [calls-per-second]   (default 2000 at 100/s)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-2000}
RATE=${2:-100}
WORK=$(mktemp -d /tmp/telpro-limits-bench.XXXXXX)
REDIS_PORT=${BENCH_REDIS_PORT:-6481}
SIP_PORT=${BENCH_SIP_PORT:-5485}
BACKEND_PORT=${BENCH_BACKEND_PORT:-5495}
WORKERS=${BENCH_WORKERS:-4}
CLK_TCK=$(getconf CLK_TCK)
KAM_PID=""
REDIS_PID=""
BACKEND_PID=""

cleanup() {
	[[ -n "$KAM_PID" ]] && kill "$KAM_PID" 2>/dev/null || true
	[[ -n "$BACKEND_PID" ]] && kill "$BACKEND_PID" 2>/dev/null || true
	[[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null || true
	sleep 0.5
}
trap cleanup EXIT

redis() { redis-cli -p "$REDIS_PORT" "$@"; }

ticks_of() { # utime+stime of the given PIDs
	local total=0 pid
	for pid in "$@"; do
		[[ -r /proc/$pid/stat ]] || continue
		total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
	done
	echo "$total"
}

kamailio_ticks() { ticks_of "$KAM_PID" $(ps -o pid= --ppid "$KAM_PID"); }

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do redis PING >/dev/null 2>&1 && break; sleep 0.1; done

(cd "$WORK" && exec sipp -sf "$ROOT/bench/uas_bench.xml" -i 127.0.0.1 -p "$BACKEND_PORT" \
	-buff_size 4194304 -nostdin >"$WORK/backend.log" 2>&1) &
BACKEND_PID=$!

# the profile way: the project's js/ with limits.js replaced by the baseline
cp -r "$ROOT/kamailio/js" "$WORK/js-profile"
cp "$ROOT/bench/limits-profile.js" "$WORK/js-profile/limits.js"

# one trunk for 127.0.0.2 with a cap no call reaches: every call is checked and counted
trunk_doc() { # GENERATION MAX_CPS
	python3 - "$1" "$2" <<'PY'
import json, sys
generation, cps = int(sys.argv[1]), int(sys.argv[2])
trunk = {"id": 4242, "name": "bench", "priority": 10, "hash": "0" * 64, "identify_by": ["source_ip"],
         "cidrs": ["127.0.0.2/32"], "ranges_v4": [[2130706434, 2130706434]], "ranges_v6": [],
         "auth_method": "ip_only", "auth_ha1": {}, "max_concurrent_calls": 1000000,
         "max_calls_per_second": cps, "codecs": []}
print(json.dumps({"layout": 1, "generation": generation, "published_at": "2026-12-03T00:00:00Z",
                  "content_hash": "0" * 64, "trunks": [trunk]}))
PY
}

start_kamailio() { # JS_MAIN
	kamailio -f "$ROOT/kamailio/kamailio.cfg" -DD -E -m 128 -M 32 -Y "$WORK" -P "$WORK/k.pid" \
		-A "CTL_SOCKET=\"unix:$WORK/ctl\"" -A "LISTEN_ADDR=127.0.0.1:$SIP_PORT" -A "SIP_WORKERS=$WORKERS" \
		-A "JS_MAIN=\"$1\"" -A "REDIS_SERVER=\"name=telpro;addr=127.0.0.1;port=$REDIS_PORT\"" \
		-A "BACKEND_URI=\"sip:127.0.0.1:$BACKEND_PORT\"" -A 'NODE_NAME="bench"' -A PIKE_DENSITY=1000000000 \
		>"$WORK/kamailio.log" 2>&1 &
	KAM_PID=$!
}

stop_kamailio() { kill "$KAM_PID" 2>/dev/null || true; wait "$KAM_PID" 2>/dev/null || true; KAM_PID=""; sleep 0.5; }

generation=0
await_loaded() {
	for _ in $(seq 100); do
		grep -q "generation $generation loaded" "$WORK/kamailio.log" && return
		sleep 0.1
	done
	echo "generation $generation did not load" >&2; tail -5 "$WORK/kamailio.log" >&2; exit 1
}

calls() { # COUNT -> sipp run at RATE, rtt file in $WORK/rtt
	rm -f "$WORK"/*_rtt.csv
	(cd "$WORK" && timeout 120 sipp -sf "$ROOT/admin/src/test/resources/sipp/uac_call.xml" -i 127.0.0.2 -p 0 \
		"127.0.0.1:$SIP_PORT" -s 15551234 -m "$1" -r "$RATE" -l 2000 -d 0 -buff_size 4194304 -timeout 100s -nostdin \
		-trace_rtt -rtt_freq 1 -key from_user bench -key from_domain carrier.example -key ua BenchUA \
		-key xh1 "X-Telpro-Test: 1" -key xh2 "X-Telpro-Test: 2" >"$WORK/sipp.out" 2>&1) || \
		echo "  (sipp reported failed calls; see $WORK/sipp.out)" >&2
}

# measure LABEL JS_MAIN MAX_CPS -> prints a row, sets CPU
measure() {
	local label=$1 js=$2 cps=$3
	start_kamailio "$js"
	generation=$((generation + 1))
	trunk_doc "$generation" "$cps" | redis -x SET "telpro:v1:gen:$generation" >/dev/null
	redis SET telpro:v1:generation "$generation" >/dev/null
	await_loaded
	calls 300   # warm up: workers build their index, scripts are loaded
	local k0 r0 k1 r1
	k0=$(kamailio_ticks); r0=$(ticks_of "$REDIS_PID")
	calls "$N"
	k1=$(kamailio_ticks); r1=$(ticks_of "$REDIS_PID")
	CPU=$(awk -v d=$((k1 - k0)) -v hz="$CLK_TCK" -v n="$N" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')
	local rcpu p50 p99 ok
	rcpu=$(awk -v d=$((r1 - r0)) -v hz="$CLK_TCK" -v n="$N" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')
	read -r p50 p99 < <(cat "$WORK"/*_rtt.csv 2>/dev/null | awk -F';' 'NR > 1 && $2 ~ /^[0-9.]+$/ {print $2}' | sort -n \
		| awk '{v[NR] = $1} END {if (NR == 0) {print "n/a n/a"} else {i50 = int(NR * 0.5); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; printf "%.2f %.2f\n", v[i50], v[i99]}}')
	ok=$(grep -Eo "Successful call +\| +[0-9]+ +\| +[0-9]+" "$WORK/sipp.out" | tail -1 | awk '{print $NF}')
	printf "%-12s %8s µs Kamailio CPU/call %7s µs Redis CPU/call   INVITE→200 p50 %6s ms  p99 %6s ms   (%s/%s calls ok)\n" \
		"$label" "$CPU" "$rcpu" "$p50" "$p99" "${ok:-?}" "$N"
	stop_kamailio
}

echo "Call-limit bench: $N calls per case at $RATE calls/s, $WORKERS SIP workers, $(nproc) CPUs"
measure "profile" "$WORK/js-profile/main.js" 0; PROFILE_CPU=$CPU
measure "redis" "$ROOT/kamailio/js/main.js" 0; REDIS_CPU=$CPU
measure "redis+cps" "$ROOT/kamailio/js/main.js" 1000000; CPS_CPU=$CPU
awk -v p="$PROFILE_CPU" -v r="$REDIS_CPU" -v c="$CPS_CPU" 'BEGIN{
	printf "added by the Redis admission: %+.1f µs Kamailio CPU per call (%.2fx), with a CPS cap %+.1f µs (%.2fx)\n",
		r - p, r / p, c - p, c / p }'
echo "Redis operations per call: 1 EVALSHA (admit) + 1 ZREM (end) + 1 EVALSHA per ${LIMIT_REFRESH:-20} s of call time (refresh, batched per trunk)"
