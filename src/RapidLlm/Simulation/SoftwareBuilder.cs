using RapidLlm.Configuration;

namespace RapidLlm.Simulation;

/// <summary>Changes the software settings (<c>sw_param</c>) of the chosen hardware; anything not set keeps the hardware's value.</summary>
public sealed class SoftwareBuilder
{
    private int? _zeroStage;
    private bool? _recompute;
    private double? _overhead;
    private DpMicrobatchSync? _sync;

    /// <summary>ZeRO stage 0-3 (<c>dp_zero_stage</c>).</summary>
    /// <param name="stage">0 replicates everything; 1 shards optimizer states, 2 also gradients, 3 also weights.</param>
    public SoftwareBuilder ZeroStage(int stage)
    {
        _zeroStage = stage;
        return this;
    }

    /// <summary>Recompute all activations in backward (<c>full_recomputation</c>).</summary>
    /// <param name="enabled">Default true when called.</param>
    public SoftwareBuilder FullRecomputation(bool enabled = true)
    {
        _recompute = enabled;
        return this;
    }

    /// <summary>Fixed cost added per kernel (<c>kernel_launch_overhead</c>), ≥ 0.</summary>
    /// <param name="seconds">Seconds per kernel.</param>
    public SoftwareBuilder KernelLaunchOverhead(double seconds)
    {
        _overhead = seconds;
        return this;
    }

    /// <summary>When data-parallel gradients are synchronised (<c>dp_microbatch</c>).</summary>
    /// <param name="sync">Every micro-batch or only the last.</param>
    public SoftwareBuilder GradientSync(DpMicrobatchSync sync)
    {
        _sync = sync;
        return this;
    }

    internal SoftwareConfig Apply(SoftwareConfig software, List<ConfigDiagnostic> problems)
    {
        var result = software;
        if (_zeroStage is { } z && z is < 0 or > 3) problems.Add(BuilderDiagnostics.Error("sw_param.dp_zero_stage", z, "must be 0, 1, 2 or 3"));
        else if (_zeroStage is { } stage) result = result with { DpZeroStage = stage };
        if (_overhead is { } o && !(o >= 0)) problems.Add(BuilderDiagnostics.Error("sw_param.kernel_launch_overhead", o, "must be ≥ 0 seconds"));
        else if (_overhead is { } seconds) result = result with { KernelLaunchOverheadSeconds = seconds };
        if (_recompute is { } r) result = result with { FullRecomputation = r };
        if (_sync is { } s) result = result with { DpMicrobatch = s };
        return result;
    }
}
