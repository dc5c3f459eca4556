# What deploy/image/build.sh and smoke.sh share; sourced after they set PREFIX.

say() { echo "$PREFIX: $*" >&2; }
die() { say "$*"; exit 1; }

sudo=()
[[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
apt_get() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q "$@" >&2; }

# Installs the Debian packages given, when there are any; the package index is read first
# only if it does not know them (a fresh CI machine has none).
apt_install() {
  [[ $# -gt 0 ]] || return 0
  command -v apt-get >/dev/null 2>&1 || die "installing $* needs apt-get (a Debian or Ubuntu machine)"
  say "installing $* (apt-get)"
  apt-cache show "$@" >/dev/null 2>&1 || apt_get update
  apt_get install -y --no-install-recommends "$@"
}
