using RapidLlm.Common;
using RapidLlm.Network;

namespace RapidLlm.Operations;

/// <summary>The workload and device models one costing runs against, with the primitives every operator uses.</summary>
internal sealed class LayerCostContext
{
    public LayerCostContext(TransformerWorkload workload, OperationCostModels models)
    {
        workload.Validate();
        Workload = workload;
        Models = models;
        Parallelism = workload.Parallelism;
        Mode = workload.Parallelism.Mode;
        Overhead = models.KernelOverheadSeconds ?? workload.KernelOverheadSeconds;
        Precision = workload.Precision;
    }

    public TransformerWorkload Workload { get; }
    public OperationCostModels Models { get; }
    public ParallelismDegrees Parallelism { get; }
    public ParallelismMode Mode { get; }
    public PrecisionBytes Precision { get; }
    public TransformerDims Model => Workload.Model;

    /// <summary>Kernel-launch overhead O.</summary>
    public double Overhead { get; }

    public int Tp => Parallelism.Tp;
    public int Cp => Parallelism.Cp;

    /// <summary>DRAM roofline; byte counts are truncated to whole bytes as the reference does for float inputs.</summary>
    public double DramRoofline(double flops, double bytes) =>
        Models.Roofline.Seconds(flops, Math.Truncate(bytes), Models.DramLevel);

    /// <summary>Register-file roofline (the reference's scalar roofline without a level).</summary>
    public double RegisterRoofline(double flops, double bytes) =>
        Models.Roofline.Seconds(flops, Math.Truncate(bytes), 0);

    /// <summary>A GEMM with the kernel overhead included.</summary>
    public GemmCost Gemm(long m, long k, long n) => Models.Gemm.Estimate(m, k, n, includeKernelOverhead: true);

    /// <summary>Time of a GEMM with the kernel overhead included.</summary>
    public double GemmSeconds(long m, long k, long n) => Gemm(m, k, n).TimeSeconds;

    /// <summary>A GEMM without the kernel overhead (attention GEMMs add it once per batched kernel).</summary>
    public GemmCost GemmNoOverhead(long m, long k, long n) => Models.Gemm.Estimate(m, k, n, includeKernelOverhead: false);

    /// <summary>Times one collective on the link of <paramref name="linkAxis"/>.</summary>
    public CollectiveCall Collective(CollectiveKind kind, double bytes, int participants, ParallelismAxis linkAxis)
    {
        var time = Models.Collectives.Seconds(kind, bytes, participants, Workload.Links.For(linkAxis));
        return new CollectiveCall(kind, bytes, participants, linkAxis, time);
    }

    /// <summary>
    /// The extra pass that adds a micro-step's weight gradient into the accumulator (HEAD's <c>_grad_accum_time</c>):
    /// read and write the accumulator and read the new gradient, plus the configured fixed overhead.
    /// </summary>
    public double GradientAccumulationSeconds(double elements)
    {
        if (elements <= 0 || Workload.GradientAccumulationSteps <= 1) return 0.0;
        var bytes = elements * (2.0 * Precision.Gradients + Precision.GradCommunication);
        var time = DramRoofline(0, bytes);
        if (Workload.GradAccumOverheadSeconds != 0) time += Workload.GradAccumOverheadSeconds;
        return time;
    }

    /// <summary>Traffic of a GEMM estimate, level by level.</summary>
    public static MemoryAccessBytes Levels(GemmCost estimate) => new(estimate.AccessBytes);

    /// <summary>Traffic recorded as a single DRAM byte count.</summary>
    public MemoryAccessBytes DramOnly(double bytes) => MemoryAccessBytes.DramOnly(Models.MemoryLevelCount, bytes);

    /// <summary>Wraps zero or one timed collective; a single-rank "collective" is not reported.</summary>
    public static EquatableArray<CollectiveCall> Calls(CollectiveCall? call) =>
        call is { Participants: > 1 } c ? new[] { c } : EquatableArray<CollectiveCall>.Empty;
}
