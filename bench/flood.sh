#!/usr/bin/env bash
# GET /time latency from one client while four others flood the real host: two publish to pub-sub topics (state on
# disk) and two PUT files (the file service, writable), each as fast as its answers come back. Reports the /time
# client's p50/p99, the flood's own throughput by kind, and the host's syncs (fsync, fdatasync, syncfs) per write.
#
#   bench/flood.sh                                    3 rounds of 10 s on the host built from this tree
#   bench/flood.sh --host /path/to/CoapHost.dll       another build (e.g. an older one, for before/after)
#   bench/flood.sh --publishers-only                  the two publishers only (syncs per publication)
#
# Options:
#   --host DLL         the CoapHost.dll to run (default: this tree's, built in Release)
#   --rounds N         rounds, each with a fresh host and fresh state (default 3)
#   -d SEC             measured seconds of the /time client per round (default 10); the flood runs from 2 s before
#                      to 1 s after, and its figures cover that whole time
#   --flood-window W   requests each flooder keeps outstanding (default 8)
#   --payload BYTES    bytes per publication and per file PUT (default 64)
#   --publishers-only  no file PUTs
#   --pin CPU          pin the host to one CPU (taskset); the clients are not pinned
#   --workers N        the host's Coap:RequestWorkers (default: its own default, the processor count)
# The host's state directory and file root are temporary directories on the disk of this repository's folder (not a
# tmpfs), so the syncs cost what they cost. Syncs are counted with `perf stat` on the host's syscall tracepoints when
# perf can (otherwise reported as n/a). Everything started here is killed on exit.
set -euo pipefail

source "$(dirname "$0")/bench-lib.sh"
bench_locate
HOST_DLL=""
ROUNDS=3
DURATION=10
FLOOD_WINDOW=8
PAYLOAD=64
PUBLISHERS_ONLY=""
PIN=""
WORKERS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOST_DLL="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    -d) DURATION="$2"; shift 2 ;;
    --flood-window) FLOOD_WINDOW="$2"; shift 2 ;;
    --payload) PAYLOAD="$2"; shift 2 ;;
    --publishers-only) PUBLISHERS_ONLY=1; shift ;;
    --pin) PIN="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

bench_setup
if [ -z "$HOST_DLL" ]; then
  log "building src/CoapHost and src/Coap.Cli (Release)"
  dotnet build "$ROOT/src/CoapHost" -c Release -v q -nologo >/dev/null
  HOST_DLL="$ROOT/src/CoapHost/bin/Release/net10.0/CoapHost.dll"
else
  dotnet build "$ROOT/src/Coap.Cli" -c Release -v q -nologo >/dev/null
fi
CLI=(dotnet "$ROOT/src/Coap.Cli/bin/Release/net10.0/coap.dll")
SYNCS="syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_syncfs"
PERF=""
if command -v perf >/dev/null 2>&1 && perf stat -e "$SYNCS" -- true >/dev/null 2>&1; then PERF=1; fi
DISK="$(mktemp -d -p "$ROOT" .flood-XXXXXX)"
trap 'rm -rf "$DISK"; bench_cleanup' EXIT

