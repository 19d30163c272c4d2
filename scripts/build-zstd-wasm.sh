#!/bin/sh
# Rebuilds src/layers/zstd-wasm/zstd-decompress.wasm, the zstd decoder of Node 20 and 22
# (src/layers/wasm-zstd.ts), from zstd's own C sources: zstd 1.5.7's lib/ as the npm package
# zstd-napi 0.0.13 ships it (deps/zstd/lib, pinned below by the tarball's sha256), decompression
# only: lib/common and lib/decompress, no legacy formats, no threads, no dictionary builder.
# The .wasm is committed: users and CI never need this toolchain.
#
# Needs npm and Debian 12's clang 14 for wasm32-wasi:
#   apt-get install -y clang lld wasi-libc
# wasi-libc gives malloc/free and the string functions; no WASI call is linked, so the module
# imports nothing. The output is the same bytes on every run with that toolchain.
set -eu

package=zstd-napi@0.0.13
tarball_sha256=5b76defc67c808989c5f3920e14f662d6318b84b8d53ac3e94b99463d8d65e76
out=$(cd "$(dirname "$0")/.." && pwd)/src/layers/zstd-wasm

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball=$(ls "$work"/*.tgz)
echo "$tarball_sha256  $tarball" | sha256sum -c --quiet
tar -xzf "$tarball" -C "$work"
zstd="$work/package/deps/zstd"
lib="$zstd/lib"
grep -q '#define ZSTD_VERSION_RELEASE  7' "$lib/zstd.h"

# What src/layers/wasm-zstd.ts calls, and nothing else.
exports="malloc ZSTD_createDCtx ZSTD_freeDCtx ZSTD_DCtx_setParameter ZSTD_decompressStream ZSTD_isError
  ZSTD_getErrorName"
export_flags=
for name in $exports; do export_flags="$export_flags -Wl,--export=$name"; done

# Relative paths from inside the tree, so no temporary directory name reaches the output.
cd "$lib"
# shellcheck disable=SC2086 # export_flags is a list of words
clang --target=wasm32-wasi -O3 -flto -mbulk-memory \
  -DNDEBUG -DZSTD_LEGACY_SUPPORT=0 -DZSTD_DISABLE_ASM \
  -I. -Icommon \
  common/entropy_common.c common/error_private.c common/fse_decompress.c common/xxhash.c \
  common/zstd_common.c decompress/huf_decompress.c decompress/zstd_ddict.c \
  decompress/zstd_decompress.c decompress/zstd_decompress_block.c \
  -nostartfiles -Wl,--no-entry -Wl,--gc-sections -Wl,--strip-all -Wl,-z,stack-size=131072 \
  $export_flags \
  -o "$work/zstd-decompress.wasm"

mkdir -p "$out"
install -m 644 "$work/zstd-decompress.wasm" "$out/zstd-decompress.wasm"
install -m 644 "$zstd/LICENSE" "$out/LICENSE"
sha256sum "$out/zstd-decompress.wasm"
