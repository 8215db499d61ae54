using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Hardware;
using RapidLlm.Inference;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Operations;
using RapidLlm.Operations.Moe;

namespace RapidLlm.Simulation;

/// <summary>
/// Estimates serving one batch: prefill over the prompt, then sampled decode steps over a growing KV cache, each timed
/// as a forward-only pipeline graph on the execution backend.
/// </summary>
internal sealed class LlmInferenceEstimator
{
    private static readonly HashSet<string> VocabularyOperators = ["embedding", "linear_softmax"];

    private readonly DeviceModels _device;
    private readonly IExecutionBackend _backend;
    private readonly EnergyAccounting _energyAccounting;
    private readonly SingleStageMicroBatchPolicy _singleStagePolicy;

    /// <summary>Creates the estimator.</summary>
    /// <param name="device">The device's cost models.</param>
    /// <param name="backend">The execution backend; the analytical one when null.</param>
    /// <param name="energyAccounting">Whether energy counts every layer (default) or one layer as the reference does.</param>
    /// <param name="singleStagePolicy">How micro-batches run with one pipeline stage.</param>
    public LlmInferenceEstimator(
        DeviceModels device,
        IExecutionBackend? backend = null,
        EnergyAccounting energyAccounting = EnergyAccounting.AllLayers,
        SingleStageMicroBatchPolicy singleStagePolicy = SingleStageMicroBatchPolicy.Chain)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _backend = backend ?? AnalyticalBackend.Instance;
        _energyAccounting = energyAccounting;
        _singleStagePolicy = singleStagePolicy;
    }

    /// <summary>
    /// Simulate memory over the flattened per-rank graphs even where replaying each GPU's operations in the stage order
    /// gives the same figures (the replay is the default: the same numbers, far faster). For cross-checks.
    /// </summary>
    internal bool FlattenMemory { get; init; }

    /// <summary>Estimates inference of <paramref name="model"/> (a validated inference model, batch per replica).</summary>
    /// <param name="model">The model.</param>
    /// <param name="includeMemory">Also simulate per-GPU memory for prefill and the final decode step.</param>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>), between decode samples and in a backend's external runs.</param>
    public InferenceEstimate Estimate(TransformerConfig model, bool includeMemory = true, CancellationToken cancellationToken = default)
    {
        var (network, plan, baseWorkload, moe, timer) = Setup(model, cancellationToken);
        var hardware = _device.Config;
        var par = hardware.Parallelism;
        var decodeLength = model.DecodeLen ?? 0;
        var phases = new PhaseModels(this, model, baseWorkload, moe, timer, cancellationToken);

        var settings = new InferenceSettings
        {
            SequenceLength = model.SeqLen,
            DecodeLength = decodeLength,
            LayerCount = model.NumLayers,
            BatchSize = model.GlobalBatchSize,
            TransformerBatch = par.Pp > 1 ? (int)plan.EffectiveBatch : null,
            ReplicaCount = Math.Max(1, par.Inference.ReplicaCount),
            PipelineStages = par.Pp,
            SampleEvery = model.SampleEvery,
            CachesKeysAndValues = !model.IsVit,
            KvCacheBytesPerTokenPerLayer = model.IsVit ? 0 : baseWorkload.Model.Mla is { } mla
                ? KvCacheTraffic.LatentBytesPerTokenPerLayer(
                    (int)plan.EffectiveBatch, (int)mla.KvLoraRank, (int)mla.QkRopeHeadDim, hardware.Software.Precision.KvCacheBytes)
                : KvCacheTraffic.BytesPerTokenPerLayer(
                    (int)plan.EffectiveBatch, model.Attention.KvHeads, model.HeadDim, hardware.Software.Precision.KvCacheBytes),
            EnergyCoefficients = EnergyCoefficients.From(_device.Hardware, network.EnergiesPerBitJoules.Count > 0 ? network.EnergiesPerBitJoules[0] : 0),
            EnergyAccounting = _energyAccounting,
            Power = GpuPowerModel.From(hardware),
            GpusPerReplica = Math.Max(1, par.Tp * par.Cp * par.Pp),
        };
        var estimate = _device.Serving is { } engine && _device.Calibration is not null
            ? EstimateServed(model, engine, settings, phases, cancellationToken)
            : InferenceEstimator.Estimate(settings, phases, phases);
        return includeMemory ? estimate with { Memory = EstimateMemory(model, baseWorkload, moe, timer, cancellationToken) } : estimate;
    }

    /// <summary>
    /// The estimate under a serving engine: every iteration pays the engine's host work, the prefill emits the first
    /// token (after the request's overhead), O − 1 decode steps follow; continuous batching prefills one request at a
    /// time and fuses the other requests' prefills into the decode iterations (<see cref="ServingEngineTiming"/>).
    /// </summary>
    private InferenceEstimate EstimateServed(TransformerConfig model, ServingEngineConfig engine, InferenceSettings settings, PhaseModels phases, CancellationToken cancellationToken)
    {
        var step = engine.StepOverheadSeconds;
        var output = settings.DecodeLength;
        var concurrency = settings.BatchSize;
        var continuous = engine.Batching == ServingBatching.Continuous && concurrency > 1 && settings.PrefillLength > 0;
        IPrefillModel prefill = phases;
        var fused = 0.0;
        if (continuous)
        {
            // One request's prefill, and what a prefill fused into a decode iteration shares with it (a batch-1 step).
            var single = Setup(model with { GlobalBatchSize = 1 }, cancellationToken);
            var one = new PhaseModels(this, model, single.PrefillWorkload, single.Moe, single.Timer, cancellationToken);
            prefill = one;
            fused = ServingEngineTiming.FusedPrefillSeconds(
                one.EstimatePrefill(settings.PrefillLength).TimeSeconds, one.EstimateStep(1).TimeSeconds);
        }

        var bare = InferenceEstimator.Estimate(
            settings, new EngineIteration(prefill, step + engine.RequestOverheadSeconds), new EngineIteration(phases, step));
        var steps = ServingEngineTiming.DecodeSteps(output);
        var share = output > 0 ? steps / (double)output : 0;
        var ttft = bare.PrefillSeconds;
        var baseDecode = bare.DecodeSeconds * share;
        var decode = continuous ? ServingEngineTiming.ContinuousDecodeSeconds(ttft, baseDecode, concurrency, fused) : baseDecode;
        // Continuous batching prefills each request on its own: the replica's energy counts all of them.
        var prefillJoules = bare.Energy.PrefillJoules * (continuous ? concurrency : 1);
        var energy = InferenceEnergy.From(prefillJoules, bare.Energy.DecodeJoules * share, settings.EffectiveTransformerBatch,
            settings.PrefillLength, settings.DecodeLength, settings.EnergyAccounting);
        var rates = steps > 0 ? DecodeRates.From(bare.Samples, steps, decode) : null;
        var request = ttft + decode;
        return bare with
        {
            DecodeSeconds = decode,
            TimeToFirstTokenSeconds = ttft,
            Rates = rates,
            Throughput = rates is null ? null : AggregateDecodeThroughput.From(rates, settings.BatchSize, settings.ReplicaCount),
            Energy = energy,
            Serving = new ServingEstimate(
                engine, concurrency, ttft, steps > 0 ? decode / steps : 0, request, decode - baseDecode,
                request > 0 ? concurrency * (double)output / request : 0),
        };
    }

    /// <summary>A prefill or decode step with the engine's host work around it (the GPUs idle through it).</summary>
    private sealed class EngineIteration(object inner, double overheadSeconds) : IPrefillModel, IDecodeStepModel
    {
        public PhaseCost EstimatePrefill(long promptTokens) => Add(((IPrefillModel)inner).EstimatePrefill(promptTokens));

        public PhaseCost EstimateStep(long kvLengthTokens) => Add(((IDecodeStepModel)inner).EstimateStep(kvLengthTokens));

        private PhaseCost Add(PhaseCost cost) => cost with { TimeSeconds = cost.TimeSeconds + overheadSeconds };
    }

    /// <summary>Estimates per-GPU memory only (prefill and final decode peaks), without decode sampling.</summary>
    /// <param name="model">A validated inference model.</param>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>).</param>
    public MemoryEstimate EstimateMemory(TransformerConfig model, CancellationToken cancellationToken = default)
    {
        var setup = Setup(model, cancellationToken);
        return EstimateMemory(model, setup.PrefillWorkload, setup.Moe, setup.Timer, cancellationToken);
    }

    /// <summary>What prefill, decode and memory of one run share: network, batch split, prefill workload, MoE routing.</summary>
    private RunSetup Setup(TransformerConfig model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        cancellationToken.ThrowIfCancellationRequested();
        WorkloadFactory.EnsureSupported(model);
        var hardware = _device.Config;
        var par = hardware.Parallelism;
        var network = NetworkResolution.Resolve(hardware, RunType.Inference);
        var plan = BatchPlan.ForInference(model.GlobalBatchSize, par.Pp, par.MicroBatches);
        var workload = WorkloadFactory.Create(
            hardware, model, network, RunPhase.Prefill, plan.EffectiveBatch, model.SeqLen - (model.DecodeLen ?? 0), plan.MicroBatch);
        return new RunSetup(network, plan, workload, WorkloadFactory.CreateMoe(hardware, model, RunPhase.Prefill),
            _device.CommunicationTimer(network));
    }

    private sealed record RunSetup(
        ResolvedNetwork Network, BatchPlan Plan, TransformerWorkload PrefillWorkload, MoeLayerSpec? Moe, ICommunicationTimer Timer);

    private MemoryEstimate EstimateMemory(TransformerConfig model, TransformerWorkload prefillWorkload, MoeLayerSpec? moe, ICommunicationTimer timer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hardware = _device.Config;
        var decodeLength = model.DecodeLen ?? 0;
        var promptLength = model.SeqLen - decodeLength;
        MemoryEstimator.TimedPass? prefillPass = null, decodePass = null;
        if (promptLength > 0)
        {
            var costs = LayerCostEstimator.Estimate(prefillWorkload, _device.Operations);
            var moeCosts = moe is null ? null : MoeLayerCostEstimator.Estimate(prefillWorkload, moe, _device.Operations);
            var (graph, run) = SimulateForward(model, costs.Nodes, prefillWorkload, timer, step: null, cancellationToken, moeCosts?.Nodes);
            prefillPass = Pass(graph, run, TransformerGraphOps.Build(costs, prefillWorkload), costs.Mode,
                moeCosts is null ? default(EquatableArray<TransformerGraphOp>?) : MoeTransformerGraphOps.Build(moeCosts, prefillWorkload));
        }

        if (decodeLength > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var workload = _device.DecodeWorkload(prefillWorkload with { Phase = RunPhase.Decode, SequenceLength = model.SeqLen });
            var step = DecodeStepEstimator.Estimate(workload, _device.DecodeOperations, model.SeqLen);
            var moeStep = moe is null ? null : MoeDecodeStepEstimator.Estimate(workload, moe, _device.DecodeOperations, model.SeqLen);
            var (graph, run) = SimulateForward(model, step.Nodes, workload with { SequenceLength = 1 }, timer, step: null, cancellationToken, moeStep?.Nodes);
            decodePass = Pass(graph, run, TransformerGraphOps.Build(step, workload.Parallelism), step.Mode,
                moeStep is null ? default(EquatableArray<TransformerGraphOp>?) : MoeTransformerGraphOps.Build(moeStep, workload.Parallelism));
        }

        var input = MemoryModelFactory.Input(hardware, model, RunType.Inference);
        return MemoryEstimator.EstimateInference(input, (int)prefillWorkload.BatchSize, promptLength, model.SeqLen, prefillPass, decodePass);
    }

    // Each GPU's operations replayed in the stage order give the per-rank graph's figures without building it (unless
    // FlattenMemory asks for the per-rank graph, or the replay does not apply).
    private MemoryEstimator.TimedPass Pass(
        ExecutionGraph graph, SimulationResult run, EquatableArray<TransformerGraphOp> ops, ParallelismMode mode, EquatableArray<TransformerGraphOp>? moeOps)
    {
        var hardware = _device.Config;
        ExecutionGraph Flatten() => MemoryModelFactory.Flatten(graph, run.Durations, hardware, RunType.Inference, ops, mode, moeOps);
        return FlattenMemory
            ? new MemoryEstimator.TimedPass(null, null, Flatten)
            : new MemoryEstimator.TimedPass(graph, MemoryModelFactory.FlatteningInputOf(hardware, RunType.Inference, ops, mode, moeOps), Flatten);
    }

    // A backend may price the layer model's collectives itself (AstraSim modes use microbenchmarks, as the reference's
    // network model does); the analytical backend keeps the device's own.
    private OperationCostModels WithBackendCollectives(OperationCostModels models, CancellationToken cancellationToken)
    {
        var collectives = _backend.LayerCollectives(RunType.Inference, models.Collectives, cancellationToken);
        return ReferenceEquals(collectives, models.Collectives) ? models : models with { Collectives = collectives };
    }

    /// <param name="model">The model.</param>
    /// <param name="nodes">Pipeline vertex durations.</param>
    /// <param name="commWorkload">Workload the transfer sizes come from.</param>
    /// <param name="timer">Prices communication.</param>
    /// <param name="step">The layer, handed to the backend's plan; null times the graph analytically (the memory path
    /// needs only a timed graph and never runs the backend, which may be an external simulator).</param>
    /// <param name="cancellationToken">Stops the backend's work.</param>
    /// <param name="moeNodes">Durations of MoE layers, when the model has any.</param>
    private (ExecutionGraph Graph, SimulationResult Run) SimulateForward(
        TransformerConfig model, NodeBreakdown nodes, TransformerWorkload commWorkload, ICommunicationTimer timer, LayerStep? step,
        CancellationToken cancellationToken, NodeBreakdown? moeNodes = null)
    {
        var hardware = _device.Config;
        var comms = PipelineCommSizes.For(commWorkload);
        var input = new PipelineGraphInput
        {
            LayerCount = model.NumLayers,
            VisionBlockNames = model.IsVit,
            PipelineStages = hardware.Parallelism.Pp,
            MicroBatches = hardware.Parallelism.MicroBatches,
            DataParallel = 1,
            TensorParallel = hardware.Parallelism.Tp,
            ContextParallel = hardware.Parallelism.Cp,
            ZeroStage = hardware.Software.DpZeroStage,
            FullRecompute = hardware.Software.FullRecomputation,
            IncludeBackward = false,
            IncludeOptimizer = false,
            SingleStageMicroBatches = _singleStagePolicy,
            // MoE layers run their own forward time; the dense layers keep the dense one.
            MoeLayerMask = moeNodes is null ? EquatableArray<bool>.Empty : model.MoeLayerMask,
            Durations = new PipelineNodeDurations
            {
                EmbeddingForwardSeconds = nodes.EmbeddingForwardSeconds,
                TransformerForwardSeconds = nodes.TransformerForwardSeconds,
                LinearSoftmaxForwardSeconds = nodes.LinearSoftmaxForwardSeconds,
                MoeTransformerForwardSeconds = moeNodes?.TransformerForwardSeconds,
            },
            Communications = new PipelineCommunications
            {
                CrossLayer = new CommunicationSpec(CollectiveKind.PointToPoint, comms.CrossLayerBytes, 2, ParallelismAxis.Pp),
            },
        };
        IExecutionBackend backend = AnalyticalBackend.Instance;
        if (step is not null)
        {
            var plan = _backend.Plan(step, cancellationToken);
            if (plan.Transformer is { } times)
            {
                input = input with { Durations = input.Durations with { TransformerForwardSeconds = times.ForwardSeconds } };
            }

            if (plan.MoeTransformer is { } moeTimes && moeNodes is not null)
            {
                input = input with { Durations = input.Durations with { MoeTransformerForwardSeconds = moeTimes.ForwardSeconds } };
            }

            backend = plan.Pipeline;
        }

        var graph = PipelineGraphBuilder.Build(input);
        return (graph, backend.Execute(graph, timer, cancellationToken));
    }

    /// <summary>The MoE layer of a step: moe_dp ranks per stage beside tp and cp, exchanging over tp × moe_dp.</summary>
    private MoeLayerStep MoeStep(EquatableArray<TransformerGraphOp> ops, MoeLayerSpec moe) =>
        new(ops, Math.Max(1, _device.Config.Parallelism.Inference.MoeDp), moe.RoutingGroup);

    private static PhaseEnergyInputs EnergyOf(IEnumerable<OperationCost> operations, double crossStageBytes)
    {
        var all = operations.ToList();
        var layer = EnergyInputs.FromForward(all.Where(op => !VocabularyOperators.Contains(op.Name)));
        var vocabulary = EnergyInputs.FromForward(all.Where(op => VocabularyOperators.Contains(op.Name)));
        return new PhaseEnergyInputs(
            layer.Flops, layer.DramBytes, layer.CommBytes, vocabulary.Flops, vocabulary.DramBytes, vocabulary.CommBytes, crossStageBytes);
    }

    /// <summary>Prices prefill and decode steps for one configured run.</summary>
    private sealed class PhaseModels(
        LlmInferenceEstimator owner, TransformerConfig model, TransformerWorkload prefillWorkload, MoeLayerSpec? moe,
        ICommunicationTimer timer, CancellationToken cancellationToken)
        : IPrefillModel, IDecodeStepModel
    {
        public PhaseCost EstimatePrefill(long promptTokens)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var workload = prefillWorkload with { SequenceLength = promptTokens };
            var costs = LayerCostEstimator.Estimate(workload, owner.WithBackendCollectives(owner._device.Operations, cancellationToken));
            var moeCosts = moe is null ? null : MoeLayerCostEstimator.Estimate(workload, moe, owner._device.Operations);
            var step = new LayerStep(TransformerGraphOps.Build(costs, workload), costs.Mode, RunType.Inference)
            {
                Moe = moeCosts is null ? null : owner.MoeStep(MoeTransformerGraphOps.Build(moeCosts, workload, exchangesAsCollectives: true), moe!),
            };
            var seconds = owner.SimulateForward(model, costs.Nodes, workload, timer, step, cancellationToken, moeCosts?.Nodes).Run.MakespanSeconds;
            var activationBytes = workload.Precision.Activations;
            var crossStage = workload.BatchSize * promptTokens * workload.Model.HiddenDim * activationBytes;
            var energy = EnergyOf(costs.All().Where(op => EnergyInputs.CountedOperators.Contains(op.Name)), crossStage);
            if (moeCosts is not null)
                energy = owner.WithMoeLayers(energy, moeCosts.All().Where(op => EnergyInputs.CountedOperators.Contains(op.Name)),
                    MoeRouterWork.Forward(workload, moe!, owner._device.Operations, promptTokens), model);
            if (owner._device.Calibration is null) return new PhaseCost(seconds, energy);
            return new PhaseCost(seconds, energy)
            {
                Work = PhysicalWork.Prefill(Shape(workload), workload.Precision, workload.BatchSize, promptTokens, LinkBytes(energy, workload)),
            };
        }

        public PhaseCost EstimateStep(long kvLengthTokens)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var workload = owner._device.DecodeWorkload(prefillWorkload with { Phase = RunPhase.Decode, SequenceLength = model.SeqLen });
            var step = DecodeStepEstimator.Estimate(workload, owner.WithBackendCollectives(owner._device.DecodeOperations, cancellationToken), kvLengthTokens);
            var moeStep = moe is null ? null : MoeDecodeStepEstimator.Estimate(workload, moe, owner._device.DecodeOperations, kvLengthTokens);
            var layer = new LayerStep(TransformerGraphOps.Build(step, workload.Parallelism), step.Mode, RunType.Inference)
            {
                Moe = moeStep is null ? null : owner.MoeStep(MoeTransformerGraphOps.Build(moeStep, workload.Parallelism, exchangesAsCollectives: true), moe!),
            };
            var seconds = owner.SimulateForward(model, step.Nodes, workload with { SequenceLength = 1 }, timer, layer, cancellationToken, moeStep?.Nodes).Run.MakespanSeconds;
            var energy = EnergyOf(step.Operations, step.CrossStageBytes);
            if (moeStep is not null) energy = owner.WithMoeLayers(energy, moeStep.Operations, MoeRouterWork.Forward(workload, moe!, owner._device.Operations, 1), model);
            if (owner._device.Calibration is null) return new PhaseCost(seconds, energy);
            return new PhaseCost(seconds, energy)
            {
                Work = PhysicalWork.DecodeStep(Shape(workload), workload.Precision, workload.BatchSize, kvLengthTokens, LinkBytes(energy, workload)),
            };
        }

        private PhysicalWork.ModelShape Shape(TransformerWorkload workload) => new(workload.Model, model.NumLayers, model.NumMoeLayers, moe);

        // Every rank of a stage sends its collectives' buffers; stage boundaries pass the activations once each.
        private double LinkBytes(PhaseEnergyInputs energy, TransformerWorkload workload)
        {
            var p = workload.Parallelism;
            return (energy.LayerCommBytes * model.NumLayers + energy.VocabularyCommBytes) * p.Tp * p.Cp
                   + energy.CrossStageBytes * Math.Max(0, p.Pp - 1);
        }
    }

    /// <summary>
    /// The reference prices energy from the dense layer only, even for MoE layers (its MoE energy is flagged as a
    /// lower bound, without router, dispatch or combine); that is kept when reproducing it. Counting every layer, MoE
    /// layers contribute their own operators, the router's FLOPs and traffic, and their dispatch/combine traffic,
    /// averaged into the per-layer figures.
    /// </summary>
    private PhaseEnergyInputs WithMoeLayers(PhaseEnergyInputs dense, IEnumerable<OperationCost> moeOperations, EnergyInputs router, TransformerConfig model)
    {
        if (_energyAccounting == EnergyAccounting.ReferenceSingleLayer) return dense;
        var all = moeOperations.ToList();
        var layer = EnergyInputs.FromForward(all.Where(op => !VocabularyOperators.Contains(op.Name)));
        var exchange = all.Where(op => op.Name is "moe_dispatch" or "moe_combine").Sum(op => (double)op.Forward.CommBytes);
        double moeLayers = model.NumMoeLayers, layers = model.NumLayers, denseLayers = layers - moeLayers;
        double Mix(double d, double m) => (d * denseLayers + m * moeLayers) / layers;
        return dense with
        {
            LayerFlops = Mix(dense.LayerFlops, layer.Flops + router.Flops),
            LayerDramBytes = Mix(dense.LayerDramBytes, layer.DramBytes + router.DramBytes),
            LayerCommBytes = Mix(dense.LayerCommBytes, layer.CommBytes + exchange),
        };
    }
}
