#!/usr/bin/env bash
# Builds Frontier's container image without a registry or a daemon, as a tarball that
# `podman load`, `docker load`, `kind load image-archive` or `ctr images import` take:
#
#   deploy/image/build.sh            writes target/frontier-image.tar (frontier:VERSION)
#
# The base is assembled here rather than pulled: a handful of Debian packages (glibc, bash,
# coreutils, sed: what bin/frontier and the JVM need) unpacked with dpkg-deb, and a Java 17
# runtime cut from the machine's JDK by jlink. buildah then builds deploy/image/Containerfile
# on it, with a storage of its own under target/image/. Running it again builds the image
# again from the current distribution; downloaded packages are kept in target/image/debs/.
# Missing tools (buildah, the JDK's jlink and jmods) are installed with apt-get. The image is
# of this machine's architecture. Run as root (or with sudo): buildah rootless needs
# /etc/subuid, which a CI machine may not have.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/image"
OUT="${OUT:-$ROOT/target/frontier-image.tar}"
ARCH="$(dpkg --print-architecture)"
JDK="/usr/lib/jvm/java-17-openjdk-$ARCH"
# uid and gid of the user Frontier runs as; the manifests' securityContext names them too.
APP_UID=10001
# What the base holds: glibc and libstdc++ for the JVM, zlib for its zip library, bash,
# coreutils and sed for bin/frontier, and what those link to. base-files gives os-release.
PACKAGES=(base-files libc6 libgcc-s1 gcc-12-base libstdc++6 zlib1g bash libtinfo6 coreutils
  libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0 sed)
# java.se, the JDK modules Frontier (jdk.httpserver: /livez, /readyz), Netty, gRPC and
# Micrometer reach for, and jcmd to look inside a running pod (heap histograms, thread
# dumps). jdeps cannot list them (it stops at rxjava's module descriptor), so a class of a
# module left out fails only when it is used: deploy/image/smoke.sh starts the image.
MODULES=java.se,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.zipfs,jdk.jfr,jdk.jcmd,jdk.attach

PREFIX=image
# shellcheck source=deploy/image/lib.sh
source "$ROOT/deploy/image/lib.sh"

command -v dpkg-deb >/dev/null 2>&1 || die "this script needs a Debian or Ubuntu machine (apt-get, dpkg-deb)"
missing=()
command -v buildah >/dev/null 2>&1 || missing+=(buildah)
[[ -x "$JDK/bin/jlink" && -f "$JDK/jmods/java.base.jmod" ]] || missing+=(openjdk-17-jdk-headless)
apt_install "${missing[@]}"

# The distribution, built (or rebuilt when a source changed) the way ./frontier does it.
version_line="$("$ROOT/frontier" --version)"
VERSION="$(sed -n 's/^frontier \([^ ]*\).*/\1/p' <<<"$version_line")"
COMMIT="$(sed -n 's/.*(commit \([^)]*\)).*/\1/p' <<<"$version_line")"
DIST="$(dirname "$(dirname "$(ls -td "$ROOT"/launcher/target/frontier-*/frontier-*/bin/frontier | head -n 1)")")"
[[ -n "$VERSION" && -d "$DIST/lib" ]] || die "no distribution found after building ($version_line)"
IMAGE="frontier:$VERSION"

CONTEXT="$WORK/context"
BASE="$CONTEXT/base"
rm -rf "$CONTEXT"
mkdir -p "$BASE" "$WORK/debs"

say "Debian packages: ${PACKAGES[*]}"
if ! (cd "$WORK/debs" && apt-get download "${PACKAGES[@]}" >/dev/null 2>&1); then
  apt_get update
  (cd "$WORK/debs" && apt-get download "${PACKAGES[@]}" >/dev/null)
fi
shopt -s nullglob
for package in "${PACKAGES[@]}"; do
  debs=("$WORK/debs/${package}_"*"_$ARCH.deb" "$WORK/debs/${package}_"*_all.deb)
  [[ ${#debs[@]} -gt 0 ]] || die "apt-get download gave no .deb for $package"
  # The newest download: the cache keeps older versions after an upgrade.
  dpkg-deb -x "$(ls -t "${debs[@]}" | head -n 1)" "$BASE"
done
shopt -u nullglob
# Documentation and locales of the packages are no use in a container.
rm -rf "$BASE/usr/share/doc" "$BASE/usr/share/man" "$BASE/usr/share/info" "$BASE/usr/share/locale" \
  "$BASE/usr/share/lintian" "$BASE/usr/share/common-licenses"
# No maintainer scripts ran, so what they would make is made here: the linker's cache (the
# JVM's libraries are found without it, but it is what every Debian system has), users, /tmp.
/sbin/ldconfig -r "$BASE"
cat >"$BASE/etc/passwd" <<EOF
root:x:0:0:root:/root:/usr/sbin/nologin
frontier:x:$APP_UID:$APP_UID:Frontier:/nonexistent:/usr/sbin/nologin
EOF
cat >"$BASE/etc/group" <<EOF
root:x:0:
frontier:x:$APP_UID:
EOF
cat >"$BASE/etc/nsswitch.conf" <<EOF
passwd: files
group: files
hosts: files dns
EOF
mkdir -p "$BASE/tmp" "$BASE/root"

say "Java runtime: jlink from $JDK"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$BASE/opt/java"

mkdir -p "$CONTEXT/frontier"
cp -a "$DIST/." "$CONTEXT/frontier/"
chmod -R a+rX,go-w "$CONTEXT"
# Netty unpacks its native transport and BoringSSL into /tmp as the app user; podman copies
# this mode onto a tmpfs mounted over /tmp too.
chmod 1777 "$BASE/tmp"
chmod 700 "$BASE/root"

buildah=(buildah --root "$WORK/storage" --runroot "$WORK/run" --storage-driver vfs)
# Only this script's images live in that storage: the previous build is dropped, so the
# storage holds one image at most.
"${buildah[@]}" rmi --all --force >/dev/null 2>&1 || true
say "building $IMAGE (buildah $(buildah --version | awk '{print $3}'))"
"${buildah[@]}" build --quiet --format docker --file "$ROOT/deploy/image/Containerfile" \
  --label "org.opencontainers.image.title=frontier" \
  --label "org.opencontainers.image.version=$VERSION" \
  --label "org.opencontainers.image.revision=$COMMIT" \
  --tag "$IMAGE" "$CONTEXT" >/dev/null
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
"${buildah[@]}" push --quiet "$IMAGE" "docker-archive:$OUT:$IMAGE"

size="$("${buildah[@]}" images --format '{{.Size}}' "$IMAGE")"
echo "$IMAGE written to ${OUT#"$ROOT"/}: $(du -h "$OUT" | cut -f1) tarball, $size unpacked"
