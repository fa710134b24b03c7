#!/usr/bin/env bash
# Try the whole edge locally, without Docker: the admin service (embedded PostgreSQL and Redis),
# Kamailio with this project's config, RTPEngine, the TLS watcher and a sipp stand-in for the
# backend ("TelSys"), all on loopback. Ctrl-C stops everything it started, by PID.
#
#   bash kamailio/local-stack.sh
#
# Settings (environment): SIP_PORT (5060, on 127.0.0.1 and [::1]), ADMIN_PORT (8080),
# BACKEND_PORT (5090, the sipp stand-in), BACKEND_URI (relay to an existing backend, e.g.
# sip:127.0.0.1:5080, instead of starting the stand-in), SIP_LISTEN6 ([::1]:SIP_PORT; empty: no
# IPv6 listener), RTPENGINE_PORT (22222), RTP_PORT_MIN/RTP_PORT_MAX (RTPEngine's media ports,
# 40000-40999; give a second stack on the host its own range), NODE_NAME (local-edge: the edge's
# name in heartbeats, also the TLS watcher's), TLS_ENABLED (false; true adds TLS on SIP_TLS_PORT, 5061, with a
# self-signed server certificate made once in STACK_DIR/tls), TELPRO_ADMIN_PASSWORD (admin's
# password on the first start), STACK_DIR (runtime files and logs, default target/local-stack),
# SIP_DOMAIN (subscribers' domain, default sip.telpro.test), JSONRPC_PORT (Kamailio's loopback
# JSON-RPC, 5071), EDGES (1; N starts N Kamailio edges sharing the one Redis: edge i > 1 is
# "local-edge-<i>" on udp/tcp 127.0.0.1:SIP_PORT+10*(i-1), calls and records only — trunk limits
# hold across all of them, see kamailio/REDIS-CONTRACT.md "Call limits").
# Data stays in ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$(pwd)

sip_port=${SIP_PORT:-5060}
admin_port=${ADMIN_PORT:-8080}
backend_port=${BACKEND_PORT:-5090}
# an existing backend (an Asterisk, a test UAS): relay there and start no stand-in
backend_uri=${BACKEND_URI:-}
sip_listen6=${SIP_LISTEN6-[::1]:${SIP_PORT:-5060}}
rtp_port_min=${RTP_PORT_MIN:-40000}
rtp_port_max=${RTP_PORT_MAX:-40999}
node_name=${NODE_NAME:-local-edge}
rtpengine_port=${RTPENGINE_PORT:-22222}
stack_dir=${STACK_DIR:-$project/target/local-stack}
redis_port=${TELPRO_EMBEDDED_REDIS_PORT:-56379}
tls_port=${SIP_TLS_PORT:-5061}
postgres_port=${TELPRO_EMBEDDED_POSTGRES_PORT:-55432}
sip_domain=${SIP_DOMAIN:-sip.telpro.test}
jsonrpc_port=${JSONRPC_PORT:-5071}
# Kamailio's own PostgreSQL role: the admin service (re)creates it with this password at start
kamailio_db_password=${KAMAILIO_DB_PASSWORD:-$(openssl rand -hex 16)}

