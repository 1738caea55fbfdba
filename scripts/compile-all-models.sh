#!/usr/bin/env bash
# Compile the full generated client of every shared model (../shared/models/cognito-identity-provider.json
# and ../shared/models/aws/*.json, beside the repository) and run its own endpoint tests: one
# `cargo test -p shared-model-clients --features MODEL --lib` per model, so a failure names its model.
# Long (minutes per large model on 2 cores); CI compiles only the crate's default share.
#
#   scripts/compile-all-models.sh            every model
#   scripts/compile-all-models.sh ssm glue   just these (feature names = model file names)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

if [ $# -gt 0 ]; then
  models=("$@")
else
  [ -f ../shared/models/cognito-identity-provider.json ] || { echo "missing ../shared/models/cognito-identity-provider.json" >&2; exit 1; }
  models=(cognito-identity-provider)
  for f in ../shared/models/aws/*.json; do models+=("$(basename "$f" .json)"); done
  [ ${#models[@]} -eq 21 ] || { echo "expected 21 shared models, found ${#models[@]}" >&2; exit 1; }
fi

failed=()
for m in "${models[@]}"; do
  printf '\n==> %s\n' "$m"
  start=$(date +%s)
  if cargo test -q -p shared-model-clients --no-default-features --features "$m" --lib; then
    printf '<== %s: ok (%ss)\n' "$m" "$(( $(date +%s) - start ))"
  else
    printf '<== %s: FAILED\n' "$m"
    failed+=("$m")
  fi
done

printf '\n%d compiled and passed their endpoint tests, %d failed\n' "$(( ${#models[@]} - ${#failed[@]} ))" "${#failed[@]}"
for f in "${failed[@]}"; do echo "failed: $f"; done
[ ${#failed[@]} -eq 0 ]
