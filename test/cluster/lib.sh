# Shared settings and helpers of test/cluster/{build.sh,up,down,smoke}. Sourced, not run.
# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$CLUSTER_DIR/../.." && pwd)"
BUILD_MODULE="$CLUSTER_DIR/build"

# One pinned release for every control-plane component (see build/go.mod).
KUBE_VERSION="v1.36.3"
ETCD_VERSION="v3.6.16"
KWOK_VERSION="v0.8.0"

# Build cache outside the repo, shared by every clone on this machine. The directory name carries a
# hash of go.mod/go.sum, so changing a pinned version builds into a fresh directory.
CACHE_ROOT="${NETKIT_CLUSTER_CACHE:-$HOME/.cache/netkit-cluster}"
build_key() { cat "$BUILD_MODULE/go.mod" "$BUILD_MODULE/go.sum" "$BUILD_MODULE/etcd/main.go" | sha256sum | cut -c1-12; }
BIN_DIR="$CACHE_ROOT/bin-$KUBE_VERSION-$(build_key)"

# kube-proxy and CoreDNS for the data-plane step (dataplane, build-dataplane.sh): their own pinned
# modules, their own cache directory (so adding them does not rebuild the control plane).
COREDNS_VERSION="v1.15.0"
DATAPLANE_MODULES="$CLUSTER_DIR/build-dataplane"
dataplane_key() {
  cat "$DATAPLANE_MODULES"/kube-proxy/go.{mod,sum} "$DATAPLANE_MODULES"/coredns/go.{mod,sum} "$DATAPLANE_MODULES/coredns/main.go" | sha256sum | cut -c1-12
}
DATAPLANE_BIN_DIR="$CACHE_ROOT/dataplane-$KUBE_VERSION-$(dataplane_key)"

# Runtime state (pids, certs, etcd data, logs, kubeconfig) lives in the work tree, gitignored.
STATE_DIR="${NETKIT_CLUSTER_STATE:-$REPO_DIR/.cluster}"
KUBECONFIG_PATH="$STATE_DIR/kubeconfig"

# Loopback only, ports away from the usual defaults so a developer's own cluster does not clash.
# NETKIT_CLUSTER_PORT_OFFSET shifts all of them (CI uses it so that a cluster a developer left
# running on the same machine does not block the run).
HOST=127.0.0.1
off="${NETKIT_CLUSTER_PORT_OFFSET:-0}"
ETCD_CLIENT_PORT=$((23791 + off))
ETCD_PEER_PORT=$((23801 + off))
APISERVER_PORT=$((16443 + off))
KCM_PORT=$((16257 + off))
SCHEDULER_PORT=$((16259 + off))
KWOK_PORT=$((16280 + off))
unset off

COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
# Command-line tools built with them (not started by up): kubectl from the same k8s.io/kubernetes
# release, for suites that compare netkit with kubectl (test/apply/applyset.e2e.ts).
TOOLS=(kubectl)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

# The tail of one component's log, for failure reports.
show_log_tail() {
  local name="$1" file="$STATE_DIR/logs/$1.log"
  if [[ -f "$file" ]]; then
    printf '[cluster] ---- last 40 lines of %s ----\n' "$file" >&2
    tail -n 40 "$file" >&2
    printf '[cluster] ----\n' >&2
  else
    log "no log for $name at $file"
  fi
}

# pid of a component started by us, if it is still alive.
component_pid() {
  local pidfile="$STATE_DIR/pids/$1.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled pid belongs to some other program: only our binary counts.
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */"$1" ]] || return 1
  echo "$pid"
}

# Stop one component started by up (SIGTERM, SIGKILL after 5 s). Returns 1 if it was not running.
stop_component() {
  local name="$1" pid
  pid="$(component_pid "$name")" || return 1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop after 5s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "stopped $name (pid $pid)"
}