pids=()
stop_all() {
	trap - INT TERM EXIT
	echo
	echo "Stopping the local stack..."
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
		kill -TERM "${pids[i]}" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	echo "Stopped."
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

wait_for() { # description, seconds, command...
	local what=$1 limit=$2
	shift 2
	for _ in $(seq 1 $((limit * 5))); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.2
	done
	echo "$what did not come up within ${limit} s; logs are in $stack_dir" >&2
	exit 1
}

bash kamailio/install-packages.sh
jar=$(ls admin/target/trunk-control-*.jar 2>/dev/null | head -n 1 || true)
watcher_jar=tls-watcher/target/tls-watcher-exec.jar
if [[ -z "$jar" || ! -f "$watcher_jar" \
	|| -n "$(find admin/src redis-contract/src tls-watcher/src -name '*.*' -newer "$jar" -type f -print -quit)" \
	|| -n "$(find pom.xml admin/pom.xml redis-contract/pom.xml tls-watcher/pom.xml -newer "$jar" -print -quit)" ]]; then
	echo "Building the admin service and the TLS watcher..."
	mvn -q -B -DskipTests package
	jar=$(ls admin/target/trunk-control-*.jar | head -n 1)
fi
mkdir -p "$stack_dir"

echo "Starting the admin service (embedded PostgreSQL and Redis, data in ./data)..."
SERVER_PORT=$admin_port TELPRO_KAMAILIO_DB_PASSWORD=$kamailio_db_password TELPRO_SIP_DOMAIN=$sip_domain \
	TELPRO_KAMAILIO_RPC_URL="http://127.0.0.1:$jsonrpc_port/RPC" \
	java -Xmx512m -jar "$jar" >"$stack_dir/admin.log" 2>&1 &
pids+=($!)
wait_for "The admin service" 120 grep -q "admin ready" "$stack_dir/admin.log"

if [[ -z "$backend_uri" ]]; then
	echo "Starting the backend stand-in (sipp UAS)..."
	(cd "$stack_dir" && exec sipp -sf "$project/admin/src/test/resources/sipp/uas_backend.xml" -i 127.0.0.1 -p "$backend_port" -nostdin >"$stack_dir/backend.log" 2>&1) &
	pids+=($!)
	backend_uri="sip:127.0.0.1:$backend_port"
	backend_info="sipp stand-in, udp 127.0.0.1:$backend_port"
else
	backend_info="$backend_uri (yours; no stand-in started)"
fi

echo "Starting RTPEngine..."
# kamailio/rtpengine.conf's interfaces, pub 127.0.0.1 (carriers) and priv 127.0.0.20 (backend),
# plus ::1 on pub for carriers calling the IPv6 listener
rtp_interfaces=(--interface=pub/127.0.0.1 --interface=priv/127.0.0.20)
[[ -n "$sip_listen6" ]] && rtp_interfaces+=(--interface=pub/::1)
rtpengine --config-file="$project/kamailio/rtpengine.conf" "${rtp_interfaces[@]}" \
	--listen-ng="127.0.0.1:$rtpengine_port" --port-min="$rtp_port_min" --port-max="$rtp_port_max" \
	--pidfile="$stack_dir/rtpengine.pid" >"$stack_dir/rtpengine.log" 2>&1 &
pids+=($!)

tls_defines=()
mkdir -p "$stack_dir/tls"
if [[ "${TLS_ENABLED:-false}" == "true" ]]; then
	if [[ ! -f "$stack_dir/tls/server.key" ]]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
			-keyout "$stack_dir/tls/server.key" -out "$stack_dir/tls/server.crt" 2>/dev/null
	fi
	# Kamailio needs a readable CA list at start; the TLS watcher replaces it after the first sync.
	[[ -f "$stack_dir/tls/ca-bundle.pem" ]] || cp "$stack_dir/tls/server.crt" "$stack_dir/tls/ca-bundle.pem"
	sed "s#/etc/kamailio/tls/#$stack_dir/tls/#" kamailio/tls.cfg >"$stack_dir/tls.cfg"
	tls_defines=(-A WITH_TLS -A "TLS_CFG=\"$stack_dir/tls.cfg\"" -A "TLS_LISTEN_ADDR=127.0.0.1:$tls_port")
fi

listen6_defines=()
[[ -n "$sip_listen6" ]] && listen6_defines=(-A "LISTEN_ADDR6=$sip_listen6")

echo "Starting Kamailio..."
kamailio -f kamailio/kamailio.cfg -DD -E -m 64 -M 8 -x tlsf -X tlsf -Y "$stack_dir" -P "$stack_dir/kamailio.pid" \
	-A "LISTEN_ADDR=127.0.0.1:$sip_port" \
	-A "NODE_NAME=\"$node_name\"" "${listen6_defines[@]}" \
	-A "REDIS_SERVER=\"name=telpro;addr=127.0.0.1;port=$redis_port\"" \
	-A "BACKEND_URI=\"$backend_uri\"" \
	-A "DB_URL=\"postgres://kamailio:$kamailio_db_password@127.0.0.1:$postgres_port/telpro\"" \
	-A "CTL_SOCKET=\"unix:$stack_dir/kamailio_ctl\"" \
	-A "JS_MAIN=\"$project/kamailio/js/main.js\"" \
	-A "RTPENGINE_SOCK=\"udp:127.0.0.1:$rtpengine_port\"" \
	-A "SIP_DOMAIN=\"$sip_domain\"" -A "JSONRPC_HTTP_ADDR=127.0.0.1:$jsonrpc_port" \
	-A WITH_RTPENGINE -A WITH_REGISTRAR -A WITH_JSONRPC_HTTP "${tls_defines[@]}" \
	>"$stack_dir/kamailio.log" 2>&1 &
pids+=($!)
wait_for "Kamailio" 20 kamcmd -s "unix:$stack_dir/kamailio_ctl" core.uptime

edges=${EDGES:-1}
extra_edges=""
for ((i = 2; i <= edges; i++)); do
	edge_port=$((sip_port + 10 * (i - 1)))
	edge_dir="$stack_dir/edge-$i"
	mkdir -p "$edge_dir"
	echo "Starting Kamailio edge local-edge-$i on 127.0.0.1:$edge_port..."
	# subscribers (usrloc writes the location table), JSON-RPC and TLS stay with the first edge
	kamailio -f kamailio/kamailio.cfg -DD -E -m 64 -M 8 -Y "$edge_dir" -P "$edge_dir/kamailio.pid" \
		-A "LISTEN_ADDR=127.0.0.1:$edge_port" \
		-A "NODE_NAME=\"local-edge-$i\"" \
		-A "REDIS_SERVER=\"name=telpro;addr=127.0.0.1;port=$redis_port\"" \
		-A "BACKEND_URI=\"sip:127.0.0.1:$backend_port\"" \
		-A "DB_URL=\"postgres://kamailio:$kamailio_db_password@127.0.0.1:$postgres_port/telpro\"" \
		-A "CTL_SOCKET=\"unix:$edge_dir/kamailio_ctl\"" \
		-A "JS_MAIN=\"$project/kamailio/js/main.js\"" \
		-A "RTPENGINE_SOCK=\"udp:127.0.0.1:$rtpengine_port\"" \
		-A WITH_ACC_DB -A WITH_RTPENGINE \
		>"$edge_dir/kamailio.log" 2>&1 &
	pids+=($!)
	wait_for "Kamailio edge $i" 20 kamcmd -s "unix:$edge_dir/kamailio_ctl" core.uptime
	extra_edges+="  Kamailio edge $i  udp/tcp 127.0.0.1:$edge_port   (log: $edge_dir/kamailio.log)"$'\n'
done

echo "Starting the TLS watcher..."
java -jar "$watcher_jar" \
	--redis "redis://127.0.0.1:$redis_port" --tls-dir "$stack_dir/tls" --ctl "unix:$stack_dir/kamailio_ctl" \
	--node "$node_name" --interval 5 >"$stack_dir/tls-watcher.log" 2>&1 &
pids+=($!)

cat <<INFO

The edge is running on loopback:
  admin service   http://localhost:$admin_port/admin-settings   (log: $stack_dir/admin.log)
  Kamailio        udp/tcp 127.0.0.1:$sip_port$([[ -n "$sip_listen6" ]] && echo " and $sip_listen6")$([[ ${#tls_defines[@]} -gt 0 ]] && echo ", tls 127.0.0.1:$tls_port")   (node $node_name, log: $stack_dir/kamailio.log)
                  subscribers of $sip_domain register here; JSON-RPC http://127.0.0.1:$jsonrpc_port/RPC
${extra_edges}  backend         $backend_info
  RTPEngine       ng udp 127.0.0.1:$rtpengine_port, media ports $rtp_port_min-$rtp_port_max
  PostgreSQL      127.0.0.1:$postgres_port   Redis 127.0.0.1:$redis_port
  TLS watcher     polls Redis every 5 s      (log: $stack_dir/tls-watcher.log)
PIDs: ${pids[*]}
Press Ctrl-C to stop everything.
INFO
wait -n "${pids[@]}" 2>/dev/null || true
echo "A process of the stack ended by itself; see the logs in $stack_dir" >&2
exit 1
