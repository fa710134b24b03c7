#!/usr/bin/env bash
# Kamailio edge bench, side by side in one run: a minimal native reply-only config (the floor),
# Kamailio's permissions module over the same trunk set (the native peer: what a Kamailio user
# would write) and the project's edge, all with the same allocator, memory and sipp settings.
# Cases: small OPTIONS from the matching trunk (the LAST in priority order) and from a caller
# matching nothing, an INVITE-sized OPTIONS (~1.5 KB, SDP body), 1,000 and 10,000 trunks, and
# 1,000 trunks all inside the caller's /16 (the worst case of a per-/16 index), and (edge only:
# permissions' db_text table cannot hold IPv6) 1,000 IPv6 trunks all inside the caller's /48.
# CPU = utime+stime of every Kamailio process (/proc) per request; sipp saturates before
# Kamailio does, so CPU per request is the figure, req/s only a hint. The machine may be shared:
# every round measures every config, ratios are taken inside a round, and the ranges over the
# rounds are printed.
# Usage: bench/kamailio-bench.sh [requests-per-case]      (default 20000, each sipp run <= 30 s)
#   BENCH_ROUNDS=3 (default 2)   BENCH_ALLOC=tlsf|qm (default tlsf, as the edge runs)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-20000}
ROUNDS=${BENCH_ROUNDS:-2}
ALLOC=${BENCH_ALLOC:-tlsf}
WORK=$(mktemp -d /tmp/telpro-bench.XXXXXX)
REDIS_PORT=${BENCH_REDIS_PORT:-6479}
SIP_PORT=${BENCH_SIP_PORT:-5475}
WORKERS=${BENCH_WORKERS:-4}
CLK_TCK=$(getconf CLK_TCK)
KAM_PID=""
REDIS_PID=""
case "$ALLOC" in
	tlsf) MEM_ARGS=(-x tlsf -X tlsf) ;;
	qm) MEM_ARGS=() ;;
	*) echo "BENCH_ALLOC is tlsf or qm" >&2; exit 2 ;;
esac

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

# start_kamailio CONFIG [extra -A defines...]: the same flags for every config
start_kamailio() {
	local cfg=$1; shift
	local args=(-f "$cfg" -DD -E -m 128 -M 32 "${MEM_ARGS[@]}" -Y "$WORK" -P "$WORK/k.pid"
		-A "CTL_SOCKET=\"unix:$WORK/ctl\"" -A "LISTEN_ADDR=127.0.0.1:$SIP_PORT" -A "SIP_WORKERS=$WORKERS")
	for d in "$@"; do args+=(-A "$d"); done
	kamailio "${args[@]}" >"$WORK/kamailio.log" 2>&1 &
	KAM_PID=$!
	for _ in $(seq 50); do
		kill -0 "$KAM_PID" 2>/dev/null || break
		if sipp_run 127.0.0.2 1 probe 2s -key from_user bench -key from_domain carrier.example -key ua BenchUA \
			-key xh1 "X-Probe: 1" -key xh2 "X-Probe: 2" >/dev/null 2>&1; then return; fi
		sleep 0.2
	done
	echo "kamailio ($cfg) did not answer" >&2; tail -20 "$WORK/kamailio.log" >&2; exit 1
}

stop_kamailio() { kill "$KAM_PID" 2>/dev/null || true; wait "$KAM_PID" 2>/dev/null || true; KAM_PID=""; sleep 0.3; }

native() { start_kamailio "$ROOT/bench/kamailio-native.cfg"; }

permissions() { # permissions TRUNKSET
	start_kamailio "$ROOT/bench/kamailio-permissions.cfg" "PERM_DB=\"text://$WORK/perm-$1\""
}

# the project's config, OPTIONS answered only after identification and authorisation;
# antiflood stays loaded (its cost is measured) but never bans the bench's saturating sources
edge() {
	start_kamailio "$ROOT/kamailio/kamailio.cfg" "JS_MAIN=\"$ROOT/kamailio/js/main.js\"" WITH_OPTIONS_TRUNK_CHECK \
		"LISTEN_ADDR6=[::1]:$SIP_PORT" \
		PIKE_DENSITY=1000000000 "REDIS_SERVER=\"name=telpro;addr=127.0.0.1;port=$REDIS_PORT\"" 'NODE_NAME="bench"'
}

# sipp_run SOURCE COUNT SCENARIO [timeout [sipp options...]]: SCENARIO = small_200, small_403,
# large_200, large_403 (the expected status), or probe (any answer); an IPv6 SOURCE (::1) talks
# to the edge's IPv6 listener
sipp_run() {
	local src=$1 count=$2 scenario=$3 limit=${4:-25s} remote="127.0.0.1:$SIP_PORT"
	shift 4 2>/dev/null || shift $#
	[[ "$src" == *:* ]] && remote="[::1]:$SIP_PORT"
	(cd "$WORK" && timeout 30 sipp -sf "$WORK/$scenario.xml" -i "$src" -p 0 "$remote" \
		-m "$count" -r 60000 -rp 1000 -l 400 -buff_size 4194304 -timeout "$limit" -nostdin "$@" >"$WORK/sipp.out" 2>&1)
}

