using System.Globalization;
using RapidLlm.Configuration;
using RapidLlm.Search;
using RapidLlm.Simulation;
using RapidLlm.Workbench.Setup;

namespace RapidLlm.Workbench.Running;

/// <summary>What a search's space holds before it runs: the candidate count, or the axis and sentence that empty it.</summary>
/// <param name="Candidates">Candidates the search would look at (0 with an error).</param>
/// <param name="Axis">The axis the library blames (<c>tp</c>, <c>dp</c>, <c>mb</c>, <c>zero_stage</c>, …), or null.</param>
/// <param name="Error">The library's sentence, or null.</param>
public sealed record SearchPreview(int Candidates, string? Axis, string? Error);

/// <summary>
/// Maps the workbench's search request onto the library's <see cref="ParallelismSearch"/> and its result back: the
/// options, a preview of the space, the outcome the workbench keeps, and each candidate's files and full estimate.
/// </summary>
public static class SearchPlanner
{
    /// <summary>The library's options for a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="simulation">The validated setup (for the layers that bound the virtual stages).</param>
    /// <param name="maxThreads">Threads estimating at once, or null for every core.</param>
    /// <returns>The options.</returns>
    public static SearchOptions Options(SearchRequest request, LlmSimulation simulation, int? maxThreads = null)
    {
        var l = request.Limits;
        var layers = Math.Max(1, simulation.Model.LayerCount);
        var schedules = new List<PipelineSchedule>();
        foreach (var name in l.Schedules.Distinct())
        {
            switch (PipelineSchedule.KindFromYamlName(name))
            {
                case PipelineScheduleKind.GPipe: schedules.Add(PipelineSchedule.GPipe); break;
                case PipelineScheduleKind.OneFOneB: schedules.Add(PipelineSchedule.OneFOneB); break;
                case PipelineScheduleKind.Interleaved1F1B:
                    // Every count the library could use; it keeps those that divide each candidate's layers per stage.
                    var counts = l.VirtualStages.Count > 0 ? l.VirtualStages.Where(v => v >= 2) : Enumerable.Range(2, Math.Max(0, layers - 1));
                    schedules.AddRange(counts.Distinct().Select(PipelineSchedule.Interleaved));
                    break;
            }
        }

        return new SearchOptions
        {
            Gpus = request.Gpus,
            Objective = request.Objective switch
            {
                "time" => SearchObjective.TimePerBatch,
                "throughput" => SearchObjective.Throughput,
                "ttft" => SearchObjective.TimeToFirstToken,
                _ => null,
            },
            MemoryHeadroom = request.MemoryHeadroom,
            MaxTensorParallel = request.MaxTensorParallel,
            TensorParallel = new(l.Tp),
            // As RunPerf search: every tensor-parallel candidate keeps the setup's parallelism.tp_sp (false when absent).
            SequenceParallel = new[] { SequenceParallelOf(request.Setup) },
            ContextParallel = new(l.Cp),
            PipelineStages = new(l.Pp),
            DataParallel = new(l.Dp),
            ExpertParallel = new(l.Ep),
            MicroBatches = new(l.MicroBatches),
            ZeroStages = new(l.ZeroStages),
            FullRecompute = new(l.FullRecompute),
            Schedules = new(schedules),
            Replicas = new(l.Replicas),
            Batches = new(l.Batches),
            MaxDegreeOfParallelism = maxThreads,
        };
    }