# run_round N → prints the round's lines and appends to the medians' lists
declare -a TIME_P50 TIME_P99 TIME_RPS FLOOD_RPS PUB_RPS PUT_RPS PER_WRITE
run_round() {
  local round="$1" port state root host_pid
  port="$(free_port)"; state="$DISK/state-$round"; root="$DISK/root-$round"
  mkdir -p "$state" "$root"
  local cmd=(dotnet "$HOST_DLL" --Coap:Address=127.0.0.1 --Coap:Port="$port" --Modules:PubSub:StateDirectory="$state"
    --Modules:FileServer:Root="$root" --Modules:FileServer:Writable=true --Modules:Doc:Enabled=false)
  [ -n "$WORKERS" ] && cmd+=(--Coap:RequestWorkers="$WORKERS")
  [ -n "$PIN" ] && cmd=(taskset -c "$PIN" "${cmd[@]}")
  if [ -n "$PERF" ]; then cmd=(perf stat -x, -o "$WORK/syncs-$round.csv" -e "$SYNCS" -- "${cmd[@]}"); fi
  setsid "${cmd[@]}" >"$WORK/host-$round.log" 2>&1 &
  local leader=$!
  PIDS+=("$leader")
  local deadline=$((SECONDS + 30))
  until run_bounded "$WORK/probe.out" "${LOAD[@]}" -q -w 1 -c 1 -d 0.2 -W 0 -T 500 "coap://127.0.0.1:$port/time" \
      && [[ "$(tail -n 1 "$WORK/probe.out")" =~ ok=[1-9] ]]; do
    [ $SECONDS -lt $deadline ] || { log "the host did not answer; its log:"; cat "$WORK/host-$round.log" >&2; exit 1; }
    kill -0 "$leader" 2>/dev/null || { log "the host exited; its log:"; cat "$WORK/host-$round.log" >&2; exit 1; }
    sleep 0.3
  done
  host_pid="$(pgrep -f -n -- "--Coap:Port=$port" | head -n 1)"
  local data=()
  for name in flood-a flood-b; do
    run_bounded "$WORK/create.out" "${CLI[@]}" ps create "coap://127.0.0.1:$port/ps" "$name" || { cat "$WORK/create.out" >&2; exit 1; }
    data+=("$(grep -o 'coap://[^ ]*/ps/data/[0-9a-f]*' "$WORK/create.out" | head -n 1)")
  done

  local flood_secs window=(-q -w "$FLOOD_WINDOW" -c 1 -p "$PAYLOAD" -m PUT -f 0 -T 5000)
  flood_secs="$(awk -v d="$DURATION" 'BEGIN { print d + 3 }')"
  local flooders=("${data[0]}" "${data[1]}")
  [ -z "$PUBLISHERS_ONLY" ] && flooders+=("coap://127.0.0.1:$port/files/flood-1.bin" "coap://127.0.0.1:$port/files/flood-2.bin")
  local fpids=() i=0
  for uri in "${flooders[@]}"; do
    "${LOAD[@]}" "${window[@]}" -W 0 -d "$flood_secs" "$uri" >"$WORK/flood-$round-$i.out" 2>&1 &
    fpids+=($!); PIDS+=($!); i=$((i + 1))
  done
  run_bounded "$WORK/time-$round.out" "${LOAD[@]}" -q -w 1 -c 1 -W 2 -d "$DURATION" -P "$host_pid" "coap://127.0.0.1:$port/time" || true
  for pid in "${fpids[@]}"; do wait "$pid" || true; done

  local time_line; time_line="$(tail -n 1 "$WORK/time-$round.out")"
  printf 'round %d time    %s\n' "$round" "$time_line"
  local pub=0 put=0 ok_pub=0 ok_put=0
  for j in $(seq 0 $((i - 1))); do
    local line; line="$(tail -n 1 "$WORK/flood-$round-$j.out")"
    local kind=publish; [ "$j" -ge 2 ] && kind=file-put
    printf 'round %d %-8s%s\n' "$round" "$kind" "$line"
    if [ "$kind" = publish ]; then
      pub="$(awk -v a="$pub" -v b="$(field rps "$line")" 'BEGIN { print a + b }')"; ok_pub=$((ok_pub + $(field ok "$line")))
    else
      put="$(awk -v a="$put" -v b="$(field rps "$line")" 'BEGIN { print a + b }')"; ok_put=$((ok_put + $(field ok "$line")))
    fi
  done

  # Stop the host (perf, when there, prints its counts as the host exits).
  kill -INT "$host_pid" 2>/dev/null || true
  wait "$leader" 2>/dev/null || true
  local syncs="n/a" per="n/a"
  if [ -n "$PERF" ] && [ -f "$WORK/syncs-$round.csv" ]; then
    syncs="$(awk -F, '/sys_enter_/ { s += $1 } END { print s + 0 }' "$WORK/syncs-$round.csv")"
    # The flooders count every write answered 2.01/2.04 over their whole run; the syncs cover the whole life of the
    # host (start-up and the two topics' creation add about five), so this slightly overstates.
    per="$(awk -v s="$syncs" -v n="$((ok_pub + ok_put))" 'BEGIN { if (n > 0) printf "%.2f", s / n; else print "n/a" }')"
  fi
  printf 'round %d flood   publish_rps=%s file_put_rps=%s writes=%s syncs=%s syncs_per_write=%s\n' "$round" "$pub" "$put" "$((ok_pub + ok_put))" "$syncs" "$per"
  TIME_P50+=("$(field p50_us "$time_line")"); TIME_P99+=("$(field p99_us "$time_line")"); TIME_RPS+=("$(field rps "$time_line")")
  PUB_RPS+=("$pub"); PUT_RPS+=("$put"); FLOOD_RPS+=("$(awk -v a="$pub" -v b="$put" 'BEGIN { print a + b }')"); PER_WRITE+=("$per")
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); host ${PIN:+pinned to CPU $PIN}${PIN:-unpinned}${WORKERS:+, $WORKERS workers}; ${DURATION} s per round; flooders: ${FLOOD_WINDOW} outstanding, ${PAYLOAD} B, $([ -n "$PUBLISHERS_ONLY" ] && echo '2 publishers' || echo '2 publishers + 2 file PUTs')"
for round in $(seq 1 "$ROUNDS"); do
  run_round "$round"
done
printf 'median time p50_us=%s p99_us=%s rps=%s | flood publish_rps=%s file_put_rps=%s total_rps=%s syncs_per_write=%s\n' \
  "$(median "${TIME_P50[@]}")" "$(median "${TIME_P99[@]}")" "$(median "${TIME_RPS[@]}")" "$(median "${PUB_RPS[@]}")" \
  "$(median "${PUT_RPS[@]}")" "$(median "${FLOOD_RPS[@]}")" "$(printf '%s\n' "${PER_WRITE[@]}" | grep -v n/a | sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "n/a") }')"
