#!/bin/sh
# Rebuilds src/layers/poly1305-wasm/poly1305.wasm (src/layers/wasm-poly1305.ts) from poly1305.c
# beside it, or writes the module to the path given as the first argument instead (the unit test
# builds it there and compares). The .wasm is committed: users and CI never need this toolchain.
#
# Needs Debian 12's clang 14 and lld (apt-get install -y clang lld), no headers. No C library: the module
# imports nothing and exports its memory and the functions poly1305.c names. The output is the
# same bytes on every run with that toolchain.
set -eu

dir=$(cd "$(dirname "$0")/.." && pwd)/src/layers/poly1305-wasm
out=${1:-$dir/poly1305.wasm}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
cd "$dir"
clang --target=wasm32 -O3 -mbulk-memory -nostdlib -nostdinc -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all \
  -o "$out" poly1305.c
echo "wrote $out ($(wc -c <"$out") bytes)"
