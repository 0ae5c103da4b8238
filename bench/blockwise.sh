#!/usr/bin/env bash
# Block-wise download (RFC 7959 Block2) throughput: our server against libcoap's coap-server-notls, after
# tools/README.md in the shared folder (coapload -B). Both servers get the same 10 MiB body by PUT (libcoap's
# coap-client-notls -m put -b 1024), then coapload downloads it from each, alternately, and checks the sha256.
#
#   bench/blockwise.sh                    3 rounds, 1024-byte blocks (SZX 6), coapload as the client
#   bench/blockwise.sh --rounds 5 --szx 6 --iterations 3 --dotnet-client
#
# Options:
#   --rounds N         A B alternations (default 3)
#   --szx Z            block size exponent asked by coapload (default 6: 1024 bytes)
#   --iterations I     downloads per coapload run; it reports the median (default 3)
#   --size BYTES       body size (default 10485760)
#   --dotnet-client    also download with our own client (the `coap` CLI, `coap get -b SIZE -o FILE`) from both
#                      servers, N rounds; wall time of the whole command, so it includes the CLI's start-up
# Servers run pinned to CPU 0 (each in its own process group), clients pinned to CPU 1. Every process started here
# is killed on exit (trap on EXIT, INT, TERM).
set -euo pipefail

ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
SHARED="${SHARED_DIR:-$ROOT/../shared}"
if [ ! -d "$SHARED/tools/coapload" ]; then
  COMMON="$(cd "$ROOT" && cd "$(git rev-parse --git-common-dir)" && pwd)"
  SHARED="$(dirname "$COMMON")/../shared"
fi
[ -f "$SHARED/tools/coapload/coapload.c" ] || { echo "coapload source not found (set SHARED_DIR)" >&2; exit 2; }

ROUNDS=3
SZX=6
ITERATIONS=3
SIZE=10485760
DOTNET_CLIENT=""
READY_TIMEOUT=30
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --szx) SZX="$2"; shift 2 ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --dotnet-client) DOTNET_CLIENT=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
BLOCK=$((16 << SZX))

