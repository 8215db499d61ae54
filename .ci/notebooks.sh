#!/usr/bin/env bash
# Executes every samples/notebooks/*.ipynb in Jupyter on the .NET C# kernel against RapidLlm and RapidLlm.Interactive
# packed from this Release build, and writes the executed notebooks to the folder given as $1 (the tests then check
# what they displayed). Fails on any cell error. Needs: apt-get (Jupyter's nbconvert from Debian, installed when
# missing) and the NuGet source (the kernel, a local dotnet tool pinned in .config/dotnet-tools.json).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:?usage: notebooks.sh OUTPUT_FOLDER}")
fail() { echo "notebooks: $*" >&2; exit 1; }
work=$(mktemp -d)
# The notebooks run from a folder inside the repository so the kernel's `dotnet interactive` finds the tool manifest.
stage=".ci/out/notebook-stage"
trap 'rm -rf "$work" "$stage"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/RapidLlm.Interactive/RapidLlm.Interactive.csproj | head -n 1)

# 1. nbconvert from Debian's packages (Debian's own python3, whatever python3 comes first on PATH).
if ! [ -x /usr/bin/jupyter-nbconvert ] || ! [ -x /usr/bin/jupyter-kernelspec ]; then
  command -v apt-get >/dev/null || fail "jupyter-nbconvert is missing and apt-get is not available to install it"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log" >&2; fail "apt-get update failed (root is needed to install jupyter-nbconvert)"; }
  apt-get install -y -qq --no-install-recommends jupyter-nbconvert jupyter-client python3-ipykernel >>"$work/apt.log" 2>&1 \
    || { tail -n 30 "$work/apt.log" >&2; fail "apt-get install jupyter-nbconvert jupyter-client python3-ipykernel failed"; }
fi

# 2. The .NET kernel as a local tool, registered in a private Jupyter folder (nothing lands in the user's Jupyter).
timeout 300 dotnet tool restore >"$work/tool.log" 2>&1 \
  || { cat "$work/tool.log" >&2; fail "dotnet tool restore failed: Microsoft.dotnet-interactive (see .config/dotnet-tools.json) could not be restored from the NuGet source"; }
export JUPYTER_DATA_DIR="$work/jupyter" JUPYTER_CONFIG_DIR="$work/jupyter-config" JUPYTER_RUNTIME_DIR="$work/jupyter-runtime"
export PATH="/usr/bin:$PATH"
timeout 120 dotnet interactive jupyter install >"$work/kernel.log" 2>&1 \
  || { cat "$work/kernel.log" >&2; fail "dotnet interactive jupyter install failed"; }
test -f "$JUPYTER_DATA_DIR/kernels/.net-csharp/kernel.json" || { cat "$work/kernel.log" >&2; fail "the .NET (C#) kernel was not registered"; }

# Two runs on one machine (two clones building at once) share the global package folder: one would delete or replace
# the other's copy of RapidLlm while its kernel restores it. The rest of the script runs under a machine-wide lock.
if command -v flock >/dev/null; then
  exec 9>"${TMPDIR:-/tmp}/rapidllm-notebooks.lock"
  flock -w 1500 9 || fail "another notebook run held ${TMPDIR:-/tmp}/rapidllm-notebooks.lock for 25 minutes"
fi

# 3. Both packages from this build, in a local folder feed. A copy of the same version in the global package folder
#    (an earlier run's) would win over the feed, so only those two entries are removed from it first.
dotnet pack src/RapidLlm/RapidLlm.csproj -c Release --no-build -o "$work/feed" >"$work/pack.log" 2>&1 \
  && dotnet pack src/RapidLlm.Interactive/RapidLlm.Interactive.csproj -c Release --no-build -o "$work/feed" >>"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log" >&2; fail "dotnet pack failed"; }
unzip -Z1 "$work/feed/RapidLlm.Interactive.$version.nupkg" | grep -x "interactive-extensions/dotnet/RapidLlm.Interactive.dll" >/dev/null \
  || fail "RapidLlm.Interactive.$version.nupkg lacks interactive-extensions/dotnet/RapidLlm.Interactive.dll (the kernel extension)"
packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
test -n "$packages" && rm -rf "${packages%/}/rapidllm/$version" "${packages%/}/rapidllm.interactive/$version"

# 4. The committed notebooks, unchanged, beside a nuget.config naming the feed: the kernel adds the sources of the
#    NuGet configuration in the notebook's folder to `#r "nuget: ..."`, so no path is written into a notebook.
rm -rf "$stage" && mkdir -p "$stage" "$out"
cp samples/notebooks/*.ipynb "$stage/"
cat >"$stage/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="rapidllm-local" value="$work/feed" />
  </packageSources>
</configuration>
XML

count=0
for notebook in "$stage"/*.ipynb; do
  name=$(basename "$notebook")
  start=$SECONDS
  if ! timeout 600 /usr/bin/jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.startup_timeout=180 \
      --ExecutePreprocessor.kernel_name=.net-csharp --output-dir "$out" "$notebook" >"$work/$name.log" 2>&1; then
    grep -v '^info: \|^      ' "$work/$name.log" | tail -n 40 >&2
    fail "$name failed to execute (a cell raised an error or the kernel did not start)"
  fi
  count=$((count + 1))
  echo "notebook $name executed in $((SECONDS - start)) s"
done
test "$count" -gt 0 || fail "no notebook under samples/notebooks"
echo "notebooks ok: $count executed"
