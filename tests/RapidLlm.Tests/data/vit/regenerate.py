"""Regenerates the ViT differential cases (differential/<id>/hw.yaml, model.yaml) and differential/expected.json by
running the reference RAPID-LLM on each of them.

    python3 regenerate.py --ref /path/to/rapid-llm-317a2cb

Each case is a base hardware and model file (oracle/ or bases/) with a few YAML paths overridden; the reference runs
from an empty scratch folder through capture_reference.py, which records its printed lines, result files and
full-precision values. Needs Debian's python3 with numpy, pandas, yaml, networkx and pydot (what the reference needs).
"""
import argparse, json, os, shutil, subprocess, sys, tempfile
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_TRAIN = "oracle/v_base_train_b64"      # DINOv3-style ViT-B/16, 256 px, batch 64, 1 GPU
BASE_7B_TRAIN = "oracle/v_7b_train_tp4_pp2_dp2"
BASE_INF = "oracle/v_base_inf_1gpu"          # ViT-B/16 classifier, 224 px, batch 1
BASE_7B_INF = "oracle/v_7b_inf_tp2"
A100_3DIM = "bases/a100_3dim.yaml"           # tp/cp/ep on 100 GB, pp/dp on 25 GB
H100_2DIM = "bases/h100_2dim.yaml"

def case(id, base, hw=None, model=None, hw_file=None, desc=""):
    return {"id": id, "base": base, "hw_file": hw_file, "hw": hw or {}, "model": model or {}, "desc": desc}

VIT = {"model_param.model_type": "vit", "model_param.vocab_size": 1000, "model_param.vision.image_size": 224}
MLA = {"model_param.attention.attention_type": "mla", "model_param.attention.kv_lora_rank": 128,
       "model_param.attention.q_lora_rank": 256, "model_param.attention.qk_nope_head_dim": 64,
       "model_param.attention.qk_rope_head_dim": 32, "model_param.attention.v_head_dim": 64}
FLASH = {"model_param.attention.use_flashattention": True, "model_param.attention.attention_tile_size": 128}

