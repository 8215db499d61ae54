using System.Collections.Concurrent;
using System.Globalization;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;
using RapidLlm.Hardware;
using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Network;

namespace RapidLlm.Search;

/// <summary>
/// Finds the fastest configuration that fits: every parallel layout of a model on a number of GPUs, each estimated
/// with per-GPU memory, ranked by an objective, with the Pareto front of time against memory.
/// </summary>
/// <remarks>
/// <para>
/// Training candidates are every tp, cp, pp, dp, ep (MoE models), micro-batch count, ZeRO stage (with dp &gt; 1) and
/// recompute choice (full or selective) with tp·cp·pp·dp·ep = GPUs that the model's shape allows: tp up to
/// <see cref="SearchOptions.MaxTensorParallel"/> dividing the attention heads (and fitting the KV heads), cp dividing the
/// sequence, pp dividing the layers, dp (× ep) dividing the batch per step, micro-batches dividing the batch per
/// data-parallel rank; optionally the pipeline schedule (<see cref="SearchOptions.SearchSchedules"/>). Inference
/// candidates are every tp, cp, pp and replica count with tp·cp·pp·replicas = GPUs, at each per-replica batch.
/// Tensor-parallel candidates run with sequence parallelism unless <see cref="SearchOptions.SequenceParallel"/> says
/// otherwise (the template's <c>tp_sp</c> is replaced with the rest of its parallelism). The hardware's other settings
/// (network, precision, gradient sync, backend) are kept.
/// </para>
/// <para>
/// Each candidate is a simulation built from the template (validated like any other; rejected ones are counted in
/// <see cref="SearchResult.Rejected"/>), all sharing one set of device cost models and GEMM memo. Candidates whose
/// memory lower bound already exceeds the capacity are skipped before they are timed. The result is the same, in the
/// same order, on any number of threads, and equals estimating each candidate alone.
/// </para>
/// </remarks>
public static class ParallelismSearch
{
    /// <summary>Runs a search.</summary>
    /// <param name="template">The hardware and model (files or presets, with any network or software changes); its parallelism is replaced.</param>
    /// <param name="options">The GPUs, the objective and the limits on each axis.</param>
    /// <param name="progress">Told after every candidate, in order, from the estimating threads; null for none.</param>
    /// <param name="cancellationToken">Stops the search: no candidate starts after it is cancelled.</param>
    /// <returns>The ranked candidates of the options' shard.</returns>
    /// <exception cref="Configuration.ConfigurationException">The template's files or changes are invalid.</exception>
    /// <exception cref="SearchSpaceException">No candidate is possible; the message names the axis with no valid value.</exception>
    /// <exception cref="ArgumentException">An option is out of range, or the objective does not apply to the run type.</exception>
    /// <exception cref="OperationCanceledException">The search was cancelled.</exception>
    public static SearchResult Run(
        LlmSimulationBuilder template, SearchOptions options, IProgress<SearchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var plan = Plan(template, options);
        if (plan.Model.RunType == RunType.Training && options.Objective == SearchObjective.TimeToFirstToken)
            throw new ArgumentException("The objective ttft (time to first token) ranks inference runs; this model is a training run (rank by time or throughput).");
        var slice = Enumerable.Range(0, plan.Points.Count).Where(options.Shard.Contains).ToArray();
        var outcomes = new Outcome[slice.Length];
        var reporter = new Reporter(progress, slice.Length);
        var device = new Lazy<DeviceModels>(() => new DeviceModels(plan.Template.Hardware), LazyThreadSafetyMode.ExecutionAndPublication);
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount,
        };
        try
        {
            // Costliest first (longest-processing-time order), handed out one at a time: a few candidates whose memory
            // needs the flattened per-rank graph take seconds each and would otherwise finish last on one core. Each
            // outcome is stored at its own index, so the order of work changes no result.
            var order = Enumerable.Range(0, slice.Length).OrderByDescending(i => CostWeight(plan.Points[slice[i]])).ThenBy(i => i).ToArray();
            Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), parallel, i =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outcome = Evaluate(plan, plan.Points[slice[i]], hardware => device.Value.For(hardware), cancellationToken);
                outcomes[i] = outcome;
                reporter.Done(outcome.Candidate?.Fits == true);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            throw e.InnerExceptions[0];
        }

        cancellationToken.ThrowIfCancellationRequested();
        var candidates = outcomes.Where(o => o.Candidate is not null).Select(o => o.Candidate!).ToList();
        if (slice.Length > 0 && candidates.Count == 0 && outcomes.All(o => o.Rejection is not null) && options.Shard.IsWhole)
            throw new SearchSpaceException("gpus", "gpus: every candidate was rejected; the first: " + outcomes[0].Rejection);
        var objective = options.ObjectiveFor(plan.Model.RunType);
        return new SearchResult(
            plan.Model.RunType, options.Gpus, objective, options.Shard,
            new EquatableArray<SearchCandidate>(SearchRanking.Rank(candidates, objective)),
            candidates.Count, candidates.Count(c => c.Fits), outcomes.Count(o => o.Pruned), outcomes.Count(o => o.Rejection is not null),
            plan.Parameters, plan.CapacityBytes, options.MemoryHeadroom) { Fingerprint = SearchFingerprint.Of(plan.Template, options) };
    }

    /// <summary>The whole candidate list of a search (every shard), in its fixed order, without estimating anything.</summary>
    /// <param name="template">The hardware and model.</param>
    /// <param name="options">The GPUs and the limits on each axis (the shard is ignored).</param>
    /// <returns>The points.</returns>
    /// <exception cref="SearchSpaceException">No candidate is possible.</exception>
    public static IReadOnlyList<SearchPoint> Candidates(LlmSimulationBuilder template, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        return Plan(template, options).Points;
    }

    /// <summary>Estimates one point of a search alone, exactly as the search does.</summary>
    /// <param name="template">The hardware and model.</param>
    /// <param name="point">The configuration.</param>
    /// <param name="memoryHeadroom">The fraction of memory kept free for <see cref="SearchCandidate.Fits"/>.</param>
    /// <returns>The candidate.</returns>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>).</param>
    /// <exception cref="Configuration.ConfigurationException">The configuration is invalid.</exception>
    public static SearchCandidate Estimate(LlmSimulationBuilder template, SearchPoint point, double memoryHeadroom = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(point);
        point = point.Normalized();
        var plan = Plan(template, new SearchOptions { Gpus = point.Gpus, MemoryHeadroom = memoryHeadroom, PruneByMemoryBound = false }, enumerate: false);
        var simulation = Simulation(plan, point, null);
        return Estimate(plan, point, simulation, cancellationToken);
    }

    /// <summary>The simulation of one point: the template with the point's parallelism, ZeRO stage, recompute and batch.</summary>
    /// <param name="template">The hardware and model.</param>
    /// <param name="point">The configuration.</param>
    /// <returns>The validated simulation.</returns>
    /// <exception cref="Configuration.ConfigurationException">The configuration is invalid.</exception>
    public static LlmSimulation Simulation(LlmSimulationBuilder template, SearchPoint point)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(point);
        return Simulation(Plan(template, new SearchOptions { Gpus = point.Gpus }, enumerate: false), point.Normalized(), null);
    }

    /// <summary>
    /// A rough relative cost of estimating a point: its pipeline graph grows with the micro-batches, and ZeRO-3 over
    /// several ranks per stage simulates memory over the per-rank graph, which also grows with the ranks.
    /// </summary>
    private static long CostWeight(SearchPoint point)
    {
        var ranks = (long)point.TensorParallel * point.ContextParallel * point.ExpertParallel;
        var graph = (long)Math.Max(1, point.MicroBatches) * (point.FullRecompute ? 3 : 2);
        return point.ZeroStage >= 3 && ranks > 1 ? graph * ranks * 64 : graph;
    }

    // The messages are sentences for users (the command line prints them as they are), so they carry no parameter name.
    private static void Check(SearchOptions options)
    {
        if (GpusProblem(options.Gpus) is { } gpus) throw new ArgumentException(gpus);
        if (!(options.MemoryHeadroom >= 0 && options.MemoryHeadroom < 1))
            throw new ArgumentException($"MemoryHeadroom must be in [0, 1) (got {options.MemoryHeadroom}).");
        if (options.MaxTensorParallel < 1) throw new ArgumentException($"MaxTensorParallel must be at least 1 (got {options.MaxTensorParallel}).");
        if (options.MaxDegreeOfParallelism is < 1) throw new ArgumentException("MaxDegreeOfParallelism must be at least 1.");
        if (options.Shard.Count < 1 || options.Shard.Index < 1 || options.Shard.Index > options.Shard.Count)
            throw new ArgumentException($"Shard {options.Shard} needs 1 ≤ index ≤ count.");
    }

    /// <summary>Why a GPU count cannot be searched (below 1, or more devices than one run may model), or null.</summary>
    internal static string? GpusProblem(long gpus) =>
        gpus is >= 1 and <= ConfigRanges.MaxDevices
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"gpus must be between 1 and {ConfigRanges.MaxDevices:N0}, the most devices one run may model (got {gpus}).");

    private static SearchPlan Plan(LlmSimulationBuilder builder, SearchOptions options, bool enumerate = true)
    {
        var template = builder.Template();
        if (template.Model.Transformer is not { } model || template.Model.Mode is not (ModelMode.Llm or ModelMode.Vit))
            throw new ArgumentException($"A search needs an LLM or ViT model; this model is {template.Model.Mode}.", nameof(builder));
        var device = HardwareDerivation.Derive(template.Hardware);
        var capacity = template.Hardware.Technology.Dram.SizeBytes;
        var points = enumerate ? SearchSpace.Enumerate(template.Hardware, model, options) : [];
        return new SearchPlan(template, model, options, points, ModelFlops.ParameterCount(model), capacity,
            CandidateFigures.PeakFlopsPerSecond(device, template.Hardware), device);
    }

    private static Outcome Evaluate(SearchPlan plan, SearchPoint point, Func<HardwareConfig, DeviceModels> device, CancellationToken cancellationToken)
    {
        LlmSimulation simulation;
        try
        {
            simulation = Simulation(plan, point, device);
        }
        catch (ConfigurationException e)
        {
            return new Outcome(null, false, point + ": " + e.Message);
        }

        if (plan.Options.PruneByMemoryBound && plan.UsableBytes is var usable
            && MemoryLowerBound.Bytes(simulation.Hardware, simulation.Model.Transformer!, simulation.SingleStagePolicy) > usable)
        {
            return new Outcome(null, true, null);
        }

        try
        {
            return new Outcome(Estimate(plan, point, simulation, cancellationToken), false, null);
        }
        catch (Exception e) when (e is UnsupportedFeatureException or ConfigurationException)
        {
            // An estimate can still refuse a configuration (an unsupported feature, a model-math check).
            return new Outcome(null, false, point + ": " + e.Message);
        }
    }

    private static LlmSimulation Simulation(SearchPlan plan, SearchPoint point, Func<HardwareConfig, DeviceModels>? device)
    {
        var template = plan.Template;
        var hardware = template.Hardware;
        var par = hardware.Parallelism;
        var training = point.RunType == RunType.Training;
        var varied = hardware with
        {
            Parallelism = par with
            {
                Tp = point.TensorParallel,
                TpSp = point.SequenceParallel && point.TensorParallel > 1,
                Cp = point.ContextParallel,
                Pp = point.PipelineStages,
                MicroBatches = point.MicroBatches,
                Train = par.Train with { Dp = point.DataParallel, Ep = point.ExpertParallel },
                Inference = par.Inference with { ReplicaCount = point.Replicas },
                Schedule = point.Schedule,
            },
            Software = training
                ? hardware.Software with { DpZeroStage = point.ZeroStage, FullRecomputation = point.FullRecompute }
                : hardware.Software,
        };
        var model = training
            ? template.Model
            : template.Model with { Transformer = plan.Model with { GlobalBatchSize = point.Batch, BatchScope = BatchScope.PerReplica } };
        return LlmSimulationBuilder.Variation(template, varied, model, device).Build();
    }

    private static SearchCandidate Estimate(SearchPlan plan, SearchPoint point, LlmSimulation simulation, CancellationToken cancellationToken) =>
        Figures(simulation, point, new FigureContext(plan.Parameters, plan.PeakFlopsPerSecond, plan.Device, plan.Options.MemoryHeadroom), cancellationToken);

    /// <summary>The device and model figures every candidate of one search shares.</summary>
    internal sealed record FigureContext(long Parameters, double PeakFlopsPerSecond, HardwareModel Device, double Headroom)
    {
        public static FigureContext Of(HardwareConfig hardware, TransformerConfig model, double headroom)
        {
            var device = HardwareDerivation.Derive(hardware);
            return new FigureContext(ModelFlops.ParameterCount(model), CandidateFigures.PeakFlopsPerSecond(device, hardware), device, headroom);
        }
    }

    /// <summary>Estimates a simulation with memory and turns the estimate into a candidate.</summary>
    internal static SearchCandidate Figures(LlmSimulation simulation, SearchPoint point, FigureContext context, CancellationToken cancellationToken = default)
    {
        var model = simulation.Model.Transformer!;
        var peakFlops = context.PeakFlopsPerSecond * point.Gpus;
        var network = NetworkResolution.Resolve(simulation.Hardware, point.RunType);
        var coefficients = EnergyCoefficients.From(context.Device, network.EnergiesPerBitJoules.Count > 0 ? network.EnergiesPerBitJoules[0] : 0);
        if (point.RunType == RunType.Training)
        {
            var estimate = simulation.EstimateTraining(cancellationToken: cancellationToken);
            var time = estimate.TimePerBatchSeconds;
            var tokens = (double)model.GlobalBatchSize * model.SeqLen;
            var (peak, capacity, fits) = Memory(context.Headroom, estimate.Memory!);
            return new SearchCandidate(
                point, time, null, null, tokens / time, tokens * ModelFlops.TrainingFlopsPerToken(model) / time / peakFlops,
                context.Parameters, peak, capacity, fits, CandidateFigures.TrainingJoules(estimate, model, point, coefficients));
        }

        var inference = simulation.EstimateInference(cancellationToken: cancellationToken);
        var sequences = (double)point.Batch * point.Replicas;
        var total = inference.TotalSeconds;
        var generated = inference.Throughput?.OverallTokensPerSecond
            ?? sequences * (model.SeqLen - (model.DecodeLen ?? 0)) / inference.PrefillSeconds;
        var (p, c, f) = Memory(context.Headroom, inference.Memory!);
        var mfu = sequences * model.SeqLen * ModelFlops.ForwardFlopsPerToken(model, model.SeqLen) / total / peakFlops;
        return new SearchCandidate(point, null, total, inference.TimeToFirstTokenSeconds, generated, mfu, context.Parameters, p, c, f,
            inference.Energy.TotalJoules * point.Replicas);
    }

    private static (double Peak, double Capacity, bool Fits) Memory(double headroom, MemoryEstimate memory)
    {
        var report = memory.Report;
        var peak = report.PeakGib * DeviceMemory.BytesPerGib;
        var capacity = report.CapacityGib is { } gib ? gib * DeviceMemory.BytesPerGib : double.PositiveInfinity;
        // Without headroom, fitting is exactly the estimate's own verdict.
        var fits = headroom == 0 ? report.Fits : peak <= capacity * (1 - headroom);
        return (peak, capacity, fits);
    }

    private sealed record SearchPlan(
        SimulationTemplate Template, TransformerConfig Model, SearchOptions Options, IReadOnlyList<SearchPoint> Points, long Parameters,
        double CapacityBytes, double PeakFlopsPerSecond, HardwareModel Device)
    {
        public double UsableBytes => CapacityBytes * (1 - Options.MemoryHeadroom);
    }

    private sealed record Outcome(SearchCandidate? Candidate, bool Pruned, string? Rejection);

    /// <summary>Counts finished candidates and reports them in order (one report per candidate, under a lock).</summary>
    private sealed class Reporter(IProgress<SearchProgress>? progress, int total)
    {
        private readonly Lock _gate = new();
        private int _completed;
        private int _feasible;

        public void Done(bool feasible)
        {
            lock (_gate)
            {
                _completed++;
                if (feasible) _feasible++;
                progress?.Report(new SearchProgress(_completed, total, _feasible));
            }
        }
    }
}
