using System.Text.Json;
using RapidLlm.Configuration;
using RapidLlm.Graphs;
using RapidLlm.Simulation;
using RapidLlm.Hardware;
using RapidLlm.Network;
using RapidLlm.Operations;
using RapidLlm.Operations.Moe;
using RapidLlm.Tests.Operations;

namespace RapidLlm.Tests.Moe;

/// <summary>
/// One MoE configuration captured from the reference (317a2cb) by data/golden/moe/capture.py: its YAML files, every
/// <c>compute_all_gemm_and_node_times</c> call (dense and MoE), the pipeline comm metadata, the training time and
/// the primitives (GEMM, roofline, collective results) those calls used.
/// </summary>
internal sealed class MoeCapture
{
    private MoeCapture(string name, JsonElement root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }
    public JsonElement Root { get; }

    public static string Directory => Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "golden", "moe");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetDirectories(Directory)
            .Where(d => File.Exists(Path.Combine(d, "capture.json")))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static MoeCapture Load(string name) =>
        new(name, JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name, "capture.json"))).RootElement);

    public ValidatedRun Run() => ConfigValidator.Validate(
        HardwareConfig.LoadYaml(Path.Combine(Directory, Name, "hw.yaml")),
        ModelConfig.LoadYaml(Path.Combine(Directory, Name, "model.yaml")));

    public OperationCostModels RecordedModels()
    {
        var p = Root.GetProperty("primitives");
        var recorded = new RecordedPrimitives(p);
        return new OperationCostModels(recorded, recorded, recorded, p.GetProperty("num_levels").GetInt32(), p.GetProperty("num_bundles").GetInt64());
    }

    /// <summary>The training workload our factory builds from the YAML, and the MoE layer.</summary>
    public (TransformerWorkload Workload, MoeLayerSpec? Moe, int Ep) Workload()
    {
        var run = Run();
        var hw = run.Hardware;
        var model = run.Model.Transformer!;
        var par = hw.Parallelism;
        var ep = Math.Max(1, par.Train.Ep);
        var batch = BatchPlan.ForTraining(model.GlobalBatchSize, model.GradientAccumulationSteps, par.Train.Dp * (model.UsesMoe ? ep : 1), par.Pp, par.MicroBatches, SingleStageMicroBatchPolicy.ReproduceReference);
        var network = NetworkResolution.Resolve(hw, RunType.Training);
        var workload = WorkloadFactory.Create(hw, model, network, RunPhase.Training, batch.EffectiveBatch, model.SeqLen, batch.MicroBatch);
        return (workload, WorkloadFactory.CreateMoe(hw, model, RunPhase.Training), model.UsesMoe ? ep : 1);
    }

    public JsonElement? Call(bool moe) =>
        Root.GetProperty("calls").EnumerateArray().Where(c => c.GetProperty("use_moe").GetBoolean() == moe).Select(c => (JsonElement?)c).SingleOrDefault();
}
