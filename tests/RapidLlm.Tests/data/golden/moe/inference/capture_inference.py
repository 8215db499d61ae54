# Regenerates the MoE/MLA inference captures: /usr/bin/python3 capture_inference.py <out_dir> [case ...] against an
# unmodified 317a2cb tree at /work/ref/head (../rec_base.py patches the GEMM, roofline and collective primitives).
# Each case records prefill (its per-layer calls), every sampled decode step (per-op timings of the dense and MoE
# layer), the phase totals, energy, and the memory data and peaks of the prefill and final-decode graphs.
import sys, os, json, copy, yaml
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import rec_base
from rec_base import rec, config
import memory_estimation
from inference_timing import TimeCalculationLLMInference

BASE = '/work/shared/oracle/cases/i_moe8k2_a100_tp2'
hw0 = yaml.safe_load(open(f'{BASE}/hw.head.yaml'))
md0 = yaml.safe_load(open(f'{BASE}/model.head.yaml'))

def case(name, par=None, inference=None, moe=None, model=None, sw=None, sample_every=None):
    hw = copy.deepcopy(hw0); md = copy.deepcopy(md0)
    md['model_param']['num_layers'] = 4
    md['model_param']['seq_len'] = 1024
    md['model_param']['decode_len'] = 256
    if par: hw['parallelism'].update(par)
    if inference: hw['parallelism']['inference'].update(inference)
    if sw: hw['sw_param'].update(sw)
    if moe: md['model_param']['moe'].update(moe)
    if model: md['model_param'].update(model)
    if sample_every: md['inference_param'] = {'sample_every': sample_every}
    return name, hw, md

MLA = {'attention_type': 'mla', 'num_heads': 32, 'kv_heads': None, 'use_flashattention': False, 'attention_tile_size': None,
       'q_lora_rank': 1536, 'kv_lora_rank': 512, 'qk_nope_head_dim': 128, 'qk_rope_head_dim': 64, 'v_head_dim': 128}
def mla(**kw):
    a = dict(MLA); a.update(kw); return {'attention': a}
DENSE = {'num_experts': 1, 'top_k': 1}
ONE = {'tp': 1, 'tp_sp': False}

CASES = [
    case('I01_moe_single', par=ONE),
    case('I02_moe_tp2', sample_every=64),
    case('I03_moe_moedp2', par=ONE, inference={'moe_dp': 2}),
    case('I04_moe_tp2_moedp2_sp', par={'tp_sp': True}, inference={'moe_dp': 2}),
    case('I05_moe_tp2_imbalance_shared_firstdense', moe={'expert_imbalance_factor': 2.0, 'n_shared_experts': 1, 'first_k_dense_replace': 1}),
    case('I06_moe_gpt_pp2_freq2', par={'tp': 1, 'tp_sp': False, 'pp': 2, 'mb': 2}, moe={'moe_layer_freq': 2}, model={'model_type': 'gpt'}),
    case('I07_mla_dense_single', par=ONE, moe=DENSE, model=mla()),
    case('I08_mla_dense_tp2', moe=DENSE, model=mla(), sample_every=128),
    case('I09_mla_dense_cp2', par={'tp': 1, 'tp_sp': False, 'cp': 2}, moe=DENSE, model=mla()),
    case('I10_mla_dense_tp2_flash', moe=DENSE, model=mla(use_flashattention=True, attention_tile_size=128)),
    case('I11_deepseek_v3_tp2', moe={'num_experts': 8, 'top_k': 2, 'moe_intermediate_size': 2048, 'n_shared_experts': 1, 'first_k_dense_replace': 1},
         model=dict(mla(), model_type='deepseek_v3')),
    case('I12_deepseek_v3_moedp2', par=ONE, inference={'moe_dp': 2},
         moe={'num_experts': 8, 'top_k': 2, 'moe_intermediate_size': 2048, 'n_shared_experts': 1, 'first_k_dense_replace': 1},
         model=dict(mla(), model_type='deepseek_v3')),
]

def timing_dict(tt):
    return {k: v.to_dict() for k, v in tt.items()}

def plain(x):
    if isinstance(x, dict): return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)): return [plain(v) for v in x]
    if isinstance(x, (int, float, str, bool)) or x is None: return x
    if hasattr(x, 'value'): return x.value
    return repr(x)

