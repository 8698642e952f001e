#!/usr/bin/env bash
# Starts Translive as a local Hazelcast cluster on one machine, with the PostgreSQL store.
#   NODES=3 scripts/run-cluster.sh     nodes on HTTP ports 9980, 9981, ... (default 1 node)
# Each node plays every role; stop with Ctrl-C (all nodes stop).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes="${NODES:-1}"
url="$(scripts/postgres.sh start | tail -n 1)"
jar="${BUILD_DIR:-target}/translive.jar"
members=""
for i in $(seq 0 $((nodes - 1))); do members+="127.0.0.1:$((5701 + i)),"; done
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
for i in $(seq 0 $((nodes - 1))); do
  TRANSLIVE_CLUSTER_ENABLED=true TRANSLIVE_CLUSTER_PORT=$((5701 + i)) TRANSLIVE_CLUSTER_MEMBERS="${members%,}" \
  TRANSLIVE_STORE_TYPE=postgres TRANSLIVE_STORE_POSTGRES_URL="$url" \
  TRANSLIVE_HTTP_PORT=$((9980 + i)) TRANSLIVE_DATA_DIR="data/node$i" TRANSLIVE_LOG_DIR="logs/node$i" \
    java -jar "$jar" &
  pids+=($!)
done
wait
