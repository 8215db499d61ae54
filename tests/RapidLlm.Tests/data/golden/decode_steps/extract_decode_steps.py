"""Builds the compact inference parity fixtures used by tests/RapidLlm.Tests/Inference.

Reads the reference goldens under /work/shared/golden (decode_steps and the matching prefill op_timings cases)
and writes one JSON per decode case into tests/RapidLlm.Tests/data/golden/decode_steps/. The tests read only
those copies. Run from the repository root: python3 tests/RapidLlm.Tests/data/golden/decode_steps/extract_decode_steps.py
"""
import json
import os
import sys

import yaml

GOLDEN = os.environ.get("RAPID_GOLDEN", "/work/shared/golden")
OUT = "tests/RapidLlm.Tests/data/golden/decode_steps"

# Operators summed by the reference energy model, split into per-layer ones and the vocabulary pair
# (embedding + LM head) that exists once per model.
LAYER_OPS = ("ffn1", "gelu", "ffn2", "layernorm1", "layernorm2", "qkv_proj", "attention", "output_proj")
VOCAB_OPS = ("embedding", "linear_softmax")


def energy_inputs(transformer_results, cross_bytes):
    def sums(names):
        flops = dram = comm = 0.0
        for name in names:
            op = transformer_results.get(name)
            if op is None:
                continue
            fwd = op["forward"]
            flops += float(fwd["flops"])
            dram += float(fwd["memory_accesses"].get("L3", 0.0))
            comm += float(fwd["comm_bytes"])
        return flops, dram, comm

    lf, ld, lc = sums(LAYER_OPS)
    vf, vd, vc = sums(VOCAB_OPS)
    return {
        "layer_flops": lf, "layer_dram_bytes": ld, "layer_comm_bytes": lc,
        "vocabulary_flops": vf, "vocabulary_dram_bytes": vd, "vocabulary_comm_bytes": vc,
        "cross_stage_bytes": float(cross_bytes),
    }


def prefill_source(prefill_energy):
    """Finds the op_timings prefill case whose calc_time energy is the decode case's prefill energy."""
    base = os.path.join(GOLDEN, "op_timings")
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name, "result.json")
        if not name.startswith("I") or not os.path.exists(path):
            continue
        with open(path) as f:
            r = json.load(f)
        if r.get("prefill_energy_J") == prefill_energy:
            return name, r
    return None, None


def coefficients(hw):
    tech = hw["tech_param"]
    return {
        "joules_per_flop": float(tech["core"]["nominal_energy_per_flop"]),
        "dram_joules_per_bit": float(tech["DRAM"]["dynamic_energy_per_bit"]),
        "network_joules_per_bit": float(hw["network"]["dimensions"][0]["topology"]["energy_per_bit"]),
    }


def write_prefill_energy_cases():
    """Every inference prefill in op_timings: calc_energy inputs and the energy the reference returned."""
    base = os.path.join(GOLDEN, "op_timings")
    cases = []
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name, "result.json")
        if not name.startswith("I") or not os.path.exists(path):
            continue
        with open(path) as f:
            r = json.load(f)
        with open(os.path.join(base, name, "hw.yaml")) as f:
            hw = yaml.safe_load(f)
        call = r["compute_all_gemm_and_node_times"][0]
        energy_call = r["prefill_energy_calls"][0]
        cases.append(dict({
            "case": name,
            "num_layers": int(r["tc_summary"]["num_layers"]),
            "pp": int(r["tc_summary"]["pp"]),
            "energy_J": energy_call["energy_J"],
            "energy_inputs": energy_inputs(call["transformer_results"], energy_call["cross_layer_comm_bytes"]),
        }, **coefficients(hw)))
    with open(os.path.join(OUT, "prefill_energy_cases.json"), "w") as f:
        json.dump({"source": "golden/op_timings/I*/result.json (calc_time prefill)", "cases": cases}, f, indent=1)
    print("prefill energy cases", len(cases))


def main():
    os.makedirs(OUT, exist_ok=True)
    write_prefill_energy_cases()
    base = os.path.join(GOLDEN, "decode_steps")
    for case in sorted(os.listdir(base)):
        path = os.path.join(base, case, "result.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            r = json.load(f)
        with open(os.path.join(base, case, "hw.yaml")) as f:
            hw = yaml.safe_load(f)
        with open(os.path.join(base, case, "model.yaml")) as f:
            model = yaml.safe_load(f)
        tc = r["tc_summary"]
        tech = hw["tech_param"]
        dims = hw["network"]["dimensions"]
        seq_len = int(tc["seq_len"])
        decode_len = int(model["model_param"]["decode_len"])
        sample_every = int(model.get("inference_param", {}).get("sample_every", -1))
        batch = int(tc["effective_transformer_batch"])
        kv_bytes = float(tc["precision"]["kv_cache"])
        token_bytes = batch * int(tc["kv_heads"]) * int(tc["head_dim"]) * kv_bytes * 2
        prefill_name, prefill = prefill_source(r["prefill_energy_J"])
        prefill_inputs = None
        if prefill is not None:
            call = prefill["compute_all_gemm_and_node_times"][0]
            prefill_inputs = energy_inputs(call["transformer_results"],
                                           prefill["prefill_energy_calls"][0]["cross_layer_comm_bytes"])
        steps = []
        for s in r["steps"]:
            steps.append({
                "step_id": s["step_id"],
                "kv_len": s["current_seq_len"],
                "time_s": s["execution_time"],
                "energy_J": s["execution_energy"],
                "energy_inputs": energy_inputs(s["transformer_results"], s["calc_energy_call"]["cross_layer_comm_bytes"]),
            })
        doc = {
            "case": case,
            "source": "golden/decode_steps/%s/result.json; prefill energy inputs from golden/op_timings/%s" % (case, prefill_name),
            "settings": {
                "seq_len": seq_len,
                "decode_len": decode_len,
                "sample_every": sample_every,
                "num_layers": int(tc["num_layers"]),
                "pp": int(tc["pp"]),
                "transformer_batch": batch,
                "batch_size": int(tc["batch_size"]),
                "replica_count": int(tc["replica_count"]),
                "kv_token_bytes": token_bytes,
                "execution_mode": tc["execution_mode"],
                "joules_per_flop": float(tech["core"]["nominal_energy_per_flop"]),
                "dram_joules_per_bit": float(tech["DRAM"]["dynamic_energy_per_bit"]),
                "network_joules_per_bit": float(dims[0]["topology"]["energy_per_bit"]),
            },
            "prefill": {
                "time_s": r["inference_result"]["prefill_time"],
                "energy_J": r["prefill_energy_J"],
                "energy_inputs": prefill_inputs,
            },
            "steps": steps,
            "expected": dict(r["inference_result"], prefill_energy_J=r["prefill_energy_J"],
                             decode_energy_J=r["decode_energy_J"]),
            "stdout": r["stdout"],
        }
        with open(os.path.join(OUT, case + ".json"), "w") as f:
            json.dump(doc, f, indent=1)
        print(case, "prefill from", prefill_name, "steps", len(steps))


if __name__ == "__main__":
    sys.exit(main())