WORK="$(mktemp -d)"
PIDS=()
CHILD_PID=""
cleanup() {
  local pid
  if [ -n "$CHILD_PID" ]; then
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------------------
gcc -O2 -Wall -Wextra -o "$WORK/coapload" "$SHARED/tools/coapload/coapload.c"
COAPLOAD="$WORK/coapload"
if ! command -v coap-server-notls >/dev/null 2>&1; then
  log "installing libcoap3-bin (coap-server-notls, coap-client-notls)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq libcoap3-bin >/dev/null
fi
dotnet build "$ROOT/bench/Coap.Bench.Server" -c Release -v q -nologo >/dev/null
OURS_DLL="$ROOT/bench/Coap.Bench.Server/bin/Release/net10.0/Coap.Bench.Server.dll"
CLI_DLL="$ROOT/src/Coap.Cli/bin/Release/net10.0/coap.dll"
if [ -n "$DOTNET_CLIENT" ]; then
  dotnet build "$ROOT/src/Coap.Cli" -c Release -v q -nologo >/dev/null
  [ -f "$CLI_DLL" ] || CLI_DLL="$(ls "$ROOT"/src/Coap.Cli/bin/Release/net10.0/*.dll | grep -i -m1 -E '/(coap|Coap.Cli)\.dll$')"
fi

# The body: pseudo-random bytes from a fixed seed, the same for both servers.
BODY="$WORK/example_data.bin"
python3 -c "import random, sys; random.seed(20261122); sys.stdout.buffer.write(random.randbytes($SIZE))" >"$BODY"
SHA="$(sha256sum "$BODY" | cut -d' ' -f1)"

free_port() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_bounded() {
  local out="$1"; shift
  "$@" >"$out" 2>&1 &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return $rc
}

# start_server LABEL CMD → SERVER_PID, SERVER_PORT; waits until GET /time answers, then PUTs the body
start_server() {
  local label="$1" cmd="$2" port line
  port="$(free_port)"
  cmd="${cmd//\{port\}/$port}"
  log "starting $label on 127.0.0.1:$port: taskset -c 0 $cmd"
  # shellcheck disable=SC2086
  setsid taskset -c 0 $cmd >"$WORK/$label.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  SERVER_PORT="$port"
  local deadline=$((SECONDS + READY_TIMEOUT)) ready=""
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$label exited early:"; cat "$WORK/$label.log" >&2; exit 1; }
    run_bounded "$WORK/probe.out" "$COAPLOAD" -q -w 1 -c 1 -N 1 -d 1 -W 0 -T 500 "coap://127.0.0.1:$port/time" || true
    line="$(tail -n 1 "$WORK/probe.out")"
    if [[ "$line" =~ ok=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then ready=1; break; fi
    sleep 0.3
  done
  [ -n "$ready" ] || { log "$label did not answer GET /time within $READY_TIMEOUT s"; exit 1; }
  local start end
  start="$(date +%s.%N)"
  run_bounded "$WORK/put.out" timeout 300 coap-client-notls -m put -b 1024 -f "$BODY" "coap://127.0.0.1:$port/example_data" \
    || { log "PUT to $label failed:"; cat "$WORK/put.out" >&2; exit 1; }
  end="$(date +%s.%N)"
  log "$label: PUT $SIZE bytes with coap-client-notls -b 1024 in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"
}

field() { [[ "$2" =~ (^|[[:space:]])$1=([^[:space:]]+) ]] && echo "${BASH_REMATCH[2]}" || echo "nan"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

LABELS=(libcoap ours)
declare -A PORT_OF
start_server libcoap "coap-server-notls -A 127.0.0.1 -p {port}"; PORT_OF[libcoap]="$SERVER_PORT"
start_server ours "dotnet $OURS_DLL {port}"; PORT_OF[ours]="$SERVER_PORT"

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs; servers on CPU 0, client on CPU 1; Block2 GET /example_data, $SIZE bytes, SZX $SZX ($BLOCK B), coapload -i $ITERATIONS; sha256 $SHA"
declare -A MBPS P50 P99 CLI
FAILED=0
for round in $(seq 1 "$ROUNDS"); do
  for label in "${LABELS[@]}"; do
    run_bounded "$WORK/gen.out" taskset -c 1 "$COAPLOAD" -B -z "$SZX" -S "$SHA" -i "$ITERATIONS" -d 300 \
      "coap://127.0.0.1:${PORT_OF[$label]}/example_data" || true
    line="$(tail -n 1 "$WORK/gen.out")"
    printf 'round %d %-8s coapload %s\n' "$round" "$label" "$line"
    if [ "$(field match "$line")" != yes ]; then FAILED=1; log "$label: download did not match the body"; fi
    MBPS[$label]+="$(field MBps "$line") "; P50[$label]+="$(field block_p50_us "$line") "; P99[$label]+="$(field block_p99_us "$line") "
  done
  if [ -n "$DOTNET_CLIENT" ]; then
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
  fi
done

for label in "${LABELS[@]}"; do
  # shellcheck disable=SC2086
  printf 'median %-8s coapload MBps=%s block_p50_us=%s block_p99_us=%s\n' "$label" "$(median ${MBPS[$label]})" \
    "$(median ${P50[$label]})" "$(median ${P99[$label]})"
done
# shellcheck disable=SC2086
awk -v x="$(median ${MBPS[ours]})" -v y="$(median ${MBPS[libcoap]})" \
  'BEGIN { printf "ratio ours/libcoap coapload MBps=%s\n", (y > 0 ? sprintf("%.3f", x / y) : "n/a") }'
if [ -n "$DOTNET_CLIENT" ]; then
  for label in "${LABELS[@]}"; do
    # shellcheck disable=SC2086
    printf 'median %-8s coap-cli MBps=%s\n' "$label" "$(median ${CLI[$label]})"
  done
  # shellcheck disable=SC2086
  awk -v x="$(median ${CLI[ours]})" -v y="$(median ${CLI[libcoap]})" \
    'BEGIN { printf "ratio ours/libcoap coap-cli MBps=%s\n", (y > 0 ? sprintf("%.3f", x / y) : "n/a") }'
fi
exit "$FAILED"
