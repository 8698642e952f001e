#!/usr/bin/env bash
# Runs the benchmark suite and writes bench/results/<name>.{json,md,svg} and summary.md.
#   BENCH_ONLY=fanout,fanout-sockjs,fanout-node,fanout-fallback,fanout2,pipeline,llm,queue,upload,eta,pdf   a subset (default: all)
#                                                  fanout: raw WebSocket clients; fanout-sockjs: SockJS's WebSocket
#                                                  transport as sockjs-client speaks it (the browsers' path);
#                                                  fanout-node: the same clients against a Node ws broadcaster
#                                                  (bench/node-broadcaster, npm's ws), the reference of fanout-versus.md
#                                                  fanout-fallback: cost per delivery of each SockJS transport
#                                                  with the official client (Node, 200 clients)
#                                                  eta: ETA and wait accuracy on a mixed workload
#                                                  fanout2: the fan-out on a two-node cluster (starts PostgreSQL)
#   BENCH_PDF_PAGES=N, BENCH_OCR_PAGES=N           pdf: pages of the layout and of the scan document (200 each)
#   BENCH_CLIENTS=N                                fan-out clients (default 10000)
#   BUILD_DIR=dir                                  Maven build dir (default target), as -DbuildDir
# Expects the jar to be built (make bench does it); compiles the test classes the benchmarks live in.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${BUILD_DIR:-target}"
BUILD_DIR="$(mkdir -p "$BUILD_DIR" && cd "$BUILD_DIR" && pwd)"
RESULTS="bench/results"
ONLY="${BENCH_ONLY:-fanout,fanout-sockjs,fanout-node,fanout-fallback,fanout2,pipeline,llm,queue,upload,eta,pdf}"
MVN=(mvn -B -q "-DbuildDir=$BUILD_DIR")

if [ ! -f "$BUILD_DIR/translive.jar" ]; then
  "${MVN[@]}" -DskipTests package
fi
"${MVN[@]}" -DskipTests test-compile
"${MVN[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BUILD_DIR/bench.classpath" >/dev/null
CP="$BUILD_DIR/test-classes:$BUILD_DIR/classes:$(cat "$BUILD_DIR/bench.classpath")"

# 10,000 sockets need more descriptors than the usual 1024, in both JVMs (the server inherits this).
ulimit -n 20000 || echo "WARNING: cannot raise the open-files limit to 20000 (now $(ulimit -n))" >&2
mkdir -p "$RESULTS"
case ",$ONLY," in
  *",fanout-node,"*|*",fanout-fallback,"*)
    if [ ! -d bench/node-broadcaster/node_modules/ws ] || [ ! -d bench/node-broadcaster/node_modules/sockjs-client ]; then
      (cd bench/node-broadcaster && npm install --no-audit --no-fund --loglevel=error)
    fi ;;
esac
case ",$ONLY," in
  *",fanout2,"*) export BENCH_PG_URL="${BENCH_PG_URL:-$(scripts/postgres.sh start | tail -n 1)}" ;;
esac

run() { # run <name> <class> <load generator heap> [arguments]
  local name="$1" class="$2" heap="$3"
  shift 3
  case ",$ONLY," in *",$name,"*) ;; *) return 0 ;; esac
  echo "== $name ($(date -u +%H:%M:%S)); log: $RESULTS/$name.log"
  local started=$SECONDS
  if java "-Xmx$heap" -Dbench.jar="$BUILD_DIR/translive.jar" -Dbench.results="$RESULTS" -cp "$CP" \
      "dev.translive.bench.$class" "$@" >"$RESULTS/$name.log" 2>&1; then
    echo "   done in $((SECONDS - started)) s"
  else
    echo "   FAILED after $((SECONDS - started)) s; last lines of the log:" >&2
    tail -20 "$RESULTS/$name.log" >&2
    failed+=("$name")
  fi
}

failed=()
run fanout FanoutLoadGenerator 1500m
BENCH_TARGET=sockjs run fanout-sockjs FanoutLoadGenerator 1500m
BENCH_TARGET=node run fanout-node FanoutLoadGenerator 1500m
# Translive's transports beside the Node broadcaster of the same run, as ratios.
rm -f "$RESULTS/fanout-versus.md"
java -Dbench.results="$RESULTS" -cp "$CP" dev.translive.bench.FanoutVersus >/dev/null
run fanout-fallback FanoutFallbackBench 512m
run fanout2 FanoutLoadGenerator 1500m 2
# Single node vs two nodes, from fanout.json and fanout2.json (whichever runs they come from).
rm -f "$RESULTS/fanout-compare.md"
java -Dbench.results="$RESULTS" -cp "$CP" dev.translive.bench.FanoutComparison >/dev/null
run pipeline PipelineBench 1g
run llm LlmBench 512m
run queue QueueScaleBench 1g
run upload UploadBench 256m
run eta EtaBench 512m
run pdf PdfBench 512m

{
  echo "## Benchmarks"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GB," \
    "$(java -version 2>&1 | head -1). Reproduce with \`make bench\`; details in bench/README.md."
  echo
  for name in fanout-versus fanout fanout-sockjs fanout-node fanout-fallback fanout2 fanout-compare pipeline llm queue upload eta pdf; do
    [ -f "$RESULTS/$name.md" ] && { cat "$RESULTS/$name.md"; echo; }
  done
} >"$RESULTS/summary.md"
echo "== summary: $RESULTS/summary.md"
cat "$RESULTS/summary.md"
[ ${#failed[@]} -eq 0 ] || { echo "FAILED: ${failed[*]}" >&2; exit 1; }
