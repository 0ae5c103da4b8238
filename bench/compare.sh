#!/usr/bin/env bash
# A/B throughput comparison of CoAP servers on loopback: servers pinned to CPU 0, the load generator pinned to CPU 1,
# runs alternated A B A B …, medians and ratios. The load generator is this repository's bench/Coap.Bench.Load.
#
#   bench/compare.sh                                        libcoap alone (3 runs)
#   bench/compare.sh --ours "dotnet src/CoapHost/bin/Release/net10.0/CoapHost.dll --Coap:Port={port}" --path time
#   bench/compare.sh --ours "coap-server-notls -A 127.0.0.1 -p {port}"    libcoap against itself (dry run)
#   COAPLOAD_SRC=/path/to/coapload.c bench/compare.sh --generators      cross-check: coapload against ours
#
# Options:
#   --ours CMD        the server under test; {port} is replaced by a free loopback UDP port. CMD is split on
#                     spaces and run without a shell (no quoting, no pipes), pinned to CPU 0, in its own process
#                     group; its PID is the one whose CPU the generator reports (-P).
#   --path P          resource path (default time; libcoap serves /time and /example_data)
#   --rounds N        A B alternations (default 3)
#   -w W -c C -d SEC -W SEC   generator window, sockets, measured seconds, warm-up seconds (default 16 16 10 2)
#   --non             NON requests instead of CON
#   --gen csharp|coapload     generator for the server comparison (default csharp, bench/Coap.Bench.Load)
#   --generators      compare the generators instead of servers: libcoap only, coapload (A) vs C# (B)
#   --ready-timeout S seconds to wait for a server to answer (default 30)
#   --oscore          small GET over OSCORE (RFC 8613) against plain CoAP to our server instead (libcoap has no
#                     OSCORE in Debian's 4.3.1): bench/Coap.Bench.Oscore, whose rounds are plain, OSCORE, plain
#                     (-w W clients, -d SEC each), against CoapHost (or --ours, which gets the context appended),
#                     with a fresh random context pair written into WORK (folders 0700, settings.json 0600)
# coapload is not part of this repository: --gen coapload and --generators need COAPLOAD_SRC (its coapload.c,
# compiled here) or COAPLOAD (a built one) in the environment; without them the script says so and exits 0 having
# measured nothing. Every process started here is killed on exit (trap on EXIT, INT, TERM).
# Output: one line per run (the generator's final line + rps_per_srv_cpu, flagged STARVED when the server got
# under 90 % of a CPU, i.e. the machine was busy), then medians and the ratio B/A of the medians.
set -euo pipefail

source "$(dirname "$0")/bench-lib.sh"
bench_locate
OURS=""
URI_PATH="time"
ROUNDS=3
WINDOW=16
CLIENTS=16
DURATION=10
WARMUP=2
NON=""
GEN="csharp"
MODE="servers"
READY_TIMEOUT=30

while [ $# -gt 0 ]; do
  case "$1" in
    --ours) OURS="$2"; shift 2 ;;
    --path) URI_PATH="${2#/}"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    -w) WINDOW="$2"; shift 2 ;;
    -c) CLIENTS="$2"; shift 2 ;;
    -d) DURATION="$2"; shift 2 ;;
    -W) WARMUP="$2"; shift 2 ;;
    --non) NON="-n"; shift ;;
    --gen) GEN="$2"; shift 2 ;;
    --generators) MODE="generators"; shift ;;
    --ready-timeout) READY_TIMEOUT="$2"; shift 2 ;;
    --oscore) MODE="oscore"; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

case "$GEN" in
  csharp|coapload) ;;
  *) echo "unknown generator: $GEN (csharp or coapload)" >&2; exit 2 ;;
esac

bench_setup
if [ "$MODE" = generators ] || [ "$GEN" = coapload ]; then
  coapload_locate || { log "compare.sh: skipping the coapload cross-check (nothing measured)"; exit 0; }
fi

# oscore_context FOLDER SENDER_ID RECIPIENT_ID SECRET SALT: a context folder in aiocoap's format, only its owner's.
oscore_context() {
  (umask 077 && mkdir -p "$1" && printf '{"algorithm": "AES-CCM-16-64-128", "sender-id_hex": "%s", "recipient-id_hex": "%s", "secret_hex": "%s", "salt_hex": "%s"}\n' \
    "$2" "$3" "$4" "$5" >"$1/settings.json")
}

if [ "$MODE" = oscore ]; then
  log "building bench/Coap.Bench.Oscore, and src/CoapHost without --ours (Release)"
  dotnet build "$ROOT/bench/Coap.Bench.Oscore" -c Release -v q -nologo >/dev/null
  [ -z "$OURS" ] && dotnet build "$ROOT/src/CoapHost" -c Release -v q -nologo >/dev/null
  secret="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  salt="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  oscore_context "$WORK/oscore/server" 01 02 "$secret" "$salt"
  oscore_context "$WORK/oscore/client" 02 01 "$secret" "$salt"
  if [ -z "$OURS" ]; then
    OURS="dotnet $ROOT/src/CoapHost/bin/Release/net10.0/CoapHost.dll --Coap:Address=127.0.0.1 --Coap:Port={port} --Logging:LogLevel:Default=Warning"
  fi
  start_server ours "$OURS --Coap:Oscore:Contexts:bench=$WORK/oscore/server" "$URI_PATH"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs; server on CPU 0, client on CPU 1; GET /$URI_PATH plain vs OSCORE, -w $WINDOW -d $DURATION"
  run_bounded "$WORK/oscore.out" taskset -c 1 dotnet "$ROOT/bench/Coap.Bench.Oscore/bin/Release/net10.0/Coap.Bench.Oscore.dll" \
    "coap://127.0.0.1:$SERVER_PORT/$URI_PATH" "$WORK/oscore/client" -w "$WINDOW" -d "$DURATION" || { cat "$WORK/oscore.out" >&2; exit 1; }
  cat "$WORK/oscore.out"
  exit 0
