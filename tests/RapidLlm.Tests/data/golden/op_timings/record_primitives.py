# Regenerates <case>/primitives.json: python3 record_primitives.py op|decode <golden case dir> <out.json>
# (run against an unmodified 317a2cb tree at /work/ref/head with Debian python3 + numpy + PyYAML).
# Records every primitive (GEMM, roofline, collective) result the reference's op-level
# functions use, so the C# op math can be tested independently of the GEMM engine.
import sys, os, json, math, types
sys.path.insert(0, '/work/ref/head')
sys.modules.setdefault('scotchpy', types.ModuleType('scotchpy'))
try:
    import graphviz
except ImportError:
    g = types.ModuleType('graphviz'); g.Digraph = object; sys.modules['graphviz'] = g
os.environ.pop('RAPID_VISUALIZE_GRAPHS', None)
os.environ['RAPID_ASTRA_CACHE_MODE'] = 'NO_CACHE'
import config, base_timing
from train_timing import TimeCalculationLLM
from inference_timing import TimeCalculationLLMInference

def rec_float(x):
    if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
        return repr(x)
    return x

class Recorder:
    def __init__(self):
        self.depth = 0
        self.gemm = {}
        self.roof = {}
        self.coll = {}
rec = Recorder()
orig_gemm = base_timing.TimeCalculation.get_gemm_time
orig_roof = base_timing.TimeCalculation.roofline
orig_coll = base_timing.NetworkModel.collective

def gemm(self, d1, d2, d3, name="", flashattn_enable=False, disable_overhead=False, read_bytes_l2=0, write_bytes_l2=0, original=False):
    rec.depth += 1
    try:
        r = orig_gemm(self, d1, d2, d3, name, flashattn_enable=flashattn_enable, disable_overhead=disable_overhead, read_bytes_l2=read_bytes_l2, write_bytes_l2=write_bytes_l2, original=original)
    finally:
        rec.depth -= 1
    if rec.depth == 0:
        key = f"{int(d1)},{int(d2)},{int(d3)},{int(bool(flashattn_enable))},{int(bool(disable_overhead))},{float(read_bytes_l2)!r},{float(write_bytes_l2)!r}"
        rec.gemm[key] = [r[0]] + [float(a) for a in r[3]]
    return r

def roof(self, flop, mem_access_, name="", util=1, info=False, mem_level=None, flashattn_enable=False):
    rec.depth += 1
    try:
        r = orig_roof(self, flop, mem_access_, name=name, util=util, info=info, mem_level=mem_level, flashattn_enable=flashattn_enable)
    finally:
        rec.depth -= 1
    if rec.depth == 0:
        if isinstance(mem_access_, list):
            raise RuntimeError('list roofline at top level')
        lvl = 0 if mem_level is None else mem_level
        mem_t = int(mem_access_) if isinstance(mem_access_, float) else mem_access_
        key = f"{float(flop)!r},{float(mem_t)!r},{lvl},{float(util)!r}"
        rec.roof[key] = r
    return r

def coll(self, *, kind, size_bytes, participants, ib, ll, local_bytes=0.0, local_ops=0.0, debug_label="", axis=None):
    rec.depth += 1
    try:
        r = orig_coll(self, kind=kind, size_bytes=size_bytes, participants=participants, ib=ib, ll=ll, local_bytes=local_bytes, local_ops=local_ops, debug_label=debug_label, axis=axis)
    finally:
        rec.depth -= 1
    if rec.depth == 0:
        key = f"{kind.value},{float(size_bytes)!r},{int(participants)},{float(ib)!r},{float(ll)!r}"
        rec.coll[key] = rec_float(r)
    return r

base_timing.TimeCalculation.get_gemm_time = gemm
base_timing.TimeCalculation.roofline = roof
base_timing.NetworkModel.collective = coll

def load(case_dir):
    hw = config.parse_config(os.path.join(case_dir, 'hw.yaml'), config_type='hardware')
    model = config.parse_config(os.path.join(case_dir, 'model.yaml'), config_type='LLM')
    config.validate_configs(hw, model)
    return hw, model

def inputs_of(tc):
    return {'h2d_bandwidth': tc.h2d_bandwidth, 'gradient_accumulation_steps': tc.gradient_accumulation_steps,
            'grad_acc_overhead': tc.grad_acc_overhead, 'num_bundles': tc.hw_config.tech_config.core.num_bundles,
            'tied_embeddings': tc.tied_embeddings, 'model_seq_len': tc.seq_len, 'micro_batch': tc.micro_batch,
            'decode_len': getattr(tc.model, 'decode_len', 0), 'effective_batch': tc._effective_transformer_batch(),
            'num_levels': tc.num_levels, 'run_type': tc.run_type}

def run_op_case(case_dir, out):
    res = json.load(open(os.path.join(case_dir, 'result.json')))
    hw, model = load(case_dir)
    inference = res['run_type'] == 'inference'
    cls = TimeCalculationLLMInference if inference else TimeCalculationLLM
    tc = cls(hw, model, 'LLM', output_dir='/tmp/opsprobe/scratch')
    a = res['compute_all_gemm_and_node_times'][0]['args']
    tt, nb = tc.compute_all_gemm_and_node_times(a['batch_size'], a['vocab_size'], a['hidden_dim'], a['seq_len'], a['num_heads'], a['kv_heads'], a['intermediate_size'], a['num_SMs'], use_moe_override=False)
    opt = tc.get_data_parallel_reduction_llm(a['hidden_dim'], a['intermediate_size'])
    extra = {'inputs': inputs_of(tc), 'optimizer': opt, 'node_breakdown': nb,
             'th': tc.th, 'num_levels': tc.num_levels,
             'mem_levels': [[l.get_throughput(), l.get_latency()] for l in tc.mem_layer]}
    return extra

def run_decode_case(case_dir):
    res = json.load(open(os.path.join(case_dir, 'result.json')))
    hw, model = load(case_dir)
    tc = TimeCalculationLLMInference(hw, model, 'LLM', output_dir='/tmp/opsprobe/scratch')
    b = tc._effective_transformer_batch()
    out = []
    for s in res['steps']:
        tt, nb = tc._build_decode_transformer_results(batch_size=b, total_seq_len=s['current_seq_len'], use_moe_layer=False)
        out.append(nb)
    return {'inputs': inputs_of(tc), 'batch': b, 'node_breakdowns': out}

if __name__ == '__main__':
    kind, case_dir, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs('/tmp/opsprobe/scratch', exist_ok=True)
    extra = run_op_case(case_dir, out_path) if kind == 'op' else run_decode_case(case_dir)
    json.dump({'gemm': rec.gemm, 'roofline': rec.roof, 'collective': rec.coll, 'extra': extra}, open(out_path, 'w'), indent=0, sort_keys=True)
