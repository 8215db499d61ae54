#!/usr/bin/env bash
# Runs every sample once against shipped configs so a broken CLI or sample cannot land.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runperf="dotnet samples/RunPerf/bin/Release/net10.0/RunPerf.dll"

$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config configs/model-config/Llama2-7B.yaml \
  --output_dir "$out/train" --json "$out/train.json" | grep -q "Training time for batch:"
$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config configs/model-config/Llama3.1-8B_inf.yaml \
  --output_dir "$out/inf" --json "$out/inf.json" | grep -q "LLM time to first token:"
$runperf --hardware_config configs/hardware-config/H100_SXM5_80GB.yaml --model_config configs/model-config/GEMM.yaml \
  --output_dir "$out/gemm" --json "$out/gemm.json" | grep -q "Total time:"
test -s "$out/train.json" && test -s "$out/inf.json" && test -s "$out/gemm.json"

# Invalid input must exit 2 with a sentence, not a stack trace.
set +e
$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config /nonexistent.yaml >/dev/null 2>"$out/err.txt"
rc=$?
set -e
test "$rc" -eq 2
! grep -q "   at " "$out/err.txt"

for sample in samples/*/; do
  name=$(basename "$sample")
  [ "$name" = "RunPerf" ] && continue
  [ -f "$sample/$name.csproj" ] || continue
  dotnet "samples/$name/bin/Release/net10.0/$name.dll" >/dev/null
done
echo "samples ok"