    private static bool SequenceParallelOf(RunSetup setup) =>
        FormFields.Find("tp-sp") is { } field && string.Equals(setup.ValueOf(field), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Lists the space without estimating it: how many candidates, or why there are none.</summary>
    /// <param name="request">The request.</param>
    /// <param name="simulation">The validated setup.</param>
    /// <returns>The preview.</returns>
    public static SearchPreview Preview(SearchRequest request, LlmSimulation simulation)
    {
        try
        {
            return new SearchPreview(ParallelismSearch.Candidates(simulation.ToBuilder(), Options(request, simulation)).Count, null, null);
        }
        catch (SearchSpaceException e)
        {
            return new SearchPreview(0, e.Axis, e.Message);
        }
        catch (ArgumentException e)
        {
            return new SearchPreview(0, null, e.Message);
        }
    }

    /// <summary>The outcome the workbench shows and keeps, from the library's result.</summary>
    /// <param name="request">The request.</param>
    /// <param name="result">The library's result.</param>
    /// <returns>The outcome.</returns>
    public static SearchOutcome Outcome(SearchRequest request, SearchResult result)
    {
        var front = result.ParetoFront.Select(c => c.Point).ToHashSet();
        var rows = result.Candidates.Select((c, i) => Row(i + 1, c, front.Contains(c.Point))).ToList();
        return new SearchOutcome(result.RunType == RunType.Inference, result.Gpus, ObjectiveText(result.Objective, result.RunType),
            Describe(request, result.RunType), result.Evaluated, result.Feasible, result.Pruned, result.Rejected,
            result.CapacityBytes, result.MemoryHeadroom, rows, result.ToJson(), result.ToCsv());
    }

    /// <summary>The objective in words.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="runType">The run type.</param>
    /// <returns>Text.</returns>
    public static string ObjectiveText(SearchObjective objective, RunType runType) => objective switch
    {
        SearchObjective.TimePerBatch => runType == RunType.Training ? "time per batch" : "total time",
        SearchObjective.TimeToFirstToken => "time to first token",
        _ => "throughput",
    };

    /// <summary>The space searched, in words: the limited axes and the limits, e.g. <c>tp 2, 4; ZeRO 1; every pipeline schedule</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="runType">The run type.</param>
    /// <returns>Text.</returns>
    public static string Describe(SearchRequest request, RunType runType)
    {
        var l = request.Limits;
        var parts = new List<string> { $"tp up to {request.MaxTensorParallel}" };
        void Add(string name, IReadOnlyList<int> values)
        {
            if (values.Count > 0) parts.Add(name + " " + string.Join(", ", values.Order().Select(v => v.ToString(CultureInfo.InvariantCulture))));
        }

        Add("tp", l.Tp);
        Add("cp", l.Cp);
        Add("pp", l.Pp);
        if (runType == RunType.Training)
        {
            Add("dp", l.Dp);
            Add("ep", l.Ep);
            Add("micro-batches", l.MicroBatches);
            Add("ZeRO", l.ZeroStages);
            if (l.FullRecompute.Count == 1) parts.Add(l.FullRecompute[0] ? "full recompute" : "selective recompute");
            parts.Add(l.Schedules.Count == 0 ? "the file's pipeline schedule" : "schedules " + string.Join(", ", l.Schedules));
            if (l.Schedules.Contains("interleaved_1f1b")) Add("virtual stages", l.VirtualStages);
        }
        else
        {
            Add("replicas", l.Replicas);
            Add("batch", l.Batches);
        }

        if (request.MemoryHeadroom > 0) parts.Add($"{request.MemoryHeadroom * 100:0.#} % memory kept free");
        return string.Join("; ", parts);
    }

    /// <summary>The library's point of a row.</summary>
    /// <param name="row">The row.</param>
    /// <param name="inference">An inference search.</param>
    /// <returns>The point.</returns>
    public static SearchPoint Point(SearchCandidateRow row, bool inference)
    {
        var kind = PipelineSchedule.KindFromYamlName(row.Schedule) ?? PipelineScheduleKind.GPipe;
        return new SearchPoint
        {
            RunType = inference ? RunType.Inference : RunType.Training,
            TensorParallel = row.Tp, SequenceParallel = row.SequenceParallel, ContextParallel = row.Cp, PipelineStages = row.Pp, DataParallel = row.Dp, ExpertParallel = row.Ep,
            MicroBatches = row.MicroBatches, ZeroStage = row.ZeroStage, FullRecompute = row.FullRecompute,
            Schedule = new PipelineSchedule(kind, kind == PipelineScheduleKind.Interleaved1F1B ? row.VirtualStages : 1),
            Replicas = row.Replicas, Batch = row.Batch,
        };
    }

    /// <summary>
    /// The setup with a candidate's settings written into its YAML (parallelism, micro-batches, schedule, ZeRO,
    /// recompute; for inference the replicas and the batch), so its files reproduce the candidate with RunPerf.
    /// </summary>
    /// <param name="setup">The search's setup.</param>
    /// <param name="row">The candidate.</param>
    /// <param name="inference">An inference search.</param>
    /// <returns>The candidate's setup.</returns>
    public static RunSetup SetupOf(RunSetup setup, SearchCandidateRow row, bool inference)
    {
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        var values = new List<(string Field, string Value)> { ("tp", I(row.Tp)), ("cp", I(row.Cp)), ("pp", I(row.Pp)) };
        if (row.Tp > 1) values.Add(("tp-sp", row.SequenceParallel ? "true" : "false"));
        var seedHardware = setup.IsSeedSchema(ConfigFile.Hardware);
        if (inference)
        {
            // The seed schema has no replica key: its data-parallel degree is the replica count, and its batch spans all replicas.
            values.Add(seedHardware ? ("dp", I(row.Replicas)) : ("replicas", I(row.Replicas)));
            values.Add(("batch", I(setup.IsSeedSchema(ConfigFile.Model) ? row.Batch * row.Replicas : row.Batch)));
        }
        else
        {
            values.AddRange([("dp", I(row.Dp)), ("mb", I(row.MicroBatches)), ("zero", I(row.ZeroStage)), ("recompute", row.FullRecompute ? "true" : "false")]);
            if (row.Ep > 1 || setup.Hardware.Has("parallelism.train.ep")) values.Add(("ep", I(row.Ep)));
            if (row.Schedule != "gpipe" || setup.Hardware.Has("parallelism.pipeline_schedule")) values.Add(("schedule", row.Schedule));
            if (row.Schedule == "interleaved_1f1b" || setup.Hardware.Has("parallelism.virtual_stages")) values.Add(("virtual", I(row.VirtualStages)));
        }

        foreach (var (id, value) in values)
        {
            if (FormFields.Find(id) is { } field) setup = setup.WithValue(field, value);
        }

        return setup;
    }

    private static SearchCandidateRow Row(int rank, SearchCandidate c, bool onFront)
    {
        var p = c.Point;
        return new SearchCandidateRow(rank, p.ToString(), p.TensorParallel, p.ContextParallel, p.PipelineStages, p.DataParallel, p.ExpertParallel,
            p.MicroBatches, p.ZeroStage, p.FullRecompute, p.Schedule.YamlName, p.Schedule.VirtualStages, p.Replicas, p.Batch, p.Gpus,
            c.TimePerBatchSeconds ?? c.TotalSeconds, c.TimeToFirstTokenSeconds, c.TokensPerSecond, c.ModelFlopsUtilization,
            c.PeakMemoryBytes, c.CapacityBytes, c.Fits, c.EnergyJoules, onFront, p.SequenceParallel);
    }
}
