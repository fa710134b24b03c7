#!/usr/bin/env bash
# Installs, from Debian's packages, what the edge and its tests run: Kamailio 5.6 with the modules
# kamailio.cfg loads, sipp, RTPEngine and openssl; redis-server, redis-tools and python3 for
# bench/kamailio-bench.sh (the Kamailio tests start Redis from the embedded-redis artifact);
# chromium and chromium-driver for the browser tests (admin/browser).
# Does nothing when everything is present, so the test command can call it every time.
set -euo pipefail

packages=(kamailio kamailio-redis-modules kamailio-tls-modules kamailio-postgres-modules
	kamailio-extra-modules kamailio-utils-modules sip-tester rtpengine-daemon openssl docker-compose
	redis-server redis-tools python3 chromium chromium-driver)

missing=()
for package in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
	exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
	echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