fi

need_libcoap
LIBCOAP="coap-server-notls -A 127.0.0.1 -p {port}"

# run_generator GEN PORT SERVER_PID EXTRA_FLAGS… → sets LINE to the generator's final line
run_generator() {
  local gen="$1" port="$2" pid="$3"; shift 3
  local uri="coap://127.0.0.1:$port/$URI_PATH"
  case "$gen" in
    coapload) run_bounded "$WORK/gen.out" taskset -c 1 "$COAPLOAD" -q "$@" -P "$pid" "$uri" || true ;;
    csharp) run_bounded "$WORK/gen.out" taskset -c 1 "${LOAD[@]}" -q "$@" -P "$pid" "$uri" || true ;;
    *) log "unknown generator $gen"; exit 2 ;;
  esac
  LINE="$(tail -n 1 "$WORK/gen.out")"
}


# --- contestants: label, server command, generator ------------------------------------------------------
# SERVERS names the server process each contestant loads; contestants with the same server share one process.
LABELS=(); SERVERS=(); COMMANDS=(); GENERATORS=()
if [ "$MODE" = generators ]; then
  LABELS=(coapload csharp-gen); SERVERS=(libcoap libcoap); COMMANDS=("$LIBCOAP" "$LIBCOAP"); GENERATORS=(coapload csharp)
else
  LABELS=(libcoap); SERVERS=(libcoap); COMMANDS=("$LIBCOAP"); GENERATORS=("$GEN")
  if [ -n "$OURS" ]; then
    LABELS+=(ours); SERVERS+=(ours); COMMANDS+=("$OURS"); GENERATORS+=("$GEN")
  fi
fi

declare -A SERVER_OF PORT_OF
for i in "${!LABELS[@]}"; do
  server="${SERVERS[$i]}"
  if [ -z "${SERVER_OF[$server]:-}" ]; then
    start_server "$server" "${COMMANDS[$i]}" "$URI_PATH"
    SERVER_OF[$server]="$SERVER_PID"; PORT_OF[$server]="$SERVER_PORT"
  fi
done

FLAGS=(-w "$WINDOW" -c "$CLIENTS" -d "$DURATION" -W "$WARMUP")
[ -n "$NON" ] && FLAGS+=("$NON")
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs; servers on CPU 0, generator on CPU 1; GET /$URI_PATH ${FLAGS[*]}; mode=$MODE"
declare -A RPS P50 P99 EFF FULL
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!LABELS[@]}"; do
    label="${LABELS[$i]}"; server="${SERVERS[$i]}"
    run_generator "${GENERATORS[$i]}" "${PORT_OF[$server]}" "${SERVER_OF[$server]}" "${FLAGS[@]}"
    line="$LINE"
    # Requests per second of server CPU: less sensitive than rps to CPU time stolen by other work on the machine.
    eff="$(awk -v r="$(field rps "$line")" -v c="$(field srv_cpu_pct "$line")" 'BEGIN { if (c > 0) printf "%.0f", r * 100 / c; else print "nan" }')"
    # A server that got well under one CPU shared it with other work: that run's rps says little.
    starved="$(awk -v c="$(field srv_cpu_pct "$line")" 'BEGIN { if (c + 0 < 90) print " STARVED(srv_cpu<90)" }')"
    printf 'round %d %-10s %s rps_per_srv_cpu=%s%s\n' "$round" "$label" "$line" "$eff" "$starved"
    RPS[$label]+="$(field rps "$line") "; P50[$label]+="$(field p50_us "$line") "; P99[$label]+="$(field p99_us "$line") "
    EFF[$label]+="$eff "
    [ -z "$starved" ] && FULL[$label]+="$(field rps "$line") "
  done
done

for label in "${LABELS[@]}"; do
  # shellcheck disable=SC2086
  printf 'median %-10s rps=%s p50_us=%s p99_us=%s rps_per_srv_cpu=%s\n' "$label" "$(median ${RPS[$label]})" \
    "$(median ${P50[$label]})" "$(median ${P99[$label]})" "$(median ${EFF[$label]})"
done
for label in "${LABELS[@]}"; do
  # shellcheck disable=SC2086
  [ -n "${FULL[$label]:-}" ] && printf 'median %-10s rps=%s over the %d runs not STARVED\n' "$label" "$(median ${FULL[$label]})" "$(echo ${FULL[$label]} | wc -w)"
done
if [ "${#LABELS[@]}" -eq 2 ]; then
  a="${LABELS[0]}"; b="${LABELS[1]}"
  # shellcheck disable=SC2086
  awk -v x="$(median ${RPS[$b]})" -v y="$(median ${RPS[$a]})" -v u="$(median ${EFF[$b]})" -v v="$(median ${EFF[$a]})" \
    -v a="$a" -v b="$b" 'BEGIN { printf "ratio %s/%s rps=%s rps_per_srv_cpu=%s\n", b, a,
      (y > 0 ? sprintf("%.3f", x / y) : "n/a"), (v > 0 ? sprintf("%.3f", u / v) : "n/a") }'
  if [ -n "${FULL[$a]:-}" ] && [ -n "${FULL[$b]:-}" ]; then
    # shellcheck disable=SC2086
    awk -v x="$(median ${FULL[$b]})" -v y="$(median ${FULL[$a]})" -v a="$a" -v b="$b" \
      'BEGIN { printf "ratio %s/%s rps=%.3f over the runs not STARVED\n", b, a, x / y }'
  fi
fi
