#!/usr/bin/env bash
# `coap mount` throughput: cp of a file into and out of the mounted directory (FUSE → CoAP block-wise PUT/GET to our
# file service), against `coap put -f` and `coap get -o` of the same file with the CLI. Each transfer is checked
# by sha256. Wall time per transfer; the CLI figures include its start-up (~0.1 s), the mount's do not (it is
# already running).
#
#   bench/mount.sh                 3 rounds, a 20 MiB file
#   bench/mount.sh --rounds 5 --size 10485760
#
# The server (CoapHost with the file service on a temp directory) runs pinned to CPU 0, the mount process and
# the CLI to CPU 1. Needs /dev/fuse, fuse3 and libfuse3-3 (installed when missing). Everything started here is
# stopped, and the mount removed, on exit.
set -euo pipefail

source "$(dirname "$0")/bench-lib.sh"
bench_locate

ROUNDS=3
SIZE=20971520
READY_TIMEOUT=30
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

bench_setup
if ! command -v fusermount3 >/dev/null 2>&1 || ! ldconfig -p | grep -q 'libfuse3\.so\.3 '; then
  log "installing fuse3 and libfuse3-3"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq fuse3 libfuse3-3 >/dev/null
fi
MOUNT_PID=""
MP="$WORK/mnt"
mount_cleanup() {
  if [ -n "$MOUNT_PID" ]; then
    kill -TERM "$MOUNT_PID" 2>/dev/null || true
    timeout 10 tail --pid="$MOUNT_PID" -f /dev/null 2>/dev/null || kill -KILL "$MOUNT_PID" 2>/dev/null || true
  fi
  grep -q " $MP fuse" /proc/mounts 2>/dev/null && fusermount3 -uz "$MP" || true
  bench_cleanup
}
trap mount_cleanup EXIT

dotnet build "$ROOT/src/CoapHost" -c Release -v q -nologo >/dev/null
dotnet build "$ROOT/src/Coap.Cli" -c Release -v q -nologo >/dev/null
HOST_DLL="$ROOT/src/CoapHost/bin/Release/net10.0/CoapHost.dll"
CLI_DLL="$ROOT/src/Coap.Cli/bin/Release/net10.0/coap.dll"

mkdir -p "$WORK/root" "$MP"
echo ready >"$WORK/root/ready.txt"
BODY="$WORK/body.bin"
python3 -c "import random, sys; random.seed(20261122); sys.stdout.buffer.write(random.randbytes($SIZE))" >"$BODY"
SHA="$(sha256sum "$BODY" | cut -d' ' -f1)"

start_server files "dotnet $HOST_DLL --Coap:Address=127.0.0.1 --Coap:Port={port} --Modules:FileServer:Root=$WORK/root --Modules:FileServer:Writable=true" files/ready.txt
URI="coap://127.0.0.1:$SERVER_PORT/files/"

taskset -c 1 dotnet "$CLI_DLL" mount "$URI" "$MP" --foreground >"$WORK/mount.log" 2>&1 &
MOUNT_PID=$!
deadline=$((SECONDS + READY_TIMEOUT))
until grep -q " $MP fuse" /proc/mounts; do
  [ $SECONDS -lt $deadline ] && kill -0 "$MOUNT_PID" 2>/dev/null || { log "the mount did not appear:"; cat "$WORK/mount.log" >&2; exit 1; }
  sleep 0.1
done

# timed LABEL EXPECTED_FILE CMD… → seconds on stdout; fails when the result's sha256 differs.
timed() {
  local label="$1" result="$2"; shift 2
  local start end
  start="$(date +%s.%N)"
  run_bounded "$WORK/$label.out" timeout 300 "$@" || { log "$label failed:"; cat "$WORK/$label.out" >&2; exit 1; }
  end="$(date +%s.%N)"
  [ "$(sha256sum "$result" | cut -d' ' -f1)" = "$SHA" ] || { log "$label: sha256 of $result differs"; exit 1; }
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

mbps() { awk -v s="$SIZE" -v t="$1" 'BEGIN { printf "%.2f", s / t / 1000000 }'; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs; server on CPU 0, mount and CLI on CPU 1; $SIZE bytes, 1024-byte blocks; sha256 $SHA"
declare -A TIMES
for round in $(seq 1 "$ROUNDS"); do
  TIMES[cp_in]+=" $(timed "cp-in-$round" "$WORK/root/in-$round.bin" taskset -c 1 cp "$BODY" "$MP/in-$round.bin")"
  sync
  TIMES[cp_out]+=" $(timed "cp-out-$round" "$WORK/out-$round.bin" taskset -c 1 cp "$MP/in-$round.bin" "$WORK/out-$round.bin")"
  TIMES[put]+=" $(timed "put-$round" "$WORK/root/put-$round.bin" taskset -c 1 dotnet "$CLI_DLL" put "${URI}put-$round.bin" -f "$BODY")"
  TIMES[get]+=" $(timed "get-$round" "$WORK/get-$round.bin" taskset -c 1 dotnet "$CLI_DLL" get "${URI}put-$round.bin" -o "$WORK/get-$round.bin")"
  rm -f "$WORK/out-$round.bin" "$WORK/get-$round.bin"
done

printf '%-28s %10s %10s  %s\n' transfer "median s" "MB/s" "all runs (s)"
for key in cp_in put cp_out get; do
  case "$key" in
    cp_in) label="cp into the mount" ;;
    put) label="coap put -f" ;;
    cp_out) label="cp out of the mount" ;;
    get) label="coap get -o" ;;
  esac
  # shellcheck disable=SC2086
  m="$(median ${TIMES[$key]})"
  printf '%-28s %10s %10s  %s\n' "$label" "$m" "$(mbps "$m")" "${TIMES[$key]# }"
done
