#!/usr/bin/env bash
# Starts RTPEngine with the project's config (/etc/rtpengine/telpro.conf); what differs per host
# comes from the environment and overrides the file on the command line:
#   RTP_PUBLIC_ADDR      address of the "pub" interface (carriers); "ip!advertised" behind NAT
#   RTP_PRIVATE_ADDR     address of the "priv" interface (backend, internal trunks); default: public
#   RTPENGINE_NG_LISTEN  ng control address:port; only Kamailio may reach it (no authentication)
#   RTP_PORT_MIN, RTP_PORT_MAX  media port range
set -euo pipefail

public="${RTP_PUBLIC_ADDR:?set RTP_PUBLIC_ADDR to the address carriers send media to}"
exec rtpengine --config-file=/etc/rtpengine/telpro.conf \
	--interface="pub/${public}" --interface="priv/${RTP_PRIVATE_ADDR:-${public%%!*}}" \
	--listen-ng="${RTPENGINE_NG_LISTEN:-127.0.0.1:2223}" \
	--port-min="${RTP_PORT_MIN:-30000}" --port-max="${RTP_PORT_MAX:-30999}" \
	--pidfile=/run/rtpengine.pid
