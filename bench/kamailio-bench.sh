#!/usr/bin/env bash
# Kamailio edge bench: OPTIONS at saturation on loopback (sipp), one run, bounded in time.
# Compares the project's config (10 / 1,000 / 10,000 trunks, matching trunk last, and a caller
# matching nothing) with a native reply-only config and with a Redis query per request.
# Prints req/s, Kamailio CPU µs per request (utime+stime of all its processes), ratios, reload
# time of 1,000 trunks and worker RSS with 10,000 trunks.
# Usage: bench/kamailio-bench.sh [requests-per-case]   (default 30000, each case <= 30 s)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-30000}
WORK=$(mktemp -d /tmp/telpro-bench.XXXXXX)
REDIS_PORT=${BENCH_REDIS_PORT:-6479}
SIP_PORT=${BENCH_SIP_PORT:-5475}
WORKERS=${BENCH_WORKERS:-4}
CLK_TCK=$(getconf CLK_TCK)
KAM_PID=""
REDIS_PID=""

cleanup() {
	[[ -n "$KAM_PID" ]] && kill "$KAM_PID" 2>/dev/null || true
	[[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null || true
	sleep 0.5
}
trap cleanup EXIT

redis() { redis-cli -p "$REDIS_PORT" "$@"; }

start_redis() {
	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
	REDIS_PID=$!
	for _ in $(seq 50); do redis PING >/dev/null 2>&1 && return; sleep 0.1; done
	echo "redis did not start" >&2; exit 1
}

# start_kamailio CONFIG [extra -A defines...]
start_kamailio() {
	local cfg=$1; shift
	local args=(-f "$cfg" -DD -E -m 128 -M 32 -Y "$WORK" -P "$WORK/k.pid"
		-A "CTL_SOCKET=\"unix:$WORK/ctl\"" -A "LISTEN_ADDR=127.0.0.1:$SIP_PORT" -A "SIP_WORKERS=$WORKERS")
	for d in "$@"; do args+=(-A "$d"); done
	kamailio "${args[@]}" >"$WORK/kamailio.log" 2>&1 &
	KAM_PID=$!
	for _ in $(seq 50); do
		kill -0 "$KAM_PID" 2>/dev/null || break
		if sipp_options 127.0.0.2 1 uac_options_status.xml 2s >/dev/null 2>&1; then return; fi
		sleep 0.2
	done
	echo "kamailio did not answer" >&2; tail -20 "$WORK/kamailio.log" >&2; exit 1
}

stop_kamailio() { kill "$KAM_PID" 2>/dev/null || true; wait "$KAM_PID" 2>/dev/null || true; KAM_PID=""; sleep 0.3; }

# project [JS entry point]: the project's config, OPTIONS answered only after identification
project() {
	local js=${1:-$ROOT/kamailio/js/main.js}
	# antiflood stays loaded (its cost is measured) but never bans the bench's saturating sources
	start_kamailio "$ROOT/kamailio/kamailio.cfg" "JS_MAIN=\"$js\"" WITH_OPTIONS_TRUNK_CHECK PIKE_DENSITY=1000000000 \
		"REDIS_SERVER=\"name=telpro;addr=127.0.0.1;port=$REDIS_PORT\"" 'NODE_NAME="bench"'
}

# sipp_options SOURCE COUNT [scenario] [timeout] : OPTIONS to the proxy, as fast as it answers
sipp_options() {
	local src=$1 count=$2 scenario=${3:-uac_options.xml} limit=${4:-25s}
	(cd "$WORK" && timeout 30 sipp -sf "$ROOT/src/test/resources/sipp/$scenario" -i "$src" -p 0 "127.0.0.1:$SIP_PORT" \
		-m "$count" -r 60000 -rp 1000 -l 400 -buff_size 4194304 -timeout "$limit" -nostdin \
		-key from_user bench -key from_domain carrier.example -key ua BenchUA \
		-key xh1 "X-Test-Action: 1" -key xh2 "X-Test-Action: 2" >"$WORK/sipp.out" 2>&1)
}

cpu_ticks() {
	local total=0 pid
	for pid in $KAM_PID $(ps -o pid= --ppid "$KAM_PID"); do
		[[ -r /proc/$pid/stat ]] || continue
		local fields; fields=$(sed 's/^.*) //' "/proc/$pid/stat")
		total=$((total + $(echo "$fields" | awk '{print $12 + $13}')))
	done
	echo "$total"
}

# measure LABEL SOURCE [scenario] -> prints a row, sets RATE and CPU
measure() {
	local label=$1 src=$2 scenario=${3:-uac_options.xml}
	sipp_options "$src" 2000 "$scenario" || true          # warm up: workers build their index
	local c0 t0 t1 c1
	c0=$(cpu_ticks); t0=$(date +%s%N)
	if ! sipp_options "$src" "$N" "$scenario"; then
		echo "  ($label: sipp reported failed requests; see $WORK/sipp.out)" >&2
	fi
	t1=$(date +%s%N); c1=$(cpu_ticks)
	RATE=$(awk -v n="$N" -v ns=$((t1 - t0)) 'BEGIN{printf "%.0f", n / (ns / 1e9)}')
	CPU=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$N" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')
	printf "%-44s %10s req/s %9s µs CPU/req\n" "$label" "$RATE" "$CPU"
}

publish() { # publish GENERATION FILE
	redis -x SET "telpro:v1:gen:$1" <"$2" >/dev/null
	redis SET telpro:v1:generation "$1" >/dev/null
}

await_loaded() {
	for _ in $(seq 100); do
		grep -q "generation $1 loaded" "$WORK/kamailio.log" && return
		sleep 0.1
	done
	echo "generation $1 did not load" >&2; tail -5 "$WORK/kamailio.log" >&2; exit 1
}

echo "Kamailio edge bench: $N OPTIONS per case, $WORKERS SIP workers, $(nproc) CPUs"
python3 "$ROOT/bench/gen_trunks.py" 10 --match-cidr 127.0.0.2/32 --generation 1 >"$WORK/t10.json"
python3 "$ROOT/bench/gen_trunks.py" 1000 --match-cidr 127.0.0.2/32 --generation 2 >"$WORK/t1000.json"
python3 "$ROOT/bench/gen_trunks.py" 10000 --match-cidr 127.0.0.2/32 --generation 3 >"$WORK/t10000.json"
python3 "$ROOT/bench/gen_trunks.py" 1000 --match-cidr 127.0.0.2/32 --same-prefix 127.0 --generation 4 >"$WORK/t1000same.json"
start_redis

start_kamailio "$ROOT/bench/kamailio-native.cfg"
measure "native reply-only" 127.0.0.2; NATIVE_RATE=$RATE; NATIVE_CPU=$CPU
stop_kamailio

project
publish 1 "$WORK/t10.json"; await_loaded 1
measure "project, 10 trunks, match last" 127.0.0.2; R10=$RATE; C10=$CPU
publish 2 "$WORK/t1000.json"; await_loaded 2
RELOAD_1000=$(grep -o "generation 2 loaded.* [0-9]* ms" "$WORK/kamailio.log" | grep -o '[0-9]* ms$')
measure "project, 1,000 trunks, match last" 127.0.0.2; R1000=$RATE; C1000=$CPU
measure "project, 1,000 trunks, no match (403)" 127.0.0.3 uac_options_403.xml; R1000N=$RATE; C1000N=$CPU
WORKER_BUILD_1000=$(grep -o "index of generation 2 built in [0-9]* ms" "$WORK/kamailio.log" | grep -o '[0-9]* ms' | sort -n | tail -1)
publish 3 "$WORK/t10000.json"; await_loaded 3
RELOAD_10000=$(grep -o "generation 3 loaded.* [0-9]* ms" "$WORK/kamailio.log" | grep -o '[0-9]* ms$')
measure "project, 10,000 trunks, caller shares no prefix" 127.0.0.2; R10000=$RATE; C10000=$CPU
RSS=$(for pid in $(ps -o pid= --ppid "$KAM_PID"); do awk '/VmRSS/{print $2}' "/proc/$pid/status"; done | sort -n | tail -1)
publish 4 "$WORK/t1000same.json"; await_loaded 4
measure "info: 1,000 trunks all in the caller's /16" 127.0.0.2; RSAME=$RATE; CSAME=$CPU
stop_kamailio

project "$ROOT/bench/redis-per-request.js"
measure "Redis query per request (reply only)" 127.0.0.2; RR=$RATE; CR=$CPU
stop_kamailio

# the shared machine drifts during a run: measure the ceiling again and keep its better figures
start_kamailio "$ROOT/bench/kamailio-native.cfg"
measure "native reply-only (again)" 127.0.0.2
stop_kamailio
NATIVE_RATE=$(awk -v a="$NATIVE_RATE" -v b="$RATE" 'BEGIN{print (a > b ? a : b)}')
NATIVE_CPU=$(awk -v a="$NATIVE_CPU" -v b="$CPU" 'BEGIN{print (a < b ? a : b)}')
echo "native ceiling used below: $NATIVE_RATE req/s, $NATIVE_CPU µs CPU/req (best of two)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a / b}'; }
echo
echo "1,000 trunks vs native: CPU/req $(ratio "$C1000" "$NATIVE_CPU")x (target <= 4), rate $(ratio "$R1000" "$NATIVE_RATE")x (target >= 0.5)"
echo "10 trunks vs native:    CPU/req $(ratio "$C10" "$NATIVE_CPU")x, rate $(ratio "$R10" "$NATIVE_RATE")x"
echo "no match vs native:     CPU/req $(ratio "$C1000N" "$NATIVE_CPU")x, rate $(ratio "$R1000N" "$NATIVE_RATE")x"
echo "Redis per request vs native: CPU/req $(ratio "$CR" "$NATIVE_CPU")x, rate $(ratio "$RR" "$NATIVE_RATE")x (Redis CPU not counted)"
echo "reload of 1,000 trunks: ${RELOAD_1000} in the sync timer (GET + validate + publish), worker index build ${WORKER_BUILD_1000:-n/a} (target < 100 ms)"
echo "reload of 10,000 trunks: ${RELOAD_10000} in the sync timer"
echo "10,000 trunks: largest worker RSS $((RSS / 1024)) MB (target < 64), rate $(ratio "$R10000" "$R1000")x the 1,000-trunk rate (target >= 0.8)"
echo "worst case, 1,000 trunks in the caller's /16 (one bucket, linear): CPU/req $(ratio "$CSAME" "$NATIVE_CPU")x, rate $(ratio "$RSAME" "$NATIVE_RATE")x native"
echo "(logs in $WORK)"
