# Sourced by the bench scripts: the repository's root, clean-up of everything started, the repository's own load
# generator (bench/Coap.Bench.Load, also the readiness probe), libcoap installed when missing, free ports, bounded
# runs, pinned servers. coapload, the C load generator of the shared tools, is an optional cross-check from outside
# the repository: it is used only when COAPLOAD or COAPLOAD_SRC names it (coapload_locate).

# bench_locate: ROOT, this repository (the folder above bench/); nothing outside it is read.
bench_locate() {
  ROOT="$(cd "$(dirname "$0")/.." && pwd)"
}

# bench_setup: WORK (a temporary directory), the EXIT/INT/TERM clean-up, and LOAD, the command of our load generator
# (built in Release).
bench_setup() {
  WORK="$(mktemp -d)"
  PIDS=()
  CHILD_PID=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  log "building bench/Coap.Bench.Load (Release)"
  dotnet build "$ROOT/bench/Coap.Bench.Load" -c Release -v q -nologo >/dev/null
  LOAD=(dotnet "$ROOT/bench/Coap.Bench.Load/bin/Release/net10.0/Coap.Bench.Load.dll")
}

# need_libcoap: installs libcoap3-bin (coap-server-notls, coap-client-notls) when missing.
need_libcoap() {
  if ! command -v coap-server-notls >/dev/null 2>&1; then
    log "installing libcoap3-bin (coap-server-notls, coap-client-notls)"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq libcoap3-bin >/dev/null
  fi
}

# coapload_locate: COAPLOAD, the coapload program for an optional cross-check. Taken from the environment: COAPLOAD
# (a built coapload) or COAPLOAD_SRC (its coapload.c, compiled here with gcc into WORK). Neither set, or unusable:
# says why on stderr and returns 1, and the caller skips the cross-check. Nothing is looked for by itself.
coapload_locate() {
  if [ -n "${COAPLOAD:-}" ]; then
    [ -x "$COAPLOAD" ] && return 0
    log "COAPLOAD=$COAPLOAD is not an executable program"; return 1
  fi
  if [ -n "${COAPLOAD_SRC:-}" ]; then
    [ -f "$COAPLOAD_SRC" ] || { log "COAPLOAD_SRC=$COAPLOAD_SRC is not a file"; return 1; }
    command -v gcc >/dev/null 2>&1 || { log "gcc is missing: cannot compile $COAPLOAD_SRC"; return 1; }
    gcc -O2 -Wall -Wextra -o "$WORK/coapload" "$COAPLOAD_SRC" || { log "compiling $COAPLOAD_SRC failed"; return 1; }
    COAPLOAD="$WORK/coapload"; return 0
  fi
  log "coapload is not part of this repository and was not given: set COAPLOAD_SRC=/path/to/coapload.c (or"
  log "COAPLOAD=/path/to/coapload) to run the coapload cross-check"
  return 1
}

bench_cleanup() {
  local pid
  if [ -n "$CHILD_PID" ]; then
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do
    # Each server leads its own process group (setsid): end the group, then the process itself.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}

log() { echo "$*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 40000))
}

# run_bounded OUT CMD… runs a short-lived command in the background so that the clean-up can end it too; returns its status.
run_bounded() {
  local out="$1"; shift
  "$@" >"$out" 2>&1 &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return $rc
}

# start_server LABEL CMD PATH → SERVER_PID and SERVER_PORT; CMD runs pinned to CPU 0 with {port} replaced, and the
# function returns once GET /PATH answers (within READY_TIMEOUT seconds).
start_server() {
  local label="$1" cmd="$2" path="$3" port line
  port="$(free_port)"
  cmd="${cmd//\{port\}/$port}"
  log "starting $label on 127.0.0.1:$port: taskset -c 0 $cmd"
  # shellcheck disable=SC2086
  setsid taskset -c 0 $cmd >"$WORK/$label.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  SERVER_PORT="$port"
  local deadline=$((SECONDS + READY_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$label exited early; its output:"; cat "$WORK/$label.log" >&2; exit 1; }
    run_bounded "$WORK/probe.out" "${LOAD[@]}" -q -w 1 -c 1 -d 0.2 -W 0 -T 500 "coap://127.0.0.1:$port/$path" || true
    line="$(tail -n 1 "$WORK/probe.out")"
    if [[ "$line" =~ ok=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
      return 0
    fi
    sleep 0.3
  done
  log "$label did not answer GET /$path within $READY_TIMEOUT s"; exit 1
}

field() { [[ "$2" =~ (^|[[:space:]])$1=([^[:space:]]+) ]] && echo "${BASH_REMATCH[2]}" || echo "nan"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
