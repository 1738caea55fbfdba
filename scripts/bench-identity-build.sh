#!/usr/bin/env bash
# Build-time cost of the identity-pool client: the compile of the `cognito-identity` crate alone
# (macro expansion of all 23 operations + rustc), beside the `cognito-idp` crate's own compile,
# with their dependencies already built. Each crate is rebuilt ROUNDS times (touching its
# lib.rs, incremental compilation off so every round is a full compile of the crate); prints
# the median wall and CPU (user + system of cargo and rustc) seconds per crate and profile.
#   scripts/bench-identity-build.sh [ROUNDS]      (default 3; profiles dev and release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
export CARGO_INCREMENTAL=0

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # profile-flag package file
  local flag="$1" pkg="$2" file="$3" walls="" cpus="" out
  cargo build -q $flag -p "$pkg"
  for _ in $(seq "$rounds"); do
    touch "$file"
    out="$( { /usr/bin/time -f '%e %U %S' cargo build -q $flag -p "$pkg" ; } 2>&1 >/dev/null | tail -1)"
    walls+="$(echo "$out" | awk '{print $1}')"$'\n'
    cpus+="$(echo "$out" | awk '{print $2 + $3}')"$'\n'
  done
  printf '%s\t%s\t%s\t%s\n' "${flag:-dev}" "$pkg" \
    "$(printf '%s' "$walls" | median)" "$(printf '%s' "$cpus" | median)"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'profile\tcrate\twall_s\tcpu_s\n'
for flag in "" "--release"; do
  measure "$flag" cognito-idp generated/src/lib.rs
  measure "$flag" cognito-identity identity/src/lib.rs
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
