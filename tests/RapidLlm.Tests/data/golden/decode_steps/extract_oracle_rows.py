"""Copies the oracle's head inference rows that our orchestration can replay into a test fixture.

Rows with two decode samples (sample_every -1) are fully determined by the first and last step times, so the decode
integral, rates, throughput and printed RESULTS lines can be replayed; decode_len 0 rows exercise the skip path.
Reads /work/shared/oracle (results.csv and cases/<id>/model.head.yaml); writes
tests/RapidLlm.Tests/data/golden/decode_steps/oracle_inference_rows.json. Run from the repository root.
"""
import csv
import json
import os

import yaml

ORACLE = os.environ.get("RAPID_ORACLE", "/work/shared/oracle")
OUT = "tests/RapidLlm.Tests/data/golden/decode_steps/oracle_inference_rows.json"


def main():
    rows = []
    with open(os.path.join(ORACLE, "results.csv")) as f:
        for r in csv.DictReader(f):
            if r["version"] != "head" or r["kind"] != "inference" or r["status"] != "ok":
                continue
            if r["n_decode_samples"] not in ("2", ""):
                continue
            with open(os.path.join(ORACLE, "cases", r["case_id"], "model.head.yaml")) as m:
                model = yaml.safe_load(m)["model_param"]
            seq_len = int(model["seq_len"])
            decode_len = int(model["decode_len"])
            layers = int(model["num_layers"])
            prefill_len = seq_len - decode_len
            # Bytes per token position per layer, recovered from a store counter (the other counters stay independent checks).
            if decode_len > 0:
                token_bytes = float(r["kv_decode_store_bytes"]) / (decode_len * layers)
            else:
                token_bytes = float(r["kv_prefill_store_bytes"]) / (prefill_len * layers)

            def num(key):
                return float(r[key]) if r[key] != "" else None

            rows.append({
                "case": r["case_id"],
                "seq_len": seq_len,
                "decode_len": decode_len,
                "num_layers": layers,
                "batch_size": int(float(r["inf_batch"])),
                "replica_count": int(float(r["inf_replicas"])),
                "kv_token_bytes": token_bytes,
                "prefill_s": num("prefill_s"),
                "decode_s": num("decode_s"),
                "total_s": num("inf_total_s"),
                "ttft_s": num("ttft_s"),
                "first_step_s": num("decode_first_step_s"),
                "last_step_s": num("decode_last_step_s"),
                "rate_start": num("decode_rate_start"),
                "rate_mid": num("decode_rate_mid"),
                "rate_end": num("decode_rate_end"),
                "rate_overall": num("decode_rate_overall"),
                "agg_start": num("agg_tok_s_start"),
                "agg_mid": num("agg_tok_s_mid"),
                "agg_end": num("agg_tok_s_end"),
                "energy_prefill_j": num("energy_prefill_j"),
                "energy_decode_j": num("energy_decode_j"),
                "kv_prefill_store_bytes": num("kv_prefill_store_bytes"),
                "kv_decode_store_bytes": num("kv_decode_store_bytes"),
                "kv_decode_fetch_bytes": num("kv_decode_fetch_bytes"),
                "printed_results": r["printed_results"].split(" | "),
            })
    with open(OUT, "w") as f:
        json.dump({"source": "oracle/results.csv (head rows) + cases/<id>/model.head.yaml", "rows": rows}, f, indent=1)
    print(len(rows), "rows")


if __name__ == "__main__":
    main()
