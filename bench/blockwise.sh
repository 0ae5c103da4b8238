#!/usr/bin/env bash
# Block-wise download (RFC 7959 Block2) throughput: our server against libcoap's coap-server-notls. Both servers get
# the same 10 MiB body by PUT (libcoap's coap-client-notls -m put -b 1024), then our own client, the `coap` CLI
# (`coap get -b SIZE -o FILE`), downloads it from each, alternately, and the file's sha256 is checked.
#
#   bench/blockwise.sh                    3 rounds, 1024-byte blocks (SZX 6), the `coap` CLI as the client
#   bench/blockwise.sh --rounds 5 --szx 6
#   COAPLOAD_SRC=/path/to/coapload.c bench/blockwise.sh --coapload     also the coapload -B cross-check
#
# Options:
#   --rounds N         A B alternations (default 3)
#   --szx Z            block size exponent (default 6: 1024 bytes)
#   --size BYTES       body size (default 10485760)
#   --coapload         also download with coapload -B (median of --iterations downloads, per-block latency), an
#                      optional cross-check from outside this repository: needs COAPLOAD_SRC (its coapload.c) or
#                      COAPLOAD (a built one) in the environment, and is skipped with a message without them
#   --iterations I     downloads per coapload run; it reports the median (default 3)
# The CLI rows are wall time of the whole command, so they include its start-up (about 0.15 s). Servers run pinned
# to CPU 0 (each in its own process group), clients pinned to CPU 1. Every process started here is killed on exit
# (trap on EXIT, INT, TERM).
set -euo pipefail

source "$(dirname "$0")/bench-lib.sh"
bench_locate

ROUNDS=3
SZX=6
ITERATIONS=3
SIZE=10485760
WITH_COAPLOAD=""
READY_TIMEOUT=30
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --szx) SZX="$2"; shift 2 ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --coapload) WITH_COAPLOAD=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
BLOCK=$((16 << SZX))

bench_setup
if [ -n "$WITH_COAPLOAD" ] && ! coapload_locate; then
  log "blockwise.sh: skipping the coapload cross-check; the \`coap\` CLI rows still run"
  WITH_COAPLOAD=""
fi
need_libcoap
dotnet build "$ROOT/bench/Coap.Bench.Server" -c Release -v q -nologo >/dev/null
OURS_DLL="$ROOT/bench/Coap.Bench.Server/bin/Release/net10.0/Coap.Bench.Server.dll"
dotnet build "$ROOT/src/Coap.Cli" -c Release -v q -nologo >/dev/null
CLI_DLL="$ROOT/src/Coap.Cli/bin/Release/net10.0/coap.dll"

# The body: pseudo-random bytes from a fixed seed, the same for both servers.
BODY="$WORK/example_data.bin"
python3 -c "import random, sys; random.seed(20261122); sys.stdout.buffer.write(random.randbytes($SIZE))" >"$BODY"
SHA="$(sha256sum "$BODY" | cut -d' ' -f1)"

# start_with_body LABEL CMD → SERVER_PID, SERVER_PORT; starts the server, then PUTs the body to /example_data
start_with_body() {
  local label="$1" port
  start_server "$label" "$2" time
  port="$SERVER_PORT"
  local start end
  start="$(date +%s.%N)"
  run_bounded "$WORK/put.out" timeout 300 coap-client-notls -m put -b 1024 -f "$BODY" "coap://127.0.0.1:$port/example_data" \
    || { log "PUT to $label failed:"; cat "$WORK/put.out" >&2; exit 1; }
  end="$(date +%s.%N)"
  log "$label: PUT $SIZE bytes with coap-client-notls -b 1024 in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"
}


LABELS=(libcoap ours)
declare -A PORT_OF
start_with_body libcoap "coap-server-notls -A 127.0.0.1 -p {port}"; PORT_OF[libcoap]="$SERVER_PORT"
start_with_body ours "dotnet $OURS_DLL {port}"; PORT_OF[ours]="$SERVER_PORT"

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs; servers on CPU 0, client on CPU 1; Block2 GET /example_data, $SIZE bytes, SZX $SZX ($BLOCK B), coap get${WITH_COAPLOAD:+ and coapload -i $ITERATIONS}; sha256 $SHA"
declare -A MBPS P50 P99 CLI
FAILED=0
for round in $(seq 1 "$ROUNDS"); do
  for label in "${LABELS[@]}"; do
    rm -f "$WORK/cli.bin"
    start="$(date +%s.%N)"
    run_bounded "$WORK/cli.out" taskset -c 1 dotnet "$CLI_DLL" get -b "$BLOCK" -o "$WORK/cli.bin" \
      "coap://127.0.0.1:${PORT_OF[$label]}/example_data" || true
    end="$(date +%s.%N)"
    got="$(sha256sum "$WORK/cli.bin" 2>/dev/null | cut -d' ' -f1 || true)"
    secs="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
    mbps="$(awk -v s="$secs" -v n="$SIZE" 'BEGIN { printf "%.2f", n / s / 1e6 }')"
    match=no; [ "$got" = "$SHA" ] && match=yes
    printf 'round %d %-8s coap-cli secs=%s MBps=%s match=%s\n' "$round" "$label" "$secs" "$mbps" "$match"
    [ "$match" = yes ] || { FAILED=1; log "coap get from $label:"; tail -n 5 "$WORK/cli.out" >&2; }
    CLI[$label]+="$mbps "
  done
  if [ -n "$WITH_COAPLOAD" ]; then
    for label in "${LABELS[@]}"; do
      run_bounded "$WORK/gen.out" taskset -c 1 "$COAPLOAD" -B -z "$SZX" -S "$SHA" -i "$ITERATIONS" -d 300 \
        "coap://127.0.0.1:${PORT_OF[$label]}/example_data" || true
      line="$(tail -n 1 "$WORK/gen.out")"
      printf 'round %d %-8s coapload %s\n' "$round" "$label" "$line"
      if [ "$(field match "$line")" != yes ]; then FAILED=1; log "$label: coapload download did not match the body"; fi
      MBPS[$label]+="$(field MBps "$line") "; P50[$label]+="$(field block_p50_us "$line") "; P99[$label]+="$(field block_p99_us "$line") "
    done
  fi
done

for label in "${LABELS[@]}"; do
  # shellcheck disable=SC2086
  printf 'median %-8s coap-cli MBps=%s\n' "$label" "$(median ${CLI[$label]})"
done
# shellcheck disable=SC2086
awk -v x="$(median ${CLI[ours]})" -v y="$(median ${CLI[libcoap]})" \
  'BEGIN { printf "ratio ours/libcoap coap-cli MBps=%s\n", (y > 0 ? sprintf("%.3f", x / y) : "n/a") }'
if [ -n "$WITH_COAPLOAD" ]; then
  for label in "${LABELS[@]}"; do
    # shellcheck disable=SC2086
    printf 'median %-8s coapload MBps=%s block_p50_us=%s block_p99_us=%s\n' "$label" "$(median ${MBPS[$label]})" \
      "$(median ${P50[$label]})" "$(median ${P99[$label]})"
  done
  # shellcheck disable=SC2086
  awk -v x="$(median ${MBPS[ours]})" -v y="$(median ${MBPS[libcoap]})" \
    'BEGIN { printf "ratio ours/libcoap coapload MBps=%s\n", (y > 0 ? sprintf("%.3f", x / y) : "n/a") }'
fi
exit "$FAILED"
