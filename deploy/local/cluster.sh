#!/usr/bin/env bash
# A whole cluster on this machine: Redis, etcd, two control planes and two edges,
# each its own process, logs and pids under deploy/local/run/.
#
#   deploy/local/cluster.sh start    start everything (builds Frontier first if needed)
#   deploy/local/cluster.sh status   what runs, and where
#   deploy/local/cluster.sh stop     stop everything (edges first: each tells its devices Bye 503 over
#                                    EDGE_DRAIN_WINDOW, 5s, before it exits)
#
# Ports: Redis 6390, etcd 2389 (peer 2390), control planes 7000 and 7001 (Push and Admin APIs)
# and 7010 and 7011 (EdgeLink), edges: TCP 9000/9001, WebSocket 8080/8081, edge gRPC 7100/7101.
# Each node's /metrics, /livez and /readyz: control planes 9465/9466, edges 9464/9467.
# Override with the variables below. The token secret is FRONTIER_JWT_SECRET, or one made and kept
# in run/jwt-secret. The nodes authenticate each other with mutual TLS: a throwaway CA and a
# certificate per node (named after it) are made with openssl and kept in run/tls/.
# The nodes run the release distribution: the checkout's ./frontier (which builds it), or
# FRONTIER_HOME/bin/frontier of an unpacked frontier-VERSION.tar.gz. RUN_DIR moves run/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN="${RUN_DIR:-$ROOT/deploy/local/run}"
if [[ -n "${FRONTIER_HOME:-}" ]]; then
  FRONTIER="$FRONTIER_HOME/bin/frontier"
else
  FRONTIER="$ROOT/frontier"
fi
REDIS_PORT="${REDIS_PORT:-6390}"
ETCD_PORT="${ETCD_PORT:-2389}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-2390}"
CP_PORTS=(${CP_PORTS:-7000 7001})
CP_LINK_PORTS=(${CP_LINK_PORTS:-7010 7011})
EDGE_TCP_PORTS=(${EDGE_TCP_PORTS:-9000 9001})
EDGE_WS_PORTS=(${EDGE_WS_PORTS:-8080 8081})
EDGE_GRPC_PORTS=(${EDGE_GRPC_PORTS:-7100 7101})
CP_METRICS_PORTS=(${CP_METRICS_PORTS:-9465 9466})
EDGE_METRICS_PORTS=(${EDGE_METRICS_PORTS:-9464 9467})
NAMESPACE="${NAMESPACE:-/frontier-local}"
EDGE_DRAIN_WINDOW="${EDGE_DRAIN_WINDOW:-5s}"

