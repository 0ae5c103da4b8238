#!/usr/bin/env bash
# Runs every test: installs the real peers the interop tests need, builds, tests, and prints one closing line
# "tests: N passed, N failed, N skipped" summed over all test projects. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

missing=()
command -v coap-client-notls >/dev/null 2>&1 || missing+=(libcoap3-bin)
/usr/bin/python3 -c 'import cbor2' >/dev/null 2>&1 || missing+=(python3-cbor2)
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq)
command -v fusermount3 >/dev/null 2>&1 || missing+=(fuse3)
[ -e /usr/lib/x86_64-linux-gnu/libfuse3.so.3 ] || ldconfig -p 2>/dev/null | grep -q 'libfuse3\.so\.3 ' || missing+=(libfuse3-3)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# NativeCoapTests publish coap as a user does, natively (NativeAOT): that links with clang or, failing it, gcc.
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "test.sh: could not install ${missing[*]}"; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# aiocoap 0.4.12, the OSCORE peer of the interop tests, is only in bookworm-backports: add that suite of the Debian
# mirror the machine already uses, then install it with what it needs.
if ! [ -x /usr/bin/aiocoap-client ] || ! /usr/bin/python3 -c 'import filelock, cryptography, cbor2' >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | grep -v security | awk '{print $2}' | head -n 1)
    [ -n "$mirror" ] || mirror=$(grep -hsE '^deb\s' /etc/apt/sources.list | grep -v security | awk '{print $2}' | head -n 1)
    echo "deb ${mirror:-http://deb.debian.org/debian} bookworm-backports main" | $sudo tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  echo "test.sh: installing python3-aiocoap from bookworm-backports"
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t bookworm-backports \
    python3-aiocoap python3-filelock python3-cryptography python3-cbor2 >/dev/null \
    || echo "test.sh: could not install python3-aiocoap; the aiocoap interop tests will fail"
fi

results="$(pwd)/TestResults"
rm -rf "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! dotnet build Everything.sln -c Release -nologo -v quiet; then
  echo "test.sh: build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo -v quiet \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