CASES = [
    # training
    case("vt_tp2_sp", BASE_TRAIN, {"parallelism.tp": 2, "parallelism.tp_sp": True}, desc="tp 2 with sequence parallelism"),
    case("vt_tp4_nosp_flash", BASE_TRAIN, {"parallelism.tp": 4}, FLASH, desc="tp 4, flash"),
    case("vt_cp2", BASE_TRAIN, {"parallelism.cp": 2}, desc="cp 2 (odd token count)"),
    case("vt_tp2_cp2_flash", BASE_TRAIN, {"parallelism.tp": 2, "parallelism.cp": 2}, FLASH, desc="tp×cp hybrid, flash"),
    case("vt_pp2_mb4_dp2", BASE_TRAIN, {"parallelism.pp": 2, "parallelism.mb": 4, "parallelism.train.dp": 2}, desc="pp 2 × mb 4 × dp 2"),
    case("vt_pp5_mb5_uneven", BASE_TRAIN, {"parallelism.pp": 5, "parallelism.mb": 5}, {"model_param.global_batch_size": 20}, desc="12 layers on 5 stages"),
    case("vt_dp2_zero2", BASE_TRAIN, {"parallelism.train.dp": 2, "sw_param.dp_zero_stage": 2}, desc="ZeRO-2"),
    case("vt_dp4_zero3_flash", BASE_TRAIN, {"parallelism.train.dp": 4, "sw_param.dp_zero_stage": 3}, FLASH, desc="ZeRO-3, flash"),
    case("vt_dp2_gas2_zero1", BASE_TRAIN, {"parallelism.train.dp": 2, "sw_param.dp_zero_stage": 1}, {"model_param.gradient_accumulation_steps": 2}, desc="gradient accumulation"),
    case("vt_recompute_flash", BASE_TRAIN, {"sw_param.full_recomputation": True}, FLASH, desc="full recompute, flash"),
    case("vt_recompute_dp2_every_mb", BASE_TRAIN, {"sw_param.full_recomputation": True, "parallelism.train.dp": 2, "parallelism.pp": 2, "parallelism.mb": 2, "sw_param.dp_microbatch": "every_mb"}, desc="recompute, every-micro-batch sync"),
    case("vt_batch1", BASE_TRAIN, None, {"model_param.global_batch_size": 1}, desc="batch 1"),
    case("vt_vit_img384_p32", BASE_TRAIN, None, {**VIT, "model_param.vision.image_size": 384, "model_param.vision.patch_size": 32}, desc="ViT classifier, 384 px, patch 32"),
    case("vt_vit_rect", BASE_TRAIN, {"parallelism.tp": 2, "parallelism.tp_sp": True}, {**VIT, "model_param.vision.image_size": [224, 320], "model_param.vision.patch_size": [16, 32]}, desc="rectangular image and patch"),
    case("vt_vit_seq300", BASE_TRAIN, None, {**VIT, "model_param.seq_len": 300}, desc="explicit seq_len above the token count"),
    case("vt_vit_headless", BASE_TRAIN, {"parallelism.train.dp": 2}, {**VIT, "model_param.vocab_size": 0}, desc="ViT without classifier"),
    case("vt_dinov3_classifier_seq", BASE_TRAIN, {"parallelism.cp": 2}, {"model_param.vocab_size": 1000, "model_param.seq_len": 270}, desc="DINOv3 with a classifier, explicit seq_len, cp 2"),
    case("vt_gqa", BASE_TRAIN, {"parallelism.tp": 2}, {"model_param.attention.attention_type": "gqa", "model_param.attention.kv_heads": 4}, desc="grouped-query attention"),
    case("vt_mla_flash", BASE_TRAIN, None, {**MLA, **FLASH}, desc="latent attention, flash"),
    case("vt_h2d", BASE_TRAIN, {"sw_param.h2d_bandwidth": 32e9}, desc="host-to-device copy of the images"),
    case("vt_untied_classifier_zero3_pp2", BASE_TRAIN, {"sw_param.dp_zero_stage": 3, "parallelism.train.dp": 2, "parallelism.pp": 2, "parallelism.mb": 2}, {"model_param.tied_embeddings": False, "model_param.vocab_size": 1000}, desc="untied flag (a ViT head is never tied), ZeRO-3 gathers across two stages"),
    case("vt_zero2_pp2_tp2_sp", BASE_TRAIN, {"sw_param.dp_zero_stage": 2, "parallelism.train.dp": 2, "parallelism.pp": 2, "parallelism.mb": 2, "parallelism.tp": 2, "parallelism.tp_sp": True}, desc="ZeRO-2 with pp and tp+sp"),
    case("vt_gas4_pp2_mb4", BASE_TRAIN, {"parallelism.pp": 2, "parallelism.mb": 4}, {"model_param.gradient_accumulation_steps": 4}, desc="four accumulation steps on two stages"),
    case("vt_7b_a100_3dim", BASE_7B_TRAIN, {"parallelism.tp": 2, "parallelism.tp_sp": True, "parallelism.pp": 2, "parallelism.mb": 4, "parallelism.train.dp": 2}, FLASH, hw_file=A100_3DIM, desc="7B on three network dimensions, recompute, ZeRO-1"),
    case("vt_7b_h100_tp8", BASE_7B_TRAIN, {"parallelism.tp": 8, "parallelism.tp_sp": True, "parallelism.pp": 1, "parallelism.mb": 1, "parallelism.train.dp": 1}, {"model_param.global_batch_size": 32}, hw_file=H100_2DIM, desc="7B on H100, tp 8"),
    # inference
    case("vi_b64_flash", BASE_INF, None, {"model_param.global_batch_size": 64, **FLASH}, desc="batch 64, flash"),
    case("vi_tp4_sp", BASE_INF, {"parallelism.tp": 4, "parallelism.tp_sp": True}, {"model_param.global_batch_size": 16}, desc="tp 4 with sequence parallelism"),
    case("vi_cp2", BASE_INF, {"parallelism.cp": 2}, {"model_param.global_batch_size": 8}, desc="cp 2"),
    case("vi_tp2_cp2_flash", BASE_INF, {"parallelism.tp": 2, "parallelism.cp": 2}, {"model_param.global_batch_size": 8, **FLASH}, desc="tp×cp, flash"),
    case("vi_tp2_cp2_sp", BASE_INF, {"parallelism.tp": 2, "parallelism.cp": 2, "parallelism.tp_sp": True}, {"model_param.global_batch_size": 4}, desc="tp×cp with sp (pooled vectors all-reduced over cp)"),
    case("vi_pp2_mb2", BASE_INF, {"parallelism.pp": 2, "parallelism.mb": 2}, {"model_param.global_batch_size": 8}, desc="pp 2 × mb 2 (warning)"),
    case("vi_replicas4", BASE_INF, {"parallelism.inference.replica_count": 4}, {"model_param.global_batch_size": 32}, desc="four replicas"),
    case("vi_img518_p14_flash", BASE_INF, None, {"model_param.vision.image_size": 518, "model_param.vision.patch_size": 14, "model_param.global_batch_size": 4, "model_param.attention.use_flashattention": True, "model_param.attention.attention_tile_size": 64}, desc="518 px, patch 14, flash tile 64"),
    case("vi_headless_b16", BASE_INF, None, {"model_param.vocab_size": 0, "model_param.global_batch_size": 16}, desc="ViT without classifier"),
    case("vi_mla", BASE_INF, {"parallelism.tp": 2}, {**MLA, "model_param.global_batch_size": 4}, desc="latent attention, tp 2"),
    case("vi_7b_tp8_flash", BASE_7B_INF, {"parallelism.tp": 8}, {"model_param.global_batch_size": 8, **FLASH}, desc="7B, tp 8, flash"),
    case("vi_7b_a100_3dim_pp2", BASE_7B_INF, {"parallelism.tp": 2, "parallelism.tp_sp": False, "parallelism.pp": 2, "parallelism.mb": 1, "parallelism.train.dp": 1, "sw_param.full_recomputation": False, "sw_param.dp_zero_stage": 0}, {"model_param.global_batch_size": 4}, hw_file=A100_3DIM, desc="7B on three network dimensions, pp 2"),
    case("vi_7b_h100_headless", BASE_7B_INF, {"parallelism.tp": 4}, {"model_param.global_batch_size": 16, "model_param.vision.image_size": 224}, hw_file=H100_2DIM, desc="7B DINOv3 on H100, 224 px"),
]

