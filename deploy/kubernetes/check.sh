#!/usr/bin/env bash
# Checks the manifests without a cluster: each overlay builds with `kubectl kustomize`, and
# `kubectl apply --dry-run=client` takes the result. That command asks a server which kinds
# exist (even with --validate=false), so with no cluster it talks to discovery-stub.py, which
# knows the built-in kinds used here: a wrong kind or apiVersion fails, a wrong field does not
# (no schema without a server). With KUBECONFIG naming a cluster it reaches, the server checks
# the objects too (--dry-run=server). Then every option the manifests pass (an argument
# --NAME or a variable FRONTIER_NAME) must be one that `bin/frontier edge --help` or
# `control-plane --help` of this checkout lists.
#
#   deploy/kubernetes/check.sh [OVERLAY...]     (default: every overlay)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
command -v kubectl >/dev/null 2>&1 || { echo "check: kubectl is not installed" >&2; exit 127; }

overlays=("$@")
if [[ ${#overlays[@]} -eq 0 ]]; then
  for dir in "$HERE"/overlays/*/; do overlays+=("$(basename "$dir")"); done
fi

stub_pid=""
trap '[[ -z "$stub_pid" ]] || kill "$stub_pid" 2>/dev/null || true' EXIT
if [[ -n "${KUBECONFIG:-}" ]] && kubectl version >/dev/null 2>&1; then
  apply=(kubectl apply --dry-run=server -f -)
else
  port_file="$(mktemp)"
  python3 "$HERE/discovery-stub.py" >"$port_file" &
  stub_pid=$!
  until [[ -s "$port_file" ]]; do kill -0 "$stub_pid" || exit 1; sleep 0.1; done
  apply=(kubectl --server "http://127.0.0.1:$(cat "$port_file")" apply --dry-run=client --validate=false -f -)
  rm -f "$port_file"
fi

rendered="$(mktemp)"
trap '[[ -z "$stub_pid" ]] || kill "$stub_pid" 2>/dev/null || true; rm -f "$rendered"' EXIT
failed=0
for overlay in "${overlays[@]}"; do
  echo "== overlays/$overlay"
  kubectl kustomize "$HERE/overlays/$overlay" >"$rendered"
  "${apply[@]}" <"$rendered"
  cat "$rendered" >>"$rendered.all"
done

# FRONTIER_NAME variables as the options --name they set.
as_options() { grep -v '^FRONTIER_JAVA_OPTS$' | sed 's/^FRONTIER_//; s/_/-/g; s/^/--/' | tr 'A-Z' 'a-z'; }

# Fails the check for each of OPTIONS (words) that HELP does not list; WHAT says who passes it.
unknown_options() {
  local help="$1" options="$2" what="$3" option
  for option in $options; do
    if ! grep -qE -- "(^|[ ,\[])$option([=, ]|$)" <<<"$help"; then
      echo "check: $option is $what, but no --help of it lists it" >&2
      failed=1
    fi
  done
}

# The options of each Frontier container (the Deployments whose first argument is edge or
# control-plane), checked against that command's help (./frontier builds the distribution
# when needed).
for node in edge control-plane; do
  # The documents of that node: kustomize separates them with '---'.
  docs="$(awk -v node="$node" 'BEGIN { RS = "\n---\n" } $0 ~ "\n +- " node "\n" { print }' "$rendered.all")"
  options="$( { grep -oE '^ *- --[a-z0-9-]+' <<<"$docs" | sed 's/^ *- //'
    grep -oE '\bFRONTIER_[A-Z0-9_]+' <<<"$docs" | as_options; } | sort -u)"
  [[ -n "$options" ]] || { echo "check: no $node container found in the manifests" >&2; failed=1; }
  unknown_options "$("$ROOT/frontier" "$node" --help 2>&1)" "$options" "passed to frontier $node"
  echo "$node: $(wc -w <<<"$options") options checked against 'frontier $node --help'"
done
# The shared settings of the frontier-config ConfigMap: each an option of one node or both.
config="$(awk 'BEGIN { RS = "\n---\n" } /\nkind: ConfigMap\n/ && /\n  name: frontier-config/ { print }' "$rendered.all")"
settings="$(grep -oE '^  FRONTIER_[A-Z0-9_]+' <<<"$config" | sed 's/^  //' | as_options | sort -u)"
unknown_options "$("$ROOT/frontier" edge --help 2>&1; "$ROOT/frontier" control-plane --help 2>&1)" "$settings" \
  "set by the frontier-config ConfigMap"
echo "frontier-config: $(wc -w <<<"$settings") settings checked against both"
rm -f "$rendered.all"
exit $failed
