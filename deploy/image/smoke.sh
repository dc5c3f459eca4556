#!/usr/bin/env bash
# Starts the image that deploy/image/build.sh wrote, in podman, and uses it as a user would:
# standalone mode with its ports published on 127.0.0.1, /readyz until ready, a feature
# phone (this checkout's `frontier ctl device`) connected through the published TCP port,
# a push to it acknowledged through the published gRPC port, then a stop (SIGTERM) that the
# gateway must answer by exiting on its own within podman's grace period.
#
#   deploy/image/smoke.sh            (builds the image first when target/frontier-image.tar is missing)
#
# podman keeps a storage of its own under target/image/podman/, so the machine's is left
# alone. Installs podman and runc with apt-get when missing. Run as root (or with sudo).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/image/podman"
TARBALL="${TARBALL:-$ROOT/target/frontier-image.tar}"
NAME="frontier-smoke-$$"
LOGS="$ROOT/target/image/smoke-logs"

PREFIX=smoke
# shellcheck source=deploy/image/lib.sh
source "$ROOT/deploy/image/lib.sh"

missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v curl >/dev/null 2>&1 || missing+=(curl)
apt_install "${missing[@]}"
[[ -f "$TARBALL" ]] || "$ROOT/deploy/image/build.sh"

# runc, not Debian's default crun: crun 1.8 refuses to start anything on a host whose cgroups
# are mixed v1 and v2 ("cgroups in hybrid mode not supported"), as in many CI containers.
podman=(podman --root "$WORK/storage" --runroot "$WORK/run" --storage-driver vfs --runtime runc)
IMAGE="$("${podman[@]}" load --quiet --input "$TARBALL" | sed -n 's/^Loaded image[^:]*: *//p' | tail -n 1)"
[[ -n "$IMAGE" ]] || die "podman loaded no image from $TARBALL"

# Ports for the host side, free now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TCP_PORT="$(free_port)"
GRPC_PORT="$(free_port)"
METRICS_PORT="$(free_port)"

# The device token's secret, and the Push and Admin tokens a gRPC port outside loopback needs.
export FRONTIER_JWT_SECRET="$(head -c 32 /dev/urandom | base64)"
export FRONTIER_PUSH_TOKEN="push-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
export FRONTIER_ADMIN_TOKEN="admin-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"

device_pid=""
cleanup() {
  [[ -z "$device_pid" ]] || kill "$device_pid" 2>/dev/null || true
  "${podman[@]}" rm --force --time 0 "$NAME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
mkdir -p "$LOGS"

# The limits podman would set by default (nofile 1048576) are above this host's hard limit,
# which a container without CAP_SYS_RESOURCE cannot raise: take the host's own.
say "starting $IMAGE as $NAME"
"${podman[@]}" run --detach --name "$NAME" \
  --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit "nproc=4096:4096" \
  --read-only --tmpfs /tmp:rw,exec,nosuid,nodev,mode=1777 \
  -p "127.0.0.1:$TCP_PORT:9000" -p "127.0.0.1:$GRPC_PORT:7000" -p "127.0.0.1:$METRICS_PORT:9464" \
  -e FRONTIER_JWT_SECRET -e FRONTIER_PUSH_TOKEN -e FRONTIER_ADMIN_TOKEN \
  "$IMAGE" standalone --grpc-host 0.0.0.0 --metrics-port 9464 --metrics-host 0.0.0.0 >/dev/null

deadline=$((SECONDS + 60))
until curl -fsS "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1; do
  if [[ $SECONDS -ge $deadline ]] || [[ "$("${podman[@]}" inspect --format '{{.State.Running}}' "$NAME")" != true ]]; then
    "${podman[@]}" logs "$NAME" >"$LOGS/frontier.log" 2>&1 || true
    die "the container was not ready within 60 s; its output: $LOGS/frontier.log"
  fi
  sleep 0.5
done
# Netty loads its native transport from /tmp: a /tmp mounted noexec (podman's --tmpfs default)
# would silently leave the edge on NIO and its larger connections.
"${podman[@]}" logs "$NAME" 2>&1 | grep -q 'I/O EPOLL' || die "the edge did not load epoll: $("${podman[@]}" logs "$NAME" 2>&1 | grep 'I/O')"
say "ready: $(curl -sS "http://127.0.0.1:$METRICS_PORT/readyz") (/readyz), $(curl -sS "http://127.0.0.1:$METRICS_PORT/livez") (/livez)"

FRONTIER=("$ROOT/frontier")
token="$("${FRONTIER[@]}" ctl token --user smoke --device phone-1)"
"${FRONTIER[@]}" ctl device --target "127.0.0.1:$TCP_PORT" --device phone-1 --token "$token" --count 1 \
  >"$LOGS/device.log" 2>&1 &
device_pid=$!
deadline=$((SECONDS + 30))
until grep -q '^connected as' "$LOGS/device.log"; do
  kill -0 "$device_pid" 2>/dev/null || die "the device stopped: $(cat "$LOGS/device.log")"
  [[ $SECONDS -lt $deadline ]] || die "the device did not connect within 30 s"
  sleep 0.2
done
say "device: $(head -n 1 "$LOGS/device.log")"

push="$("${FRONTIER[@]}" ctl push --target "127.0.0.1:$GRPC_PORT" --user smoke --text "hello container" --wait-ack)"
say "push: $push"
[[ "$push" == *acknowledged* ]] || die "the push was not acknowledged"
wait "$device_pid" || die "the device exited $?: $(cat "$LOGS/device.log")"
device_pid=""
grep -q '^push seq=1: hello container' "$LOGS/device.log" || die "the device printed no push: $(cat "$LOGS/device.log")"
acked="$(curl -sS "http://127.0.0.1:$METRICS_PORT/metrics" | grep '^frontier_edge_pushes_total{result="acknowledged"}' || true)"
say "metrics: $acked"
[[ "$acked" == *" 1.0" ]] || die "/metrics does not count the acknowledged push: $acked"

started=$SECONDS
"${podman[@]}" stop --time 30 "$NAME" >/dev/null
code="$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$NAME")"
"${podman[@]}" logs "$NAME" >"$LOGS/frontier.log" 2>&1 || true
say "stopped by SIGTERM in $((SECONDS - started)) s, exit code $code (output: ${LOGS#"$ROOT"/}/frontier.log)"
# 143 is the JVM's own exit on SIGTERM once its shutdown hooks ran; 137 would be podman's
# SIGKILL at the end of the grace period.
[[ "$code" == 0 || "$code" == 143 ]] || die "exit code $code after SIGTERM: the gateway did not stop by itself"
echo "smoke test passed: $IMAGE ran standalone, a device connected over TCP and acknowledged a push"
