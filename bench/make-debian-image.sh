#!/usr/bin/env bash
# Builds the realistic benchmark image once: Debian bookworm (debootstrap, minbase) plus nginx,
# in 8 layers the way a Dockerfile would make them (apt lists left behind, a chmod layer, a
# config copy, a cleanup), then writes it under DIR (default .bench/debian):
#
#   DIR/docker-archive.tar   docker save shape, uncompressed layers
#   DIR/oci-gzip/            OCI layout, gzip layers
#   DIR/oci-zstd/            OCI layout, zstd layers (the same tars)
#
# Needs root, debootstrap, buildah, skopeo and Debian's package mirror; takes a few minutes.
# A finished DIR is kept: delete it to rebuild.
set -euo pipefail
dir=$(realpath -m "${1:-.bench/debian}")
[ -f "$dir/done" ] && { echo "reusing $dir"; exit 0; }
rm -rf "$dir"
mkdir -p "$dir"
export BUILDAH_ISOLATION=chroot STORAGE_DRIVER=vfs
name=imgscope-bench-debian

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"; buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
debootstrap --variant=minbase bookworm "$rootfs" >/dev/null
ctr=$(buildah from scratch)
buildah add "$ctr" "$rootfs" / >/dev/null
commit() { # commit N: the container's changes become layer N; the next step builds on it
  buildah commit -q "$ctr" "$name:$1" >/dev/null
  buildah rm "$ctr" >/dev/null
  ctr=$(buildah from "$name:$1")
}
commit 1
step() { # step N COMMAND...: one layer per RUN, like a Dockerfile
  local n=$1
  shift
  buildah run --network host "$ctr" -- sh -c "$*"
  commit "$n"
}
step 2 'apt-get update -qq'
step 3 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx ca-certificates curl >/dev/null'
step 4 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-minimal >/dev/null'
step 5 'chmod -R g+w /usr/share/nginx /var/lib/nginx /etc/nginx && chown -R www-data /var/log/nginx'
step 6 'printf "server { listen 8080; root /usr/share/nginx/html; }\n" > /etc/nginx/conf.d/bench.conf && useradd -u 10001 app'
step 7 'rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'
step 8 'echo built > /etc/bench-image'
buildah config --user app --cmd '["nginx","-g","daemon off;"]' "$ctr"
buildah commit -q "$ctr" "$name:latest" >/dev/null
buildah push -q "$name:latest" "docker-archive:$dir/docker-archive.tar:$name:latest"
skopeo copy -q "docker-archive:$dir/docker-archive.tar" "oci:$dir/oci-gzip:latest" --dest-compress-format gzip
skopeo copy -q "docker-archive:$dir/docker-archive.tar" "oci:$dir/oci-zstd:latest" --dest-compress-format zstd
for i in 1 2 3 4 5 6 7 8 latest; do buildah rmi "$name:$i" >/dev/null 2>&1 || true; done
touch "$dir/done"
echo "built $dir"