def load(path):
    with open(os.path.join(HERE, path)) as f:
        return yaml.safe_load(f)

def apply(doc, overrides):
    for key, value in overrides.items():
        node = doc
        parts = key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value

def kept(lines):
    # Timing-dependent and empty lines are not compared.
    return [l for l in lines if l.strip() and "wall-clock" not in l]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ref", required=True, help="the reference's source tree (317a2cb)")
    args = parser.parse_args()
    out_root = os.path.join(HERE, "differential")
    os.makedirs(out_root, exist_ok=True)
    expected = {"source": "RAPID-LLM 317a2cb run_perf.py on these files (analytical); values at full precision", "cases": []}
    for c in CASES:
        folder = os.path.join(out_root, c["id"])
        os.makedirs(folder, exist_ok=True)
        hw = load(c["hw_file"] or c["base"] + "/hw.yaml")
        model = load(c["base"] + "/model.yaml")
        apply(hw, c["hw"]); apply(model, c["model"])
        for name, doc in (("hw.yaml", hw), ("model.yaml", model)):
            with open(os.path.join(folder, name), "w") as f:
                f.write(f"# {c['id']}: {c['desc']} (generated by regenerate.py)\n")
                yaml.safe_dump(doc, f, sort_keys=False)
        scratch = tempfile.mkdtemp()
        capture = os.path.join(scratch, "capture.json")
        subprocess.run([sys.executable, os.path.join(HERE, "capture_reference.py"), args.ref,
                        os.path.join(folder, "hw.yaml"), os.path.join(folder, "model.yaml"), capture],
                       cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
        with open(capture) as f:
            cap = json.load(f)
        shutil.rmtree(scratch)
        if cap["status"] != "ok":
            raise SystemExit(f"{c['id']}: the reference failed: {cap['error']}")
        entry = {"id": c["id"], "desc": c["desc"], "kind": "training" if cap["train"] else "inference",
                 "expected_stdout_lines": kept(cap["stdout"]),
                 "expected_file_lines": kept(sum((lines for name, lines in sorted(cap["files"].items())), [])),
                 "peak_gib": max(m["peak_gib"] for m in cap["memory_sims"])}
        if cap["train"]:
            entry["time_per_batch_s"] = cap["train"]["time_per_batch_s"]
        else:
            inf = cap["inference"]
            entry.update({"total_s": inf["total_inference_time"], "prefill_s": inf["prefill_time"],
                          "ttft_s": inf["time_to_first_token"], "prefill_energy_j": cap["prefill_energy_j"]})
        expected["cases"].append(entry)
        print(c["id"], entry.get("time_per_batch_s", entry.get("total_s")), entry["peak_gib"])
    with open(os.path.join(out_root, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")

if __name__ == "__main__":
    main()
