"""Run RAPID-LLM (reference) on one hardware/model pair in-process and print a JSON capture.

Usage: python3 capture.py REF_DIR HW.yaml MODEL.yaml OUT.json  (run from an empty scratch directory)
Prints one JSON object on the last stdout line, after the reference's own output.
"""
import io, json, os, runpy, sys, contextlib, traceback

ref, hw, model, out_path = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4])
sys.path.insert(0, ref)
sys.setrecursionlimit(100000)
import memory_estimation, train_timing, inference_timing

cap = {"memory_sims": [], "train": None, "inference": None, "prefill_energy_j": None}
orig_peak = memory_estimation.MemoryEstimator.simulate_peak
def peak(self, *a, **k):
    r = orig_peak(self, *a, **k)
    cap["memory_sims"].append({"filename": k.get("filename"), "peak_gib": float(r[1])})
    return r
memory_estimation.MemoryEstimator.simulate_peak = peak
orig_train = train_timing.TimeCalculationLLM.calc_time_llm
def train(self):
    t = orig_train(self)
    cap["train"] = {"time_per_batch_s": float(t), "memory_peak_gb": float(getattr(self, "memory_peak_gb", 0) or 0)}
    return t
train_timing.TimeCalculationLLM.calc_time_llm = train
orig_calc_time = inference_timing.TimeCalculationLLMInference.calc_time
def calc_time(self):
    t, e = orig_calc_time(self)
    cap["prefill_energy_j"] = float(e)
    return t, e
inference_timing.TimeCalculationLLMInference.calc_time = calc_time
orig_inf = inference_timing.TimeCalculationLLMInference.calc_total_inference_time
def inf(self):
    r = orig_inf(self)
    cap["inference"] = {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in r.items() if k != "decode_tokens_per_s"}
    return r
inference_timing.TimeCalculationLLMInference.calc_total_inference_time = inf

buf = io.StringIO()
status, error = "ok", None
sys.argv = [os.path.join(ref, "run_perf.py"), "--hardware_config", hw, "--model_config", model]
with contextlib.redirect_stdout(buf):
    try:
        runpy.run_path(os.path.join(ref, "run_perf.py"), run_name="__main__")
    except SystemExit as e:
        if e.code not in (0, None):
            status, error = "error", f"SystemExit {e.code}"
    except BaseException as e:
        status, error = "error", f"{type(e).__name__}: {e}"
cap["status"], cap["error"] = status, error
cap["stdout"] = buf.getvalue().split("\n")
files = {}
for root, _, names in os.walk("output"):
    for n in names:
        if n.endswith(".txt") and ("results" in n or "memory_capacity" in n):
            p = os.path.join(root, n)
            files[os.path.relpath(p, "output")] = open(p).read().split("\n")
cap["files"] = files
open(out_path, "w").write(json.dumps(cap))
