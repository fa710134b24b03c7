#!/usr/bin/env bash
# Starts Kamailio with the project's config, its settings taken from the environment, and the
# TLS watcher beside it when TLS is enabled. Stops both when either ends.
set -euo pipefail

config_dir=/etc/kamailio/telpro
runtime_dir=/run/kamailio
ctl="unix:${runtime_dir}/kamailio_ctl"

defines=(
	-A "LISTEN_ADDR=${SIP_LISTEN:-0.0.0.0:5060}"
	-A "NODE_NAME=\"${NODE_NAME:-$(hostname)}\""
	-A "REDIS_SERVER=\"name=telpro;addr=${REDIS_HOST:-redis};port=${REDIS_PORT:-6379}\""
	-A "BACKEND_URI=\"${BACKEND_URI:-sip:telsys:5060}\""
	-A "DB_URL=\"${KAMAILIO_DB_URL}\""
	-A "CTL_SOCKET=\"${ctl}\""
	-A "JS_MAIN=\"${config_dir}/js/main.js\""
)
if [[ -n "${SIP_ADVERTISE:-}" ]]; then
	defines+=(-A "ADVERTISE_ADDR=${SIP_ADVERTISE}")
fi
if [[ -n "${RTPENGINE_SOCK:-}" ]]; then
	# media through RTPEngine (js/media.js), e.g. RTPENGINE_SOCK=udp:host.docker.internal:2223
	defines+=(-A "WITH_RTPENGINE" -A "RTPENGINE_SOCK=\"${RTPENGINE_SOCK}\"")
fi
if [[ "${REGISTRAR_ENABLED:-false}" == "true" ]]; then
	defines+=(-A "WITH_REGISTRAR" -A "SIP_DOMAIN=\"${SIP_DOMAIN:-sip.telpro.test}\"")
fi
# JSON-RPC for the admin service's Registrations tab; loopback only, so it serves an admin service
# in the same network namespace (e.g. network_mode: "service:telpro")
if [[ -n "${JSONRPC_HTTP_ADDR:-}" ]]; then
	defines+=(-A "WITH_JSONRPC_HTTP" -A "JSONRPC_HTTP_ADDR=${JSONRPC_HTTP_ADDR}")
fi
# Prometheus metrics (kamailio/METRICS.md) on an internal address, e.g. METRICS_ADDR=0.0.0.0:5072
# inside the compose network (never publish that port to the carriers' side)
if [[ -n "${METRICS_ADDR:-}" ]]; then
	defines+=(-A "WITH_METRICS" -A "METRICS_ADDR=${METRICS_ADDR}")
fi
if [[ -n "${AUTH_SECRET:-}" ]]; then
	defines+=(-A "AUTH_SECRET=\"${AUTH_SECRET}\"")
fi
# call limits across edges (kamailio/REDIS-CONTRACT.md, "Call limits"): a dead edge's calls leave
# the count within LIMIT_TTL seconds; live calls are refreshed every LIMIT_REFRESH seconds
if [[ -n "${LIMIT_TTL:-}" ]]; then
	defines+=(-A "LIMIT_TTL=${LIMIT_TTL}")
fi
if [[ -n "${LIMIT_REFRESH:-}" ]]; then
	defines+=(-A "LIMIT_REFRESH=${LIMIT_REFRESH}")
fi

watcher_pid=
tls_dir=/etc/kamailio/tls
if [[ "${TLS_ENABLED:-false}" == "true" ]]; then
	for f in server.crt server.key; do
		if [[ ! -r "${tls_dir}/${f}" ]]; then
			echo "TLS_ENABLED=true needs ${f} in tls/ (mounted at ${tls_dir})" >&2
			exit 1
		fi
	done
	# Kamailio needs a readable ca_list at start; until the watcher has written the trunks' CAs,
	# trust only a throwaway CA whose key is discarded at once (it verifies no client).
	if [[ ! -s "${tls_dir}/ca-bundle.pem" ]]; then
		placeholder=$(mktemp -d)
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
			-subj "/O=Telpro/CN=placeholder CA (no trunk CA published yet)" \
			-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
			-keyout "${placeholder}/key.pem" -out "${placeholder}/ca.pem" 2>/dev/null
		install -m 0644 "${placeholder}/ca.pem" "${tls_dir}/ca-bundle.pem"
		rm -rf "$placeholder"
	fi
	defines+=(-A "WITH_TLS" -A "TLS_LISTEN_ADDR=${SIP_TLS_LISTEN:-0.0.0.0:5061}" -A "TLS_CFG=\"${config_dir}/tls.cfg\"")
	java -jar /opt/telpro/tls-watcher.jar \
		--redis "redis://${REDIS_HOST:-redis}:${REDIS_PORT:-6379}" --tls-dir "$tls_dir" --ctl "$ctl" \
		--interval "${TLS_WATCH_INTERVAL:-5}" &
	watcher_pid=$!
fi

# TLSF memory manager: Debian's default q_malloc (built with memory debugging) costs the edge
# ~25% more CPU per request (bench/kamailio-bench.sh, BENCH_ALLOC=qm)
kamailio -f "${config_dir}/kamailio.cfg" -DD -E -Y "$runtime_dir" -P "${runtime_dir}/kamailio.pid" \
	-m "${SHM_MB:-256}" -M "${PKG_MB:-16}" -x tlsf -X tlsf "${defines[@]}" &
kamailio_pid=$!

stop() {
	kill -TERM "$kamailio_pid" 2>/dev/null || true
	[[ -n "$watcher_pid" ]] && kill -TERM "$watcher_pid" 2>/dev/null || true
}
trap stop TERM INT
wait -n "$kamailio_pid" ${watcher_pid:+"$watcher_pid"} || true
stop
wait