def run(name, hw_d, md_d, out_root):
    d = os.path.join(out_root, name); os.makedirs(d, exist_ok=True)
    yaml.safe_dump(hw_d, open(f'{d}/hw.yaml', 'w'), sort_keys=False)
    yaml.safe_dump(md_d, open(f'{d}/model.yaml', 'w'), sort_keys=False)
    rec.gemm.clear(); rec.roof.clear(); rec.coll.clear()
    hw = config.parse_config(f'{d}/hw.yaml', config_type='hardware')
    model = config.parse_config(f'{d}/model.yaml', config_type='LLM')
    config.validate_configs(hw, model)
    os.makedirs('/tmp/moe_probe/scratch', exist_ok=True)
    prefill_calls, decode_calls, memory = [], [], []
    C = TimeCalculationLLMInference
    orig_all, orig_dec = C.compute_all_gemm_and_node_times, C._build_decode_transformer_results
    def wrapped_all(self, batch_size, vocab_size, hidden_dim, seq_len, num_heads, kv_heads, intermediate_size, num_SMs, use_moe_override=None):
        tt, nb = orig_all(self, batch_size, vocab_size, hidden_dim, seq_len, num_heads, kv_heads, intermediate_size, num_SMs, use_moe_override=use_moe_override)
        prefill_calls.append({'args': {'batch_size': batch_size, 'seq_len': seq_len, 'intermediate_size': intermediate_size},
                              'use_moe': bool(use_moe_override), 'ops': timing_dict(tt), 'node_breakdown': nb})
        return tt, nb
    def wrapped_dec(self, *, batch_size, total_seq_len, use_moe_layer, gemm_shapes=None):
        tt, nb = orig_dec(self, batch_size=batch_size, total_seq_len=total_seq_len, use_moe_layer=use_moe_layer, gemm_shapes=gemm_shapes)
        decode_calls.append({'batch_size': batch_size, 'total_seq_len': total_seq_len, 'use_moe': bool(use_moe_layer),
                             'ops': timing_dict(tt), 'node_breakdown': nb})
        return tt, nb
    M = memory_estimation.MemoryEstimator
    orig_data, orig_peak = M.build_memory_data, M.simulate_peak
    def wrapped_data(self, **kw):
        r = orig_data(self, **kw)
        memory.append({'kind': 'data', 'args': plain(kw), 'data': plain(r)})
        return r
    def wrapped_peak(self, *a, **kw):
        r = orig_peak(self, *a, **kw)
        memory.append({'kind': 'peak', 'filename': kw.get('filename'), 'peak_gib': r[1]})
        return r
    C.compute_all_gemm_and_node_times, C._build_decode_transformer_results = wrapped_all, wrapped_dec
    M.build_memory_data, M.simulate_peak = wrapped_data, wrapped_peak
    try:
        tc = TimeCalculationLLMInference(hw, model, 'LLM', output_dir='/tmp/moe_probe/scratch')
        prefill_time, prefill_energy = tc.calc_time()
        decode_time, decode_energy, samples = tc.calc_decode_time()
    finally:
        C.compute_all_gemm_and_node_times, C._build_decode_transformer_results = orig_all, orig_dec
        M.build_memory_data, M.simulate_peak = orig_data, orig_peak
    out = {'prefill_s': prefill_time, 'prefill_energy_j': prefill_energy, 'decode_s': decode_time, 'decode_energy_j': decode_energy,
           'total_s': prefill_time + decode_time,
           'ttft_s': prefill_time + (samples[0].execution_time if samples else 0.0),
           'samples': [{'step': s.step_id, 'kv_len': s.current_seq_len, 'time_s': s.execution_time, 'energy_j': s.execution_energy} for s in samples],
           'peak_mem_gib': tc.memory_peak_gb, 'memory': memory,
           'prefill_calls': prefill_calls, 'decode_calls': decode_calls,
           'effective_batch': tc._effective_transformer_batch(), 'experts_per_rank': tc.experts_per_gpu if tc.use_moe else 0,
           'primitives': {'gemm': dict(rec.gemm), 'roofline': dict(rec.roof), 'collective': dict(rec.coll),
                          'num_levels': tc.num_levels, 'num_bundles': tc.hw_config.tech_config.core.num_bundles}}
    json.dump(out, open(f'{d}/capture.json', 'w'), indent=0, sort_keys=True)
    print(name, out['total_s'], out['peak_mem_gib'], flush=True)

if __name__ == '__main__':
    out_root = sys.argv[1]
    only = sys.argv[2:]
    for name, hw_d, md_d in CASES:
        if only and name not in only: continue
        try:
            run(name, hw_d, md_d, out_root)
        except Exception as e:
            import traceback; traceback.print_exc()
            print(name, 'ERROR', type(e).__name__, e, flush=True)
