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
            # A multi-level roofline is the slowest single-level one; record each level so the C# side can replay it.
            for i, b in enumerate(mem_access_):
                rec.depth += 1
                t = orig_roof(self, flop, b, name=name, util=util, mem_level=i)
                rec.depth -= 1
                rec.roof[f"{float(flop)!r},{float(int(b))!r},{i},{float(util)!r}"] = t
            return r
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