scenarios() {
	for code in 200 403; do
		sed "s/\[expect\]/$code/" "$ROOT/bench/sipp/options.xml" >"$WORK/small_$code.xml"
		sed "s/\[expect\]/$code/" "$ROOT/bench/sipp/options_large.xml" >"$WORK/large_$code.xml"
	done
	# a probe accepts whatever the config answers (startup check only; the edge says 503 until
	# a generation is loaded)
	cp "$ROOT/admin/src/test/resources/sipp/uac_options_status.xml" "$WORK/probe.xml"
}

cpu_ticks() {
	local total=0 pid
	for pid in $KAM_PID $(ps -o pid= --ppid "$KAM_PID"); do
		[[ -r /proc/$pid/stat ]] || continue
		total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
	done
	echo "$total"
}

declare -A CPU_OF   # "case round" -> µs CPU per request
declare -A RATE_OF

# measure CASE SOURCE SCENARIO ROUND
measure() {
	local name=$1 src=$2 scenario=$3 round=$4
	sipp_run "$src" 2000 "$scenario" || true          # warm up: workers build their index
	local c0 t0 t1 c1
	c0=$(cpu_ticks); t0=$(date +%s%N)
	if ! sipp_run "$src" "$N" "$scenario"; then
		echo "  ($name: sipp reported failed requests; see $WORK/sipp.out)" >&2
		cp "$WORK/sipp.out" "$WORK/sipp-$name-$round.out"
	fi
	t1=$(date +%s%N); c1=$(cpu_ticks)
	RATE_OF["$name $round"]=$(awk -v n="$N" -v ns=$((t1 - t0)) 'BEGIN{printf "%.0f", n / (ns / 1e9)}')
	CPU_OF["$name $round"]=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$N" 'BEGIN{printf "%.1f", d * 1e6 / hz / n}')
	printf "  %-34s %8s req/s %7s µs CPU/req\n" "$name" "${RATE_OF["$name $round"]}" "${CPU_OF["$name $round"]}"
}

publish() { # publish GENERATION FILE
	redis -x SET "telpro:v1:gen:$1" <"$2" >/dev/null
	redis SET telpro:v1:generation "$1" >/dev/null
}

await_loaded() {
	for _ in $(seq 200); do
		grep -q "generation $1 loaded" "$WORK/kamailio.log" && return
		sleep 0.1
	done
	echo "generation $1 did not load" >&2; tail -5 "$WORK/kamailio.log" >&2; exit 1
}

echo "Kamailio edge bench: $N requests per case, $ROUNDS rounds, $WORKERS SIP workers, $(nproc) CPUs," \
	"allocator $ALLOC, $(kamailio -v | head -1)"
gen=0
for set in 1000 10000 same16; do
	case $set in
		same16) args=(1000 --same-prefix 127.0) ;;
		*) args=("$set") ;;
	esac
	python3 "$ROOT/bench/gen_trunks.py" "${args[@]}" --match-cidr 127.0.0.2/32 --generation 1 \
		--permissions-dir "$WORK/perm-$set" >"$WORK/t$set.json"
done
python3 "$ROOT/bench/gen_trunks.py" 1000 --same-prefix6 0:0:0 --match-cidr ::1/128 --generation 1 >"$WORK/tsame48.json"
scenarios
start_redis

for round in $(seq "$ROUNDS"); do
	echo "round $round"
	native
	measure native-small 127.0.0.2 small_200 "$round"
	measure native-large 127.0.0.2 large_200 "$round"
	stop_kamailio

	permissions 1000
	measure perm-1k-small 127.0.0.2 small_200 "$round"
	measure perm-1k-nomatch 127.0.0.3 small_403 "$round"
	measure perm-1k-large 127.0.0.2 large_200 "$round"
	stop_kamailio
	permissions 10000
	measure perm-10k-small 127.0.0.2 small_200 "$round"
	stop_kamailio
	permissions same16
	measure perm-same16-small 127.0.0.2 small_200 "$round"
	stop_kamailio

	edge
	gen=$((gen + 1)); publish "$gen" "$WORK/t1000.json"; await_loaded "$gen"
	RELOAD_1000=$(grep -o "generation $gen loaded.* [0-9]* ms" "$WORK/kamailio.log" | grep -o '[0-9]* ms$')
	measure edge-1k-small 127.0.0.2 small_200 "$round"
	measure edge-1k-nomatch 127.0.0.3 small_403 "$round"
	measure edge-1k-large 127.0.0.2 large_200 "$round"
	WORKER_BUILD_1000=$(grep -o "index of generation $gen built in [0-9]* ms" "$WORK/kamailio.log" | grep -o '[0-9]* ms' | sort -n | tail -1)
	gen=$((gen + 1)); publish "$gen" "$WORK/t10000.json"; await_loaded "$gen"
	RELOAD_10000=$(grep -o "generation $gen loaded.* [0-9]* ms" "$WORK/kamailio.log" | grep -o '[0-9]* ms$')
	measure edge-10k-small 127.0.0.2 small_200 "$round"
	RSS=$(for pid in $(ps -o pid= --ppid "$KAM_PID"); do awk '/VmRSS/{print $2}' "/proc/$pid/status"; done | sort -n | tail -1)
	gen=$((gen + 1)); publish "$gen" "$WORK/tsame16.json"; await_loaded "$gen"
	measure edge-same16-small 127.0.0.2 small_200 "$round"
	gen=$((gen + 1)); publish "$gen" "$WORK/tsame48.json"; await_loaded "$gen"
	measure edge-same48-small ::1 small_200 "$round"
	stop_kamailio
