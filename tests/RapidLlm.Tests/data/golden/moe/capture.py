# Regenerates the MoE/MLA captures: /usr/bin/python3 capture.py <out_dir> [case ...] against an unmodified 317a2cb
# tree at /work/ref/head (rec_base.py beside it patches the GEMM, roofline and collective primitives to record them).
import sys, os, json, copy, yaml
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rec_base
from rec_base import rec, config, TimeCalculationLLM
from inference_timing import TimeCalculationLLMInference

BASE = '/work/shared/oracle/cases/t_moe8k2_a100_tp2'
hw0 = yaml.safe_load(open(f'{BASE}/hw.head.yaml'))
md0 = yaml.safe_load(open(f'{BASE}/model.head.yaml'))

def case(name, par=None, train=None, moe=None, model=None, sw=None, inference=None):
    hw = copy.deepcopy(hw0); md = copy.deepcopy(md0)
    md['model_param']['num_layers'] = 4
    md['model_param']['seq_len'] = 1024
    if par: hw['parallelism'].update(par)
    if train: hw['parallelism']['train'].update(train)
    if inference: hw['parallelism']['inference'].update(inference)
    if sw: hw['sw_param'].update(sw)
    if moe: md['model_param']['moe'].update(moe)
    if model: md['model_param'].update(model)
    return name, hw, md

CASES = [
    case('M01_single_top1', moe={'top_k': 1}),
    case('M02_tp2_sp'),
    case('M03_tp2_nosp', par={'tp_sp': False}),
    case('M04_ep2', par={'tp': 1, 'tp_sp': False}, train={'ep': 2}),
    case('M05_ep4', par={'tp': 1, 'tp_sp': False}, train={'ep': 4}),
    case('M06_ep2_tp2_sp', train={'ep': 2}),
    case('M07_ep2_tp2_sp_no_tp_ep', train={'ep': 2, 'tp_ep': False}),
    case('M08_ep4_imbalance2', par={'tp': 1, 'tp_sp': False}, train={'ep': 4}, moe={'expert_imbalance_factor': 2.0}),
    case('M09_single_imbalance1p5', par={'tp': 1, 'tp_sp': False}, moe={'expert_imbalance_factor': 1.5}),
    case('M10_dsmoe_like', par={'tp': 1, 'tp_sp': False},
         moe={'num_experts': 64, 'top_k': 6, 'moe_intermediate_size': 1408, 'n_shared_experts': 2, 'first_k_dense_replace': 1},
         model={'hidden_dim': 2048, 'intermediate_size': 10944, 'vocab_size': 102400, 'global_batch_size': 4,
                'attention': {'attention_type': 'mha', 'num_heads': 16, 'kv_heads': None, 'use_flashattention': False, 'attention_tile_size': None}}),
    case('M11_gpt_dp2_ep2', par={'tp': 1, 'tp_sp': False}, train={'ep': 2, 'dp': 2}, model={'model_type': 'gpt'}),
    case('M12_cp2', par={'tp': 1, 'tp_sp': False, 'cp': 2}),
    case('M13_dp2_ep2_gas2_zero1', par={'tp': 1, 'tp_sp': False}, train={'ep': 2, 'dp': 2},
         sw={'dp_zero_stage': 1}, model={'gradient_accumulation_steps': 2, 'global_batch_size': 16}),
    case('M14_pp2_mb2_freq2', par={'tp': 1, 'tp_sp': False, 'pp': 2, 'mb': 2}, moe={'moe_layer_freq': 2}),
    case('M15_tp2_cp2', par={'cp': 2}),
    case('M16_ep2_tp2_sp_imbalance3_shared1', train={'ep': 2}, moe={'expert_imbalance_factor': 3.0, 'n_shared_experts': 1}),
    case('M17_flash_gqa_ep2', par={'tp': 1, 'tp_sp': False}, train={'ep': 2},
         model={'attention': {'attention_type': 'gqa', 'num_heads': 32, 'kv_heads': 8, 'use_flashattention': True, 'attention_tile_size': 128}}),
]

MLA = {'attention_type': 'mla', 'num_heads': 32, 'kv_heads': None, 'use_flashattention': False, 'attention_tile_size': None,
       'q_lora_rank': 1536, 'kv_lora_rank': 512, 'qk_nope_head_dim': 128, 'qk_rope_head_dim': 64, 'v_head_dim': 128}
def mla(**kw):
    a = dict(MLA); a.update(kw); return {'attention': a}
