#!/usr/bin/env bash
# Runs every benchmark of the project, one after the other, and prints their figures. Each
# benchmark measures its cases side by side in one run and prints ratios, because absolute
# numbers on these shared 2-core machines move from run to run.
#   bash bench/run.sh            all benchmarks
#   bash bench/run.sh sync       only bench/sync-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash kamailio/install-packages.sh
mvn -q -B -DskipTests process-test-classes

selected=("$@")
for script in bench/*-bench.sh; do
	name=$(basename "$script" -bench.sh)
	if ((${#selected[@]} > 0)) && [[ ! " ${selected[*]} " == *" $name "* ]]; then
		continue
	fi
	echo "=== $name ==="
	bash "$script"
	echo
done