done

# range A B: "min–max" over the rounds of CPU(A)/CPU(B), each ratio inside one round
range() {
	local a=$1 b=$2 r out=""
	for r in $(seq "$ROUNDS"); do
		out+="$(awk -v x="${CPU_OF["$a $r"]}" -v y="${CPU_OF["$b $r"]}" 'BEGIN{printf "%.2f", x / y}') "
	done
	echo "$out" | tr ' ' '\n' | grep . | sort -n | awk 'NR==1{lo=$1} {hi=$1} END{printf (lo==hi ? "%s" : "%s–%s"), lo, hi}'
}
cpu_range() {
	local r out=""
	for r in $(seq "$ROUNDS"); do out+="${CPU_OF["$1 $r"]} "; done
	echo "$out" | tr ' ' '\n' | grep . | sort -n | awk 'NR==1{lo=$1} {hi=$1} END{printf (lo==hi ? "%s" : "%s–%s"), lo, hi}'
}
# verdict RATIO-RANGE LIMIT: MET when the worst round is within the limit
verdict() { awk -v r="${1##*–}" -v l="$2" 'BEGIN{print (r <= l ? "MET" : "NOT MET")}'; }

echo
echo "CPU µs per request over $ROUNDS rounds (allocator $ALLOC):"
printf "  %-22s %14s %14s %14s\n" "" "native" "permissions" "edge"
printf "  %-22s %14s %14s %14s\n" "1,000, match last" "$(cpu_range native-small)" "$(cpu_range perm-1k-small)" "$(cpu_range edge-1k-small)"
printf "  %-22s %14s %14s %14s\n" "1,000, no match" "" "$(cpu_range perm-1k-nomatch)" "$(cpu_range edge-1k-nomatch)"
printf "  %-22s %14s %14s %14s\n" "1,000, INVITE-sized" "$(cpu_range native-large)" "$(cpu_range perm-1k-large)" "$(cpu_range edge-1k-large)"
printf "  %-22s %14s %14s %14s\n" "10,000, match last" "" "$(cpu_range perm-10k-small)" "$(cpu_range edge-10k-small)"
printf "  %-22s %14s %14s %14s\n" "1,000 in caller's /16" "" "$(cpu_range perm-same16-small)" "$(cpu_range edge-same16-small)"
printf "  %-22s %14s %14s %14s\n" "1,000 IPv6 in its /48" "" "(no IPv6)" "$(cpu_range edge-same48-small)"
echo
echo "Ratios (each inside one round; range over the rounds):"
r=$(range edge-1k-small perm-1k-small);       echo "  edge / permissions, 1,000, match last:   $r  (target <= 2.0: $(verdict "$r" 2.0))"
r=$(range edge-1k-large perm-1k-large);       echo "  edge / permissions, INVITE-sized:        $r  (target <= 2.5: $(verdict "$r" 2.5))"
r=$(range edge-1k-nomatch edge-1k-small);     echo "  edge no match / match:                   $r  (target 0.90–1.10)"
r=$(range edge-10k-small edge-1k-small);      echo "  edge 10,000 / 1,000 trunks:              $r  (target <= 1.2: $(verdict "$r" 1.2))"
r=$(range edge-same16-small edge-1k-small);   echo "  edge same-/16 worst case / common case:  $r  (target <= 3.0: $(verdict "$r" 3.0))"
r=$(range edge-same48-small edge-1k-small);   echo "  edge IPv6 same-/48 / common case:        $r  (target <= 3.0: $(verdict "$r" 3.0))"
echo "  edge / native, 1,000, match last:        $(range edge-1k-small native-small)"
echo "  edge / native, INVITE-sized:             $(range edge-1k-large native-large)"
echo "  permissions / native:                    $(range perm-1k-small native-small)"
echo "reload of 1,000 trunks: ${RELOAD_1000} in the sync timer (GET + validate + publish), worker index build ${WORKER_BUILD_1000:-n/a}"
echo "reload of 10,000 trunks: ${RELOAD_10000} in the sync timer; largest worker RSS with 10,000 trunks $((RSS / 1024)) MB"
echo "(logs in $WORK)"
