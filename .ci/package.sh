#!/usr/bin/env bash
# Packs RapidLlm (nupkg + snupkg) from the Release build and proves the package works: a stand-alone consumer restores
# RapidLlm from the fresh local feed (other packages from the default source) into a private package folder, so a
# previously cached RapidLlm cannot hide a broken one, then builds and runs an estimate. Then packs the other packed
# projects (the rapidllm tool, validation), installs the tool from the feed and runs an estimate with it.
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
consumer_out=$(dotnet "$work/consumer/bin/Release/net10.0/Consumer.dll") || { echo "$consumer_out" >&2; echo "the consumer's estimate or its own backend failed" >&2; exit 1; }
grep -q "| time per batch |" <<<"$consumer_out"
grep -q "^replay: .* s; slower-compute: .* s$" <<<"$consumer_out"

# The command-line tool: a dotnet tool package (its dependencies inside), installed into a private folder from the
# feed alone, then one estimate whose stdout line the contract names.
dotnet pack src/RapidLlm.Cli/RapidLlm.Cli.csproj -c Release --no-build -o "$work/feed" >/dev/null
tool_entries=$(unzip -Z1 "$work/feed/RapidLlm.Cli.$version.nupkg")
for expected in README.md tools/net10.0/any/DotnetToolSettings.xml tools/net10.0/any/RapidLlm.Cli.dll tools/net10.0/any/RapidLlm.dll; do
  grep -qx "$expected" <<<"$tool_entries" || { echo "tool package lacks $expected" >&2; exit 1; }
done
unzip -p "$work/feed/RapidLlm.Cli.$version.nupkg" tools/net10.0/any/DotnetToolSettings.xml | grep -q 'Command Name="rapidllm"'
cat >"$work/tool-nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="rapidllm-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
NUGET_PACKAGES="$work/tool-packages" dotnet tool install RapidLlm.Cli --version "$version" --tool-path "$work/tools" --configfile "$work/tool-nuget.config" >"$work/tool.log" 2>&1 \
  || { cat "$work/tool.log" >&2; exit 1; }
"$work/tools/rapidllm" --hardware_config configs/hardware-config/a100_80GB.yaml --model_config configs/model-config/Llama2-7B.yaml \
  --output_dir "$work/tool-out" | grep -q "Training time for batch:"

# The other libraries pack with their README and XML docs.
for project in RapidLlm.Validation; do
  dotnet pack "src/$project/$project.csproj" -c Release --no-build -o "$work/feed" >/dev/null
  entries=$(unzip -Z1 "$work/feed/$project.$version.nupkg")
  for expected in README.md "lib/net10.0/$project.dll" "lib/net10.0/$project.xml"; do
    grep -qx "$expected" <<<"$entries" || { echo "$project package lacks $expected" >&2; exit 1; }
  done
done
echo "package ok ($version): RapidLlm, RapidLlm.Cli (tool rapidllm), RapidLlm.Validation"
