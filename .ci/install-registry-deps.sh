#!/usr/bin/env bash
# Installs what the registry and docker-daemon tests need when it is missing:
# docker-registry (the CNCF distribution registry), skopeo, openssl, htpasswd (apache2-utils)
# podman, chromium and firefox-esr (the HTML report's browser tests), debootstrap (the Debian
# package-inventory test builds a bookworm rootfs), rpm (rpm and rpmbuild: the rpm inventory's
# truth test), buildah (the Dockerfile is built and run) and clang with lld (the committed
# Poly1305 WebAssembly is rebuilt and compared). Idempotent: does nothing when everything is there.
set -euo pipefail

declare -A package_of=(
  [docker-registry]=docker-registry
  [skopeo]=skopeo
  [openssl]=openssl
  [htpasswd]=apache2-utils
  [podman]=podman
  [chromium]=chromium
  [firefox-esr]=firefox-esr
  [debootstrap]=debootstrap
  [rpmbuild]=rpm
  [buildah]=buildah
  [clang]=clang
  [wasm-ld]=lld
)

missing=()
for program in "${!package_of[@]}"; do
  command -v "$program" >/dev/null 2>&1 || missing+=("${package_of[$program]}")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "registry test tools already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# podman needs these at run time but --no-install-recommends may leave them out.
if [[ " ${missing[*]} " == *" podman "* ]]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    uidmap conmon crun containernetworking-plugins >/dev/null || true
fi
for program in "${!package_of[@]}"; do
  command -v "$program" >/dev/null || { echo "still missing after install: $program" >&2; exit 1; }
done
echo "registry test tools installed"
