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
$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config configs/model-config/ViT-B16_inf.yaml \
  --output_dir "$out/vit" --json "$out/vit.json" | grep -q "LLM inference time:"
test -s "$out/vit/VIT/LLM_inference_results.txt"
test -s "$out/train.json" && test -s "$out/inf.json" && test -s "$out/gemm.json" && test -s "$out/vit.json"

# Invalid input must exit 2 with a sentence, not a stack trace.
set +e
$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config /nonexistent.yaml >/dev/null 2>"$out/err.txt"
rc=$?
set -e
test "$rc" -eq 2
! grep -q "   at " "$out/err.txt"

# A configuration search (a small Llama-2-7B-shaped model on 8 GPUs), in three shards merged back into exactly the
# unsharded JSON, and an impossible space (7 GPUs: only dp 7 is left, and it does not divide the batch of 8) as exit 2
# with the axis named.
sed -e 's/^  num_layers: .*/  num_layers: 4/' -e 's/^  seq_len: .*/  seq_len: 512/' -e 's/^  global_batch_size: .*/  global_batch_size: 8/' -e 's/^  gradient_accumulation_steps: .*/  gradient_accumulation_steps: 1/' \
  configs/model-config/Llama2-7B.yaml > "$out/small.yaml"
$runperf search --hardware_config configs/hardware-config/a100_80GB.yaml --model_config "$out/small.yaml" --gpus 8 \
  --json "$out/search.json" --csv "$out/search.csv" --png "$out/pareto.png" --no-progress | grep -q "Best: "
for i in 1 2 3; do
  $runperf search --hardware_config configs/hardware-config/a100_80GB.yaml --model_config "$out/small.yaml" --gpus 8 \
    --shard "$i/3" --json "$out/shard$i.json" --no-progress >/dev/null
done
$runperf merge --json "$out/merged.json" "$out/shard3.json" "$out/shard1.json" "$out/shard2.json" >/dev/null
cmp "$out/search.json" "$out/merged.json"
test -s "$out/search.csv" && test -s "$out/pareto.png"
set +e
$runperf search --hardware_config configs/hardware-config/a100_80GB.yaml --model_config "$out/small.yaml" --gpus 7 --no-progress >/dev/null 2>"$out/search-err.txt"
rc=$?
set -e
test "$rc" -eq 2
grep -q "dp" "$out/search-err.txt" && grep -q "empty" "$out/search-err.txt"
! grep -q "   at " "$out/search-err.txt"

# The Hugging Face importer turns the Qwen2.5-3B config.json of the tests into a model file RunPerf accepts.
dotnet samples/HfToConfig/bin/Release/net10.0/HfToConfig.dll tests/RapidLlm.Tests/data/huggingface/qwen2.5-3b/config.json \
  --run-type inference --global-batch-size 1 --prompt-len 1792 --decode-len 256 --use-flashattention true \
  -o "$out/qwen.yaml" 2>/dev/null
$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config "$out/qwen.yaml" --output_dir "$out/qwen" \
  | grep -q "LLM time to first token:"

# And a vision config: DINOv3 ViT-7B/16 at its 256-pixel training resolution.
dotnet samples/HfToConfig/bin/Release/net10.0/HfToConfig.dll tests/RapidLlm.Tests/data/huggingface/dinov3-vit7b16-pretrain-lvd1689m/config.json \
  --global-batch-size 64 --image-size 256 -o "$out/dinov3.yaml" 2>/dev/null
$runperf --hardware_config configs/hardware-config/H100_SXM5_80GB.yaml --model_config "$out/dinov3.yaml" --output_dir "$out/dinov3" \
  | grep -q "Training time for batch:"

# The workbench starts with --urls (port 0: a free one), prints its URL and serves its page (the browser tests drive it further).
dotnet samples/Workbench/bin/Release/net10.0/Workbench.dll --urls "http://127.0.0.1:0" --data-dir "$out/workbench" >"$out/workbench.log" 2>&1 &
workbench=$!
url=""
for _ in $(seq 1 60); do
  url=$(sed -n 's|^RapidLlm Workbench: open \(http://127.0.0.1:[0-9]*\) in a browser.*|\1|p' "$out/workbench.log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.5
done
page=$(curl -fsS "$url/" || true)
kill "$workbench" 2>/dev/null || true
wait "$workbench" 2>/dev/null || true
test -n "$url" || { cat "$out/workbench.log" >&2; exit 1; }
grep -q "<title>RapidLlm Workbench</title>" <<<"$page"

# The validation sample explains itself and refuses what it does not know.
validation="dotnet samples/Validation/bin/Release/net10.0/Validation.dll"
$validation --help | grep -q "^Usage: Validation"
set +e
$validation --no-such-flag >/dev/null 2>"$out/val-err.txt"
rc=$?
set -e
test "$rc" -eq 2 && grep -q "unknown argument '--no-such-flag'" "$out/val-err.txt"

# The TensorParallelInference case study fits, and says in one line that the reference's batch of 32 would not.
dotnet samples/TensorParallelInference/bin/Release/net10.0/TensorParallelInference.dll > "$out/tpi.txt"
grep -q "(fits)" "$out/tpi.txt" && grep -q "What-if batch 32 at tp 1: does not fit" "$out/tpi.txt"

# The README's first command fits the GPUs' memory: no over-capacity warning.
$runperf --hardware_config configs/hardware-config/a100_80GB.yaml --model_config configs/model-config/Llama2-7B.yaml \
  --output_dir "$out/first" > "$out/first.txt"
! grep -q "exceeds capacity" "$out/first.txt"

for sample in samples/*/; do
  name=$(basename "$sample")
  [ "$name" = "RunPerf" ] || [ "$name" = "HfToConfig" ] || [ "$name" = "Repl" ] || [ "$name" = "Workbench" ] && continue
  [ -f "$sample/$name.csproj" ] || continue
  dotnet "samples/$name/bin/Release/net10.0/$name.dll" >/dev/null
done
# The C# REPL: a script file, then submissions read from standard input (a line ending in a dot continues).
repl="dotnet samples/Repl/bin/Release/net10.0/Repl.dll"
$repl samples/Repl/tp-sweep.csx >"$out/repl.txt"
grep -q "^Llama-3.1-8B inference on H100, batch 8$" "$out/repl.txt"
grep -q "^Shortest time to first token: tp [0-9]" "$out/repl.txt"
printf '%s\n' 'var run = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).' \
  '    Model(ModelPresets.Llama2_7B.Training(globalBatch: 64, sequenceLength: 4096)).' \
  '    Parallelism(p => p.Tensor(2, sequenceParallel: true).Data(4)).Software(s => s.ZeroStage(1).FullRecomputation()).Build();' \
  'run.EstimateTraining()' \
  | $repl >"$out/repl-stdin.txt"
grep -q "^Training estimate (analytical)$" "$out/repl-stdin.txt" && grep -q "^  time per batch " "$out/repl-stdin.txt"
# .NET 10 file-based scripts (dotnet run file.cs) for quick what-ifs.
for script in samples/scripts/*.cs; do
  (cd samples/scripts && dotnet run "$(basename "$script")" >/dev/null)
done
(cd samples/scripts && dotnet run html-report.cs -- "$out/report.html" >/dev/null)
head -c 15 "$out/report.html" | grep -q '^<!DOCTYPE html>'
echo "samples ok"