DENSE = {'num_experts': 1, 'top_k': 1}
CASES += [
    case('A01_mla_dense_single', moe=DENSE, par={'tp': 1, 'tp_sp': False}, model=mla()),
    case('A02_mla_dense_tp2', moe=DENSE, par={'tp_sp': False}, model=mla()),
    case('A03_mla_dense_tp2_sp', moe=DENSE, model=mla()),
    case('A04_mla_dense_cp2', moe=DENSE, par={'tp': 1, 'tp_sp': False, 'cp': 2}, model=mla()),
    case('A05_mla_dense_tp2_cp2', moe=DENSE, par={'cp': 2}, model=mla()),
    case('A06_mla_dense_flash', moe=DENSE, par={'tp': 1, 'tp_sp': False}, model=mla(use_flashattention=True, attention_tile_size=128)),
    case('A07_mla_dense_flash_recompute_tp2', moe=DENSE, sw={'full_recomputation': True}, model=mla(use_flashattention=True, attention_tile_size=128)),
    case('A08_mla_dense_dp2_gas2', moe=DENSE, par={'tp': 1, 'tp_sp': False}, train={'dp': 2}, model=dict(mla(), gradient_accumulation_steps=2, global_batch_size=16)),
    case('A09_mla_moe_ep2_deepseek', par={'tp': 1, 'tp_sp': False}, train={'ep': 2},
         moe={'num_experts': 8, 'top_k': 2, 'moe_intermediate_size': 2048, 'n_shared_experts': 1, 'first_k_dense_replace': 1},
         model=dict(mla(), model_type='deepseek_v3')),
]

def timing_dict(tt):
    return {k: v.to_dict() for k, v in tt.items()}

def run(name, hw_d, md_d, out_root):
    d = os.path.join(out_root, name); os.makedirs(d, exist_ok=True)
    yaml.safe_dump(hw_d, open(f'{d}/hw.yaml', 'w'), sort_keys=False)
    yaml.safe_dump(md_d, open(f'{d}/model.yaml', 'w'), sort_keys=False)
    rec.gemm.clear(); rec.roof.clear(); rec.coll.clear()
    hw = config.parse_config(f'{d}/hw.yaml', config_type='hardware')
    model = config.parse_config(f'{d}/model.yaml', config_type='LLM')
    config.validate_configs(hw, model)
    os.makedirs('/tmp/moe_probe/scratch', exist_ok=True)
    tc = TimeCalculationLLM(hw, model, 'LLM', output_dir='/tmp/moe_probe/scratch')
    calls = []
    orig = tc.compute_all_gemm_and_node_times
    def wrapped(batch_size, vocab_size, hidden_dim, seq_len, num_heads, kv_heads, intermediate_size, num_SMs, use_moe_override=None):
        tt, nb = orig(batch_size, vocab_size, hidden_dim, seq_len, num_heads, kv_heads, intermediate_size, num_SMs, use_moe_override=use_moe_override)
        calls.append({'args': {'batch_size': batch_size, 'seq_len': seq_len, 'intermediate_size': intermediate_size},
                      'use_moe': bool(use_moe_override), 'ops': timing_dict(tt), 'node_breakdown': nb})
        return tt, nb
    tc.compute_all_gemm_and_node_times = wrapped
    metas = []
    orig_meta = tc._build_comm_metadata
    def meta(**kw):
        m = orig_meta(**kw)
        metas.append({k: {kk: (vv.value if hasattr(vv, 'value') else vv) for kk, vv in v.items()} for k, v in m.items()})
        return m
    tc._build_comm_metadata = meta
    t = tc.calc_time_llm()
    out = {'train_time_s': t, 'calls': calls, 'comm_metadata': metas[0],
           'optimizer_s': tc.get_data_parallel_reduction_llm(tc.hidden_dim, tc.intermediate_size),
           'effective_batch': tc._effective_transformer_batch(), 'experts_per_rank': tc.experts_per_gpu,
           'primitives': {'gemm': dict(rec.gemm), 'roofline': dict(rec.roof), 'collective': dict(rec.coll),
                          'num_levels': tc.num_levels, 'num_bundles': tc.hw_config.tech_config.core.num_bundles}}
    json.dump(out, open(f'{d}/capture.json', 'w'), indent=0, sort_keys=True)
    print(name, t, flush=True)

if __name__ == '__main__':
    out_root = sys.argv[1]
    only = sys.argv[2:] 
    for name, hw_d, md_d in CASES:
        if only and name not in only: continue
        try:
            run(name, hw_d, md_d, out_root)
        except Exception as e:
            print(name, 'ERROR', type(e).__name__, e, flush=True)