die() { echo "cluster: $*" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed (Debian: apt-get install $2)"; }

running() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# Something answers on 127.0.0.1:PORT already.
taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Every port this cluster needs, checked before anything starts.
check_ports() {
  local port
  for port in "$REDIS_PORT" "$ETCD_PORT" "$ETCD_PEER_PORT" "${CP_PORTS[@]}" "${CP_LINK_PORTS[@]}" "${EDGE_TCP_PORTS[@]}" \
    "${EDGE_WS_PORTS[@]}" "${EDGE_GRPC_PORTS[@]}" "${CP_METRICS_PORTS[@]}" "${EDGE_METRICS_PORTS[@]}"; do
    if taken "$port"; then
      die "port $port is in use by another program (see the port variables at the top of $0 to choose others)"
    fi
  done
}

launch() {
  local name="$1"; shift
  if running "$name"; then echo "  $name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  nohup "$@" >"$RUN/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  echo "  $name started (pid $!, log deploy/local/run/$name.log)"
}

# Waits for CHECK to pass while NAME runs; a node that exits (a port it cannot bind) fails at once.
wait_for() {
  local name="$1" check="$2" deadline=$((SECONDS + 60))
  until eval "$check" >/dev/null 2>&1; do
    if ! running "$name"; then
      echo "cluster: $name exited; the end of $RUN/$name.log:" >&2
      tail -n 5 "$RUN/$name.log" >&2 || true
      exit 1
    fi
    (( SECONDS < deadline )) || die "$name did not come up within 60 s; see $RUN/$name.log"
    sleep 0.2
  done
}

stop_one() {
  local name="$1"
  if running "$name"; then
    kill "$(cat "$RUN/$name.pid")" 2>/dev/null || true
    # An edge drains its devices on SIGTERM (--drain-window) before it exits.
    local deadline=$((SECONDS + 30))
    while running "$name" && (( SECONDS < deadline )); do sleep 0.2; done
    running "$name" && kill -9 "$(cat "$RUN/$name.pid")" 2>/dev/null || true
    echo "  $name stopped"
  fi
  rm -f "$RUN/$name.pid"
}

# A throwaway CA and a certificate for each node named (its name as common name and DNS name),
# for mutual TLS between the nodes; kept in run/tls/ and reused by the next start.
make_certificates() {
  local dir="$RUN/tls" name
  mkdir -p "$dir"
  if [[ ! -f "$dir/ca.pem" ]]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=frontier-local-ca" \
      -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  fi
  for name in "$@"; do
    [[ -f "$dir/$name.pem" ]] && continue
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
      -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
      -extfile <(printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$name") \
      -out "$dir/$name.pem" 2>/dev/null
    rm -f "$dir/$name.csr"
  done
  chmod 600 "$dir"/*.key
}

# The TLS options of node NAME.
tls_of() {
  echo --tls-cert "$RUN/tls/$1.pem" --tls-key "$RUN/tls/$1.key" --tls-ca "$RUN/tls/ca.pem"
}

start() {
  need redis-server redis-server
  need openssl openssl
  need etcd etcd-server
  mkdir -p "$RUN"
  if [[ -z "${FRONTIER_JWT_SECRET:-}" ]]; then
    [[ -f "$RUN/jwt-secret" ]] || head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$RUN/jwt-secret"
    export FRONTIER_JWT_SECRET="$(cat "$RUN/jwt-secret")"
  fi
  if ! running redis && ! running etcd; then check_ports; fi
  local nodes=() i
  for i in "${!CP_PORTS[@]}"; do nodes+=("cp-$((i + 1))"); done
  for i in "${!EDGE_TCP_PORTS[@]}"; do nodes+=("edge-$((i + 1))"); done
  make_certificates "${nodes[@]}"
  echo "Starting a local Frontier cluster:"
  launch redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN"
  launch etcd etcd --name frontier-local --data-dir "$RUN/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "frontier-local=http://127.0.0.1:$ETCD_PEER_PORT"
  wait_for redis "redis-cli -p $REDIS_PORT ping"
  wait_for etcd "curl -sf http://127.0.0.1:$ETCD_PORT/health"
  # One build before four JVMs start, so that they do not all try to build.
  "$FRONTIER" --version >/dev/null
  local common=(--etcd "http://127.0.0.1:$ETCD_PORT" --etcd-namespace "$NAMESPACE")
  for i in "${!CP_PORTS[@]}"; do
    launch "cp-$((i + 1))" "$FRONTIER" control-plane --id "cp-$((i + 1))" --grpc-port "${CP_PORTS[$i]}" --grpc-host 127.0.0.1 \
      --link-port "${CP_LINK_PORTS[$i]}" --metrics-port "${CP_METRICS_PORTS[$i]}" --redis-address "redis://127.0.0.1:$REDIS_PORT" "${common[@]}" $(tls_of "cp-$((i + 1))")
  done
  for i in "${!EDGE_TCP_PORTS[@]}"; do
    launch "edge-$((i + 1))" "$FRONTIER" edge --edge-id "edge-$((i + 1))" --tcp-port "${EDGE_TCP_PORTS[$i]}" \
      --ws-port "${EDGE_WS_PORTS[$i]}" --grpc-port "${EDGE_GRPC_PORTS[$i]}" --metrics-port "${EDGE_METRICS_PORTS[$i]}" \
      --drain-window "$EDGE_DRAIN_WINDOW" \
      "${common[@]}" $(tls_of "edge-$((i + 1))")
  done
  for i in "${!CP_PORTS[@]}"; do wait_for "cp-$((i + 1))" "grep -q 'is running' '$RUN/cp-$((i + 1)).log'"; done
  for i in "${!EDGE_TCP_PORTS[@]}"; do wait_for "edge-$((i + 1))" "grep -q 'is running' '$RUN/edge-$((i + 1)).log'"; done
  echo "Ready. Push API on localhost:${CP_PORTS[0]} and localhost:${CP_PORTS[1]}; devices on TCP ${EDGE_TCP_PORTS[*]}, WebSocket ${EDGE_WS_PORTS[*]}."
  echo "  export FRONTIER_JWT_SECRET=$FRONTIER_JWT_SECRET"
  echo "  ./frontier ctl device --target localhost:${EDGE_TCP_PORTS[1]} --device phone-1 --token \"\$(./frontier ctl token --user alice --device phone-1)\""
  echo "  ./frontier ctl push --target localhost:${CP_PORTS[0]} --user alice --text hello --wait-ack"
  echo "  curl -s localhost:${EDGE_METRICS_PORTS[0]}/metrics | grep ^frontier_edge"
}

stop() {
  echo "Stopping the local Frontier cluster:"
  for i in "${!EDGE_TCP_PORTS[@]}"; do stop_one "edge-$((i + 1))"; done
  for i in "${!CP_PORTS[@]}"; do stop_one "cp-$((i + 1))"; done
  stop_one etcd
  stop_one redis
}

status() {
  for name in redis etcd cp-1 cp-2 edge-1 edge-2; do
    if running "$name"; then echo "  $name running (pid $(cat "$RUN/$name.pid"))"; else echo "  $name stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
