#!/usr/bin/env bash
# Fuzz the model pipeline, response decoding, SRP parameter parsing, the emulator's request
# handling and the token verifier.
#
#   scripts/fuzz.sh                  # stable toolchain: seeded structure-aware harnesses,
#                                    # 1,000,000 executions per target (FUZZ_CASES to change)
#   scripts/fuzz.sh --libfuzzer      # coverage-guided: cargo-fuzz targets in fuzz/ on nightly,
#                                    # 1,000,000 runs each (needs `cargo install cargo-fuzz`)
#   scripts/fuzz.sh [--libfuzzer] model-mutations srp    # only some targets
#
# Stable targets: model-arbitrary model-mutations decode srp emulator token.
# libFuzzer targets: model_json model_mutate decode srp token.
# Each prints executions, panics, hangs and elapsed time; the script fails on any finding.
# A stable finding is reproduced with FUZZ_CASE=<n> (and FUZZ_DUMP=<dir> for model cases);
# a libFuzzer one is saved under fuzz/artifacts/<target>/. Either becomes a regression file
# (codegen/tests/fuzz-regressions/, generated/tests/fuzz-regressions/).
set -euo pipefail
cd "$(dirname "$0")/.."

cases="${FUZZ_CASES:-1000000}"
mode=stable
if [[ "${1:-}" == "--libfuzzer" ]]; then
    mode=libfuzzer
    shift
fi

if [[ "$mode" == stable ]]; then
    targets=("$@")
    [[ ${#targets[@]} -gt 0 ]] || targets=(model-arbitrary model-mutations decode srp emulator token)
    for t in "${targets[@]}"; do
        case "$t" in
            model-arbitrary) args=(-p awsjson-codegen --test fuzz_model -- fuzz_model_arbitrary_json) ;;
            model-mutations) args=(-p awsjson-codegen --test fuzz_model -- fuzz_model_mutations_of_the_real_model) ;;
            decode) args=(-p cognito-idp --test fuzz_decode -- fuzz_response_decoding) ;;
            srp) args=(-p srp-core --test fuzz_srp -- fuzz_challenge_parameter_parsing) ;;
            emulator) args=(-p cognito-emulator --test fuzz_requests -- fuzz_request_handling) ;;
            token) args=(-p cognito-verify --test fuzz_token -- fuzz_token_parsing_and_verification) ;;
            *) echo "unknown target $t" >&2; exit 2 ;;
        esac
        if out=$(FUZZ_CASES="$cases" cargo test --release -q "${args[@]}" --exact --nocapture 2>&1); then
            grep -E '^fuzz ' <<<"$out"
        else
            grep -E '^fuzz ' <<<"$out" || true
            tail -n 40 <<<"$out"
            exit 1
        fi
    done
    exit 0
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "--libfuzzer needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)" >&2
    exit 2
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(model_json model_mutate decode srp token)
cd fuzz
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    extra=()
    if [[ "$t" == model_* ]]; then
        extra=(-dict=smithy.dict)
    fi
    if [[ "$t" == model_json && -z "$(ls -A corpus/model_json)" ]]; then
        # Seeds: every model of the test suite (the first byte holds the target's flags).
        for f in ../codegen/tests/broken-models/*.json ../codegen/tests/fixtures/*.json; do
            { printf '\x01'; cat "$f"; } >"corpus/model_json/$(basename "$f" .json)"
        done
    fi
    start=$(date +%s)
    # -timeout: a single input running longer than 10 s is reported as a hang.
    if cargo +nightly fuzz run -O "$t" "corpus/$t" -- -runs="$cases" -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 "${extra[@]}" >"/tmp/fuzz-$t.log" 2>&1; then
        status="0 crashes, 0 hangs"
    else
        status="FINDING: see /tmp/fuzz-$t.log and fuzz/artifacts/$t/"
    fi
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "/tmp/fuzz-$t.log" | grep -Eo '[0-9]+$' || echo "?")
    cov=$(grep -Eo 'cov: [0-9]+' "/tmp/fuzz-$t.log" | tail -1 || true)
    echo "libfuzzer $t: executions=$runs $cov elapsed=$(( $(date +%s) - start ))s $status"
    [[ "$status" == "0 crashes, 0 hangs" ]] || exit 1
done
