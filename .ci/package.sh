#!/usr/bin/env bash
# Packs RapidLlm (nupkg + snupkg) from the Release build and proves the package works: a stand-alone consumer restores
# RapidLlm from the fresh local feed (other packages from the default source) into a private package folder, so a
# previously cached RapidLlm cannot hide a broken one, then builds and runs an estimate.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/RapidLlm/RapidLlm.csproj | head -n 1)

dotnet pack src/RapidLlm/RapidLlm.csproj -c Release --no-build -o "$work/feed" >/dev/null
test -f "$work/feed/RapidLlm.$version.nupkg" && test -f "$work/feed/RapidLlm.$version.snupkg"
entries=$(unzip -Z1 "$work/feed/RapidLlm.$version.nupkg")
for expected in README.md lib/net10.0/RapidLlm.dll lib/net10.0/RapidLlm.xml; do
  grep -qx "$expected" <<<"$entries" || { echo "package lacks $expected" >&2; exit 1; }
done
unzip -p "$work/feed/RapidLlm.$version.nupkg" RapidLlm.nuspec | grep -q '<license type="expression">Apache-2.0</license>'

# Everything but RapidLlm comes from the machine's default source, whatever it is called there.
default_source=$(dotnet nuget list source | sed -n 's/^ *1\. *\(.*\) \[Enabled\]$/\1/p' | head -n 1)
test -n "$default_source" || { echo "no enabled default NuGet source is configured" >&2; exit 1; }

mkdir -p "$work/consumer"
cp .ci/consumer/Consumer.csproj .ci/consumer/Program.cs "$work/consumer/"
cat >"$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="rapidllm-local" value="$work/feed" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="rapidllm-local"><package pattern="RapidLlm" /></packageSource>
    <packageSource key="$default_source"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
# The consumer must not inherit the repository's Directory.*.props: it lives outside the tree, like a user's app.
dotnet build "$work/consumer/Consumer.csproj" -c Release -p:RapidLlmVersion="$version" -p:RestorePackagesPath="$work/packages" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
dotnet "$work/consumer/bin/Release/net10.0/Consumer.dll" | grep -q "| time per batch |"
echo "package ok ($version)"
