#!/usr/bin/env bash
# Small GET throughput through a CoAP proxy, briefly: a "device" (libcoap's coap-server-notls, GET /time) asked
# directly, through our proxy module (forward proxy, Proxy-Uri) with the cache off and on, and through libcoap's own
# forward proxy (coap-server-notls -P), in the same run. The device runs on CPU 0 and the load generator
# (bench/Coap.Bench.Load, -x for Proxy-Uri) on CPU 1; a proxy runs, per layout:
#   split   on CPU 1 with the load generator: the device keeps its core to itself, as a device behind a gateway
#           does (it never shares a processor with the gateway); the proxy's cost falls on the clients' core
#   shared  on CPU 0 with the device: each forward's cost falls on the device's core
#
#   bench/proxy.sh [--rounds N] [-w W] [-c C] [-d SEC] [-W SEC] [--host DLL] [--layout split|shared|both]
#                  (defaults 1 16 16 5 1, this tree's host, both)
#
# Needs a Release build of src/CoapHost (dotnet build Everything.sln -c Release). Every process started here is
# killed on exit. Output: one line per run, then the medians and each ratio to the device asked directly.
set -euo pipefail

source "$(dirname "$0")/bench-lib.sh"
bench_locate
HOST=""; LAYOUT=both; ROUNDS=1; WINDOW=16; CLIENTS=16; DURATION=5; WARMUP=1; READY_TIMEOUT=30
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    -w) WINDOW="$2"; shift 2 ;;
    -c) CLIENTS="$2"; shift 2 ;;
    -d) DURATION="$2"; shift 2 ;;
    -W) WARMUP="$2"; shift 2 ;;
    --host) HOST="$2"; shift 2 ;;
    --layout) LAYOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

HOST="${HOST:-$ROOT/src/CoapHost/bin/Release/net10.0/CoapHost.dll}"
case "$LAYOUT" in split) LAYOUTS=(split) ;; shared) LAYOUTS=(shared) ;; both) LAYOUTS=(split shared) ;;
  *) echo "--layout is split, shared or both" >&2; exit 2 ;; esac
[ -f "$HOST" ] || { echo "build first: dotnet build Everything.sln -c Release ($HOST is missing)" >&2; exit 2; }
bench_setup
need_libcoap

OURS="dotnet $HOST --Coap:Address=127.0.0.1 --Coap:Port={port} --Logging:LogLevel:Default=Warning --Modules:Proxy:Enabled=true --Modules:Proxy:MaxInFlightPerUpstream=64"
start_server device "coap-server-notls -A 127.0.0.1 -p {port}" time; DEVICE_PID=$SERVER_PID; DEVICE_PORT=$SERVER_PORT
start_server ours-nocache "$OURS --Modules:Proxy:Cache=false" time; NOCACHE_PID=$SERVER_PID; NOCACHE_PORT=$SERVER_PORT
start_server ours-cache "$OURS --Modules:Proxy:Cache=true" time; CACHE_PID=$SERVER_PID; CACHE_PORT=$SERVER_PORT
start_server libcoap-proxy "coap-server-notls -A 127.0.0.1 -p {port} -P ,benchproxy" time; LIBPROXY_PID=$SERVER_PID; LIBPROXY_PORT=$SERVER_PORT
TARGET="coap://127.0.0.1:$DEVICE_PORT/time"

PROXIES=(ours-nocache ours-cache libcoap-proxy)
declare -A PID_OF=([direct]=$DEVICE_PID [ours-nocache]=$NOCACHE_PID [ours-cache]=$CACHE_PID [libcoap-proxy]=$LIBPROXY_PID)
declare -A PORT_OF=([direct]=$DEVICE_PORT [ours-nocache]=$NOCACHE_PORT [ours-cache]=$CACHE_PORT [libcoap-proxy]=$LIBPROXY_PORT)
declare -A CPU_OF=([split]=1 [shared]=0)
LABELS=(direct)
for layout in "${LAYOUTS[@]}"; do for proxy in "${PROXIES[@]}"; do LABELS+=("$proxy/$layout"); done; done
FLAGS=(-w "$WINDOW" -c "$CLIENTS" -d "$DURATION" -W "$WARMUP")
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs; device on CPU 0, generator on CPU 1, a proxy on CPU 1 (split) or 0 (shared); GET $TARGET ${FLAGS[*]}"
declare -A RPS
for round in $(seq 1 "$ROUNDS"); do
  for label in "${LABELS[@]}"; do
    server="${label%/*}"
    if [ "$label" = direct ]; then
      run_bounded "$WORK/gen.out" taskset -c 1 "${LOAD[@]}" -q "${FLAGS[@]}" -P "${PID_OF[$label]}" "$TARGET" || true
    else
      # Every thread of the proxy moves to its layout's CPU before its run.
      taskset -a -cp "${CPU_OF[${label#*/}]}" "${PID_OF[$server]}" >/dev/null
      run_bounded "$WORK/gen.out" taskset -c 1 "${LOAD[@]}" -q "${FLAGS[@]}" -P "${PID_OF[$server]}" -x "$TARGET" "coap://127.0.0.1:${PORT_OF[$server]}/" || true
    fi
    line="$(tail -n 1 "$WORK/gen.out")"
    printf 'round %d %-21s %s\n' "$round" "$label" "$line"
    RPS[$label]+="$(field rps "$line") "
  done
done

direct="$(median ${RPS[direct]})"
for label in "${LABELS[@]}"; do
  # shellcheck disable=SC2086
  m="$(median ${RPS[$label]})"
  awk -v l="$label" -v m="$m" -v d="$direct" 'BEGIN { printf "median %-21s rps=%s ratio_to_direct=%s\n", l, m, (d > 0 ? sprintf("%.2f", m / d) : "n/a") }'
done
