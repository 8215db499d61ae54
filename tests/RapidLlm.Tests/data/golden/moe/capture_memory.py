# Records the reference's per-GPU training peak memory of every captured MoE/MLA training configuration:
# /usr/bin/python3 capture_memory.py <golden moe dir> against an unmodified 317a2cb tree at /work/ref/head.
# Writes memory_peaks.json beside this script: {case: peak_gib}.
import sys, os, json
sys.path.insert(0, '/work/ref/head')
import types
sys.modules.setdefault('scotchpy', types.ModuleType('scotchpy'))
try:
    import graphviz
except ImportError:
    g = types.ModuleType('graphviz'); g.Digraph = object; sys.modules['graphviz'] = g
os.environ['RAPID_ASTRA_CACHE_MODE'] = 'NO_CACHE'
import config
from train_timing import TimeCalculationLLM

root = sys.argv[1]
peaks = {}
for name in sorted(os.listdir(root)):
    d = os.path.join(root, name)
    if not os.path.isfile(os.path.join(d, 'capture.json')):
        continue
    hw = config.parse_config(f'{d}/hw.yaml', config_type='hardware')
    model = config.parse_config(f'{d}/model.yaml', config_type='LLM')
    config.validate_configs(hw, model)
    os.makedirs('/tmp/moe_probe/scratch', exist_ok=True)
    tc = TimeCalculationLLM(hw, model, 'LLM', output_dir='/tmp/moe_probe/scratch')
    try:
        tc.calc_time_llm()
        peaks[name] = tc.memory_peak_gb
    except Exception as e:
        peaks[name] = f'error: {type(e).__name__}: {e}'
    print(name, peaks[name], flush=True)
json.dump(peaks, open(os.path.join(root, 'memory_peaks.json'), 'w'), indent=1, sort_keys=True)
