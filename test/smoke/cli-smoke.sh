#!/usr/bin/env bash
# CLI smoke set for another Node.js: the built CLI (dist/, from `npm run build`) run by the node
# binary NODE on the bundled examples and dive's test images, asserting exit codes and numbers.
# .ci/run runs it with Node 22 and 24. Usage: NODE=/path/to/node bash test/smoke/cli-smoke.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
NODE="${NODE:-node}"
failures=0
out="$(mktemp)"
err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect CODE TEXT ARGS...: imgscope ARGS exits CODE and prints TEXT (stdout or stderr).
expect() {
  local code="$1" text="$2"
  shift 2
  "$NODE" bin/run.js "$@" >"$out" 2>"$err"
  local actual=$?
  if [ "$actual" -ne "$code" ]; then
    fail "imgscope $* exited $actual, expected $code: $(head -c 300 "$err")"
  elif ! grep -qF -- "$text" "$out" "$err"; then
    fail "imgscope $* did not print \"$text\""
  else
    echo "ok: imgscope $* -> $code"
  fi
}

version="$("$NODE" --version)"
echo "Node.js $version ($NODE)"

expect 0 'Efficiency   │ 84.33 %' analyze fixtures/example.tar
expect 0 'Efficiency   │ 97.90 %' analyze fixtures/example-optimized.tar
expect 1 'Result:FAIL [Total:3] [Passed:0] [Failed:2] [Warn:0] [Skipped:1]' analyze fixtures/example.tar --ci
expect 0 'Result:PASS' analyze fixtures/example-optimized.tar --ci
expect 0 'The builds diverge at layer 1.' diff fixtures/example.tar fixtures/example-optimized.tar
expect 1 'FAIL  maxGrowth  image grew by 85 kB; allowed growth 10% (9.0 kB)' \
  diff fixtures/example-optimized.tar fixtures/example.tar --max-growth 10%
expect 2 'not a container image archive' analyze fixtures/dive/not-an-image.tar
if [ "$(wc -l <"$err")" -ne 1 ]; then fail "a bad input printed more than one line on stderr"; fi
expect 1 'Result:FAIL' analyze fixtures/dive/test-docker-image.tar --ci
expect 0 'Result:PASS' analyze fixtures/dive/test-oci-zstd-image.tar --ci

# dive's numbers for every dive test image, from its EXPECTED.json.
for image in fixtures/dive/test-*-image.tar; do
  "$NODE" bin/run.js analyze "$image" --json >"$out" 2>"$err" || true
  if IMAGE="$(basename "$image")" REPORT="$out" "$NODE" -e '
    const fs = require("node:fs");
    const expected = JSON.parse(fs.readFileSync("fixtures/dive/EXPECTED.json", "utf8"))[process.env.IMAGE];
    const report = JSON.parse(fs.readFileSync(process.env.REPORT, "utf8"));
    const actual = {
      efficiency: report.efficiency.score,
      sizeBytes: report.image.sizeBytes,
      wastedBytes: report.efficiency.wastedBytes,
      userWastedPercent: report.efficiency.userWastedPercent,
    };
    for (const [key, value] of Object.entries(actual)) {
      if (value !== expected[key]) {
        console.error(`${key}: ${value}, dive says ${expected[key]}`);
        process.exit(1);
      }
    }
  '; then
    echo "ok: $(basename "$image") matches dive's numbers"
  else
    fail "$(basename "$image") does not match dive's numbers: $(head -c 300 "$err")"
  fi
done

if [ "$failures" -gt 0 ]; then
  echo "cli-smoke on Node.js $version: $failures failed" >&2
  exit 1
fi
echo "cli-smoke on Node.js $version: all passed"
