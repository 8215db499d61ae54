using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Execution;
using RapidLlm.Graphs;
using RapidLlm.Hardware;
using RapidLlm.Memory;
using RapidLlm.Network;
using RapidLlm.Operations;
using RapidLlm.Operations.Moe;
using RapidLlm.Results;

namespace RapidLlm.Simulation;

/// <summary>
/// Estimates one training step: costs a transformer layer, builds the pipeline graph in the configured schedule (GPipe,
/// 1F1B or interleaved 1F1B) with data-parallel and ZeRO traffic, and lets the execution backend time it. Gradient accumulation runs the graph without data-parallel traffic
/// for all but the last accumulation step.
/// </summary>
internal sealed class TrainingEstimator
{
    private readonly DeviceModels _device;
    private readonly IExecutionBackend _backend;
    private readonly SingleStageMicroBatchPolicy _singleStagePolicy;

    /// <summary>Creates the estimator.</summary>
    /// <param name="device">The device's cost models.</param>
    /// <param name="backend">The execution backend; the analytical one when null.</param>
    /// <param name="singleStagePolicy">How micro-batches run with one pipeline stage (the reference drops all but the first).</param>
    public TrainingEstimator(DeviceModels device, IExecutionBackend? backend = null, SingleStageMicroBatchPolicy singleStagePolicy = SingleStageMicroBatchPolicy.Chain)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _backend = backend ?? AnalyticalBackend.Instance;
        _singleStagePolicy = singleStagePolicy;
    }

    /// <summary>
    /// Simulate memory over the flattened per-rank graph even where replaying each GPU's operations in the stage order
    /// gives the same figures (the replay is the default: the same numbers, far faster). For cross-checks.
    /// </summary>
    internal bool FlattenMemory { get; init; }

    /// <summary>Estimates the training step of <paramref name="model"/> on the estimator's hardware.</summary>
    /// <param name="model">A validated training model.</param>
    /// <param name="includeMemory">Also simulate per-GPU memory over the per-rank graph (the slower part for large pipelines).</param>
    /// <param name="cancellationToken">Stops the estimate (<see cref="OperationCanceledException"/>), including a backend's external runs.</param>
    public TrainingEstimate Estimate(TransformerConfig model, bool includeMemory = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        cancellationToken.ThrowIfCancellationRequested();
        WorkloadFactory.EnsureSupported(model);
        var hardware = _device.Config;
        var par = hardware.Parallelism;
        var software = hardware.Software;
        var network = NetworkResolution.Resolve(hardware, RunType.Training);
        var dp = par.Train.Dp;
        // With MoE the expert-parallel ranks also split the batch, like data-parallel replicas of the dense weights.
        var ep = model.UsesMoe ? Math.Max(1, par.Train.Ep) : 1;
        var batch = BatchPlan.ForTraining(model.GlobalBatchSize, model.GradientAccumulationSteps, dp * ep, par.Pp, par.MicroBatches, _singleStagePolicy);
        var workload = WorkloadFactory.Create(hardware, model, network, RunPhase.Training, batch.EffectiveBatch, model.SeqLen, batch.MicroBatch);

        // A backend may price the layer model's collectives itself (AstraSim modes use microbenchmarks, as the
        // reference's network model does); the analytical backend keeps the device's own.
        var collectives = _backend.LayerCollectives(RunType.Training, _device.Operations.Collectives, cancellationToken);
        var operations = ReferenceEquals(collectives, _device.Operations.Collectives) ? _device.Operations : _device.Operations with { Collectives = collectives };
        var layer = LayerCostEstimator.Estimate(workload, operations);
        var comms = PipelineCommSizes.For(workload);
        ICommunicationTimer timer = _device.CommunicationTimer(network);
        // With sequence parallelism each tp rank holds 1/tp of the activation and sends only its shard to its peer on the
        // next stage (calibrated model). Without it the ranks hold replicas and one full send is priced, as in the
        // reference: Megatron-LM's optional scatter/gather split did not improve the Megatron-LM suite (3.8 vs 3.7 %).
        if (_device.Calibration is not null && workload.Parallelism.TensorSequenceParallel)
            timer = new ShardedPipelineSendTimer(timer, par.Tp);
        var moeSpec = WorkloadFactory.CreateMoe(hardware, model, RunPhase.Training);
        // The calibrated model updates every parameter of a stage; the reference prices one layer's tensors.
        var optimizer = operations.Calibrated is { } calibrated
            ? calibrated.OptimizerSeconds(workload, model.NumLayers, moeSpec, model.NumMoeLayers, operations.KernelOverheadSeconds ?? 0)
            : OptimizerCost.Seconds(workload, operations);
        var moe = moeSpec is null
            ? null
            : new MoeParts(MoeLayerCostEstimator.Estimate(workload, moeSpec, _device.Operations), MoeGradientSyncSizes.For(workload, moeSpec, ep), ep);

        var input = PipelineInput(model, software, par.Pp, par.MicroBatches, dp, par.Tp, par.Cp, layer.Nodes, optimizer, comms, moe);
        var step = new LayerStep(TransformerGraphOps.Build(layer, workload), layer.Mode, RunType.Training)
        {
            // MoE layers run their own chain, the exchanges as all-to-alls over the ep ranks.
            Moe = moe is null ? null : new MoeLayerStep(MoeTransformerGraphOps.Build(moe.Layer, workload, exchangesAsCollectives: true), ep, moeSpec!.RoutingGroup),
        };
        var plan = _backend.Plan(step, cancellationToken);
        input = WithTransformerTimes(input, plan.Transformer, plan.MoeTransformer);
        var backend = plan.Pipeline;

        var pipeline = PipelineGraphBuilder.Build(input);
        var last = backend.Execute(pipeline, timer, cancellationToken);
        MemoryEstimate? memory = null;
        if (includeMemory)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var moeOps = moe is null ? default(EquatableArray<TransformerGraphOp>?) : MoeTransformerGraphOps.Build(moe.Layer, workload);
            memory = Memory(model, (int)batch.EffectiveBatch, pipeline, last.Durations, step.Ops, layer.Mode, moeOps);
        }

        double accumulationStep = 0;
        var steps = model.GradientAccumulationSteps;
        if (steps > 1)
        {
            // The steps before the last run without data-parallel traffic and without the optimizer.
            var noDp = input with { DataParallel = 1, IncludeOptimizer = false };
            accumulationStep = backend.Execute(PipelineGraphBuilder.Build(noDp), timer, cancellationToken).MakespanSeconds;
        }

        var total = accumulationStep * (steps - 1) + last.MakespanSeconds;
        var stageBusy = last.DeviceBusySeconds.Take(par.Pp).ToArray();
        var gpus = par.Tp * par.Cp * par.Pp * dp * ep;
        return new TrainingEstimate(
            total, last.MakespanSeconds, accumulationStep, steps, gpus, _backend.Name,
            batch.EffectiveBatch, par.MicroBatches, optimizer, new EquatableArray<double>(stageBusy), memory)
        {
            Layer = layer,
            Energy = GpuPowerModel.From(hardware) is { } power ? Energy(power, model, workload, layer, moeSpec, total, gpus, dp * ep) : null,
        };
    }

    // Per-GPU memory: each GPU's operations replayed in the stage order give the per-rank graph's figures without
    // building it; the flattened graph is built only where the replay cannot stand in for it (or when asked to).
    private MemoryEstimate Memory(
        TransformerConfig model, int batch, ExecutionGraph pipeline, VertexDurations durations, EquatableArray<TransformerGraphOp> ops,
        ParallelismMode mode, EquatableArray<TransformerGraphOp>? moeOps)
    {
        var hardware = _device.Config;
        var memoryInput = MemoryModelFactory.Input(hardware, model, RunType.Training);
        ExecutionGraph Flatten() => MemoryModelFactory.Flatten(pipeline, durations, hardware, RunType.Training, ops, mode, moeOps);
        return FlattenMemory
            ? MemoryEstimator.EstimateTraining(memoryInput, batch, model.SeqLen, Flatten())
            : MemoryEstimator.EstimateTraining(memoryInput, batch, model.SeqLen, pipeline,
                MemoryModelFactory.FlatteningInputOf(hardware, RunType.Training, ops, mode, moeOps), Flatten);
    }

    // The calibrated energy of the step: the analytical work of every GPU, priced by the power model.
    private static TrainingEnergy Energy(
        GpuPowerModel power, TransformerConfig model, TransformerWorkload workload, LayerOperationCosts layer, MoeLayerSpec? moe,
        double seconds, int gpus, int replicas)
    {
        var p = workload.Parallelism;
        var microBatches = (double)model.GlobalBatchSize / Math.Max(1, replicas) / Math.Max(1, workload.MicroBatchSize);
        var layerComm = layer.All().Sum(op => (double)op.Forward.CommBytes + (op.Backward?.CommBytes ?? 0));
        var shape = new PhysicalWork.ModelShape(workload.Model, model.NumLayers, model.NumMoeLayers, moe);
        var parameters = shape.LayerParameters + shape.VocabularyParameters;
        double tokens = (double)model.GlobalBatchSize * model.SeqLen;
        var link = layerComm * model.NumLayers * p.Tp * p.Cp * microBatches * replicas
                   + 2.0 * Math.Max(0, replicas - 1) * parameters * workload.Precision.GradCommunication
                   + 2.0 * Math.Max(0, p.Pp - 1) * tokens * workload.Model.HiddenDim * workload.Precision.Activations;
        var work = PhysicalWork.TrainingStep(shape, workload.Precision, tokens, model.SeqLen, replicas, microBatches,
            workload.FullRecomputation, p.ZeroStage >= 1 && replicas > 1, link);
        var joules = power.Joules(seconds, gpus, work);
        return new TrainingEnergy(joules, seconds > 0 ? joules / (gpus * seconds) : 0, work.Flops, work.HbmBytes, work.LinkBytes);
    }

    // A backend's own layer times replace the analytical ones in every transformer vertex of the pipeline graph (the
    // reference writes AstraSim's there), and the MoE layer's times those of the MoE layers' vertices.
    private static PipelineGraphInput WithTransformerTimes(PipelineGraphInput input, LayerTimes? times, LayerTimes? moeTimes)
    {
        var durations = input.Durations;
        if (times is not null)
        {
            durations = durations with { TransformerForwardSeconds = times.ForwardSeconds, TransformerBackwardSeconds = times.BackwardSeconds };
        }

        if (moeTimes is not null)
        {
            durations = durations with { MoeTransformerForwardSeconds = moeTimes.ForwardSeconds, MoeTransformerBackwardSeconds = moeTimes.BackwardSeconds };
        }

        return input with { Durations = durations };
    }

    private PipelineGraphInput PipelineInput(
        TransformerConfig model, SoftwareConfig software, int pp, int microBatches, int dp, int tp, int cp,
        NodeBreakdown nodes, double optimizerSeconds, PipelineCommSizes comms, MoeParts? moe)
    {
        CommunicationSpec Sync(double bytes) => new(comms.GradientSyncKind, bytes, dp, ParallelismAxis.Dp);
        CommunicationSpec? EpSync(double bytes) =>
            moe is { ExpertParallel: > 1 } && bytes > 0
                ? new CommunicationSpec(comms.GradientSyncKind, Math.Ceiling(bytes), moe.ExpertParallel, ParallelismAxis.Ep)
                : null;
        CommunicationSpec? Gather(int stage, double bytes, bool tpShard = false) =>
            comms.ZeroStage == stage && bytes > 0 ? new CommunicationSpec(CollectiveKind.AllGather, bytes, dp, ParallelismAxis.Dp, tpShard) : null;

        return new PipelineGraphInput
        {
            LayerCount = model.NumLayers,
            VisionBlockNames = model.IsVit,
            PipelineStages = pp,
            Schedule = _device.Config.Parallelism.Schedule,
            MicroBatches = microBatches,
            DataParallel = dp,
            TensorParallel = tp,
            ContextParallel = cp,
            ZeroStage = software.DpZeroStage,
            FullRecompute = software.FullRecomputation,
            DataParallelSync = software.DpMicrobatch == DpMicrobatchSync.LastMicrobatch
                ? DataParallelSyncMode.LastMicroBatch
                : DataParallelSyncMode.EveryMicroBatch,
            IncludeBackward = true,
            IncludeOptimizer = true,
            SingleStageMicroBatches = _singleStagePolicy,
            ExpertParallel = moe?.ExpertParallel ?? 1,
            MoeLayerMask = moe is null ? EquatableArray<bool>.Empty : model.MoeLayerMask,
            Durations = new PipelineNodeDurations
            {
                EmbeddingForwardSeconds = nodes.EmbeddingForwardSeconds,
                EmbeddingBackwardSeconds = nodes.EmbeddingBackwardSeconds,
                TransformerForwardSeconds = nodes.TransformerForwardSeconds,
                TransformerBackwardSeconds = nodes.TransformerBackwardSeconds,
                LinearSoftmaxForwardSeconds = nodes.LinearSoftmaxForwardSeconds,
                LinearSoftmaxBackwardSeconds = nodes.LinearSoftmaxBackwardSeconds,
                MoeTransformerForwardSeconds = moe?.Layer.Nodes.TransformerForwardSeconds,
                MoeTransformerBackwardSeconds = moe?.Layer.Nodes.TransformerBackwardSeconds,
                OptimizerSeconds = optimizerSeconds,
            },
            Communications = new PipelineCommunications
            {
                CrossLayer = new CommunicationSpec(CollectiveKind.PointToPoint, comms.CrossLayerBytes, 2, ParallelismAxis.Pp),
                TransformerDenseSync = Sync(comms.TransformerGradSyncBytes),
                EmbeddingSync = Sync(comms.EmbeddingGradSyncBytes),
                SoftmaxSync = Sync(comms.SoftmaxGradSyncBytes),
                Zero2TransformerGather = Gather(2, comms.TransformerGatherBytes),
                Zero2EmbeddingGather = Gather(2, comms.EmbeddingGatherBytes),
                Zero2SoftmaxGather = Gather(2, comms.SoftmaxGatherBytes),
                Zero3TransformerGather = Gather(3, comms.TransformerGatherBytes, tpShard: true),
                Zero3EmbeddingGather = Gather(3, comms.EmbeddingGatherBytes),
                Zero3SoftmaxGather = Gather(3, comms.SoftmaxGatherBytes),
                TransformerMoeSync = moe is null ? null : Sync(moe.Sync.MoeLayerDpBytes),
                TransformerDenseEpSync = moe is null ? null : EpSync(moe.Sync.DenseLayerEpBytes),
                TransformerMoeEpSync = moe is null ? null : EpSync(moe.Sync.MoeLayerEpBytes),
            },
        };
    }

    /// <summary>What the pipeline graph needs from the MoE layers.</summary>
    private sealed record MoeParts(MoeLayerOperationCosts Layer, MoeGradientSyncSizes Sync, int ExpertParallel);
}
