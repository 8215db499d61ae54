#!/usr/bin/env bash
# Brings the packed projects' PublicAPI.Unshipped.txt files in line with their code: builds, adds every symbol the
# PublicApiAnalyzers report as undeclared (RS0016) and removes every declared symbol that no longer exists (RS0017),
# until the build has neither. Review the diff before committing: every added line is a promise to users.
# Usage: bash .ci/public-api.sh [PROJECT.csproj ...]   (default: every project with a PublicAPI.Shipped.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for shipped in src/*/PublicAPI.Shipped.txt; do projects+=("$(ls "$(dirname "$shipped")"/*.csproj)"); done
fi
for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  for round in 1 2 3 4 5; do
    touch "$dir/PublicAPI.Unshipped.txt"  # an input of the compile, so the analyzers run even when nothing else changed
    log=$(dotnet build "$project" -p:TreatWarningsAsErrors=false 2>&1 || true)
    added=$(grep -o "error RS0016: Symbol '.*' is not part of the declared public API" <<<"$log" \
      | sed "s/^error RS0016: Symbol '//; s/' is not part of the declared public API\$//" || true)
    added+=$'\n'$(grep -o "warning RS0016: Symbol '.*' is not part of the declared public API" <<<"$log" \
      | sed "s/^warning RS0016: Symbol '//; s/' is not part of the declared public API\$//" || true)
    removed=$(grep -oE "(error|warning) RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found" <<<"$log" \
      | sed -E "s/^(error|warning) RS0017: Symbol '//; s/' is part of the declared API, but is either not public or could not be found\$//" || true)
    added=$(grep -v '^$' <<<"$added" | LC_ALL=C sort -u || true)
    removed=$(grep -v '^$' <<<"$removed" | LC_ALL=C sort -u || true)
    [ -z "$added" ] && [ -z "$removed" ] && break
    unshipped="$dir/PublicAPI.Unshipped.txt"
    if [ -n "$removed" ]; then
      # A symbol still unshipped is simply dropped; one that shipped is marked *REMOVED* in the unshipped file.
      gone_shipped=$(grep -xF -f <(printf '%s\n' "$removed") "$dir/PublicAPI.Shipped.txt" | sed 's/^/*REMOVED*/' || true)
      grep -vxF -f <(printf '%s\n' "$removed") "$unshipped" >"$unshipped.tmp" || true
      [ -n "$gone_shipped" ] && printf '%s\n' "$gone_shipped" >>"$unshipped.tmp"
      mv "$unshipped.tmp" "$unshipped"
    fi
    if [ -n "$added" ]; then
      { head -n 1 "$unshipped"; { tail -n +2 "$unshipped"; printf '%s\n' "$added"; } | grep -v '^$' | LC_ALL=C sort -u; } >"$unshipped.tmp"
      mv "$unshipped.tmp" "$unshipped"
    fi
  done
  echo "$project: $(grep -vc '^#' "$dir/PublicAPI.Unshipped.txt") unshipped, $(grep -vc '^#' "$dir/PublicAPI.Shipped.txt") shipped entries"
done
