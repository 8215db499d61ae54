using RapidLlm.Configuration;
using RapidLlm.Inference;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Calibrated;

/// <summary>The hardware file's <c>serving</c> block: reading, validation and what it changes in an inference estimate.</summary>
public class ServingEngineConfigTests
{
    private static readonly string CalibratedH100 = File.ReadAllText(Simulation.ConfigFiles.Hardware("H100_SXM5_80GB.yaml"));
    private static readonly string ReferenceH100 = File.ReadAllText(Simulation.ConfigFiles.Hardware("reference/H100_SXM5_80GB.yaml"));

    private static HardwareConfig Load(string baseYaml, string extra) => HardwareConfig.FromYamlText(baseYaml + "\n" + extra, "test.yaml");

    [Test]
    public void TheShippedPresetsPriceTheBareKernels()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HardwarePresets.H100Sxm80GB.Serving, Is.Null);
            Assert.That(HardwarePresets.H200Sxm141GB.Serving, Is.Null);
            Assert.That(HardwarePresets.A100Sxm80GB.Serving, Is.Null);
        });
    }

    [Test]
    public void EveryKeyIsRead()
    {
        var engine = Load(CalibratedH100, """
            serving:
              engine: vllm
              step_overhead: 2.5e-3
              request_overhead: 0.004
              cuda_graphs: false
              batching: continuous
            """).Serving;
        Assert.That(engine, Is.EqualTo(new ServingEngineConfig("vllm", 2.5e-3, 0.004, false, ServingBatching.Continuous)));
    }

    [Test]
    public void OmittedKeysTakeTheBareEngine() =>
        Assert.That(Load(CalibratedH100, "serving: {engine: sglang}").Serving, Is.EqualTo(ServingEngineConfig.Bare with { Engine = "sglang" }));

    [TestCase("serving: {step_overhead: -1e-3}", "serving.step_overhead", "between 0 and 1")]
    [TestCase("serving: {request_overhead: 90}", "serving.request_overhead", "between 0 and 60")]
    [TestCase("serving: {batching: dynamic}", "serving.batching", "'static', 'continuous'")]
    [TestCase("serving: {step_overheads: 1e-3}", "serving.step_overheads", "did you mean 'step_overhead'")]
    [TestCase("serving: {cuda_graphs: maybe}", "serving.cuda_graphs", "true")]
    public void BadValuesAreReportedWithTheirPath(string extra, string path, string message)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(CalibratedH100, extra))!;
        Assert.That(e.Problems.Select(d => d.YamlPath), Does.Contain(path));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void AllProblemsOfTheBlockAreReportedAtOnce()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(CalibratedH100, "serving: {step_overhead: 5, request_overhead: -1, batching: none}"))!;
        Assert.That(e.Problems.Select(d => d.YamlPath), Is.SupersetOf(new[] { "serving.step_overhead", "serving.request_overhead", "serving.batching" }));
    }

    [Test]
    public void TheReferenceModelRejectsTheBlock()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(ReferenceH100, "serving: {engine: vllm}"))!;
        Assert.That(e.Problems.Select(d => d.YamlPath), Does.Contain("serving"));
        Assert.That(e.Message, Does.Contain("performance_model: calibrated"));
    }

    [Test]
    public void TheBuilderRejectsAnEngineOnTheReferenceModelAndBadValues()
    {
        var model = ModelPresets.Llama3_1_8B.Inference(batch: 1, promptLength: 128, decodeLength: 8);
        var onReference = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create()
            .Hardware(HardwarePresets.ReferenceH100Sxm80GB).Model(model).Serving(ServingEngineConfig.Bare with { Engine = "vllm" }).Build())!;
        var negative = Assert.Throws<ConfigurationException>(() => LlmSimulation.Create()
            .Hardware(HardwarePresets.H100Sxm80GB).Model(model).Serving(ServingEngineConfig.Bare with { StepOverheadSeconds = -1 }).Build())!;
        Assert.Multiple(() =>
        {
            Assert.That(onReference.Message, Does.Contain("only read by the calibrated model"));
            Assert.That(negative.Message, Does.Contain("serving.step_overhead must be between 0 and 1 s"));
        });
    }
}

/// <summary>
/// An inference estimate under a serving engine, against the bare estimate of the same run (Llama-3.1-8B, batch 8,
/// 1024-token prompts, 128 output tokens, one calibrated H100).
/// </summary>
public class ServingEngineEstimateTests
{
    private const int Output = 128;

    private static InferenceEstimate Estimate(ServingEngineConfig? engine) => LlmSimulation.Create()
        .Hardware(HardwarePresets.H100Sxm80GB)
        .Model(ModelPresets.Llama3_1_8B.Inference(batch: 8, promptLength: 1024, decodeLength: Output))
        .Parallelism(p => p.Tensor(1))
        .Serving(engine)
        .Build()
        .EstimateInference(includeMemory: false);

    [Test]
    public void WithoutAnEngineTheBareKernelsArePriced() => Assert.That(Estimate(null).Serving, Is.Null);

    [Test]
    public void AStaticEngineAddsItsHostWorkToEveryIterationAndRunsOneDecodeStepFewer()
    {
        // The prefill emits the first token: TTFT = request overhead + one iteration's host work + the bare prefill;
        // the O − 1 decode steps each add the host work (the bare estimate integrates O steps).
        var bare = Estimate(null);
        var served = Estimate(new ServingEngineConfig("vllm", 2e-3, 10e-3, null, ServingBatching.Static));
        var decode = (bare.DecodeSeconds + (Output * 2e-3)) * (Output - 1) / Output;
        Assert.Multiple(() =>
        {
            Assert.That(served.TimeToFirstTokenSeconds, Is.EqualTo(bare.PrefillSeconds + 12e-3).Within(1e-9));
            Assert.That(served.DecodeSeconds, Is.EqualTo(decode).Within(1e-6).Percent);
            Assert.That(served.Serving!.InterTokenLatencySeconds, Is.EqualTo(decode / (Output - 1)).Within(1e-9));
            Assert.That(served.Serving.RequestSeconds, Is.EqualTo(served.TimeToFirstTokenSeconds + served.DecodeSeconds).Within(1e-12));
            Assert.That(served.Serving.OutputTokensPerSecond, Is.EqualTo(8.0 * Output / served.Serving.RequestSeconds).Within(1e-9));
            Assert.That(served.Serving.InterleavedPrefillSeconds, Is.Zero);
            Assert.That(served.ToMarkdown(), Does.Contain("inter-token latency (serving engine)"));
        });
    }

    [Test]
    public void ContinuousBatchingPrefillsOneRequestAndFusesTheOthersIntoTheDecodePhase()
    {
        var staticEngine = Estimate(new ServingEngineConfig("trt", 0, 0, true, ServingBatching.Static));
        var continuous = Estimate(new ServingEngineConfig("trt", 0, 0, true, ServingBatching.Continuous));
        Assert.Multiple(() =>
        {
            // One 1024-token prompt instead of eight: the first token comes sooner ...
            Assert.That(continuous.TimeToFirstTokenSeconds, Is.LessThan(staticEngine.TimeToFirstTokenSeconds / 4));
            // ... and the decode phase carries the share of the seven other requests' prefills that overlaps it.
            Assert.That(continuous.Serving!.InterleavedPrefillSeconds, Is.GreaterThan(0));
            Assert.That(continuous.DecodeSeconds, Is.EqualTo(staticEngine.DecodeSeconds + continuous.Serving.InterleavedPrefillSeconds).Within(1e-9));
        });
    }

    [Test]
    public void EagerDecodeIsSlowerThanCudaGraphs()
    {
        var graphs = Estimate(new ServingEngineConfig("x", 0, 0, true, ServingBatching.Static));
        var eager = Estimate(new ServingEngineConfig("x", 0, 0, false, ServingBatching.Static));
        Assert.That(eager.Serving!.InterTokenLatencySeconds, Is.GreaterThan(graphs.Serving!.InterTokenLatencySeconds * 1.05));
    }
}

/// <summary>The arithmetic of <see cref="ServingEngineTiming"/>, with hand-computed values.</summary>
public class ServingEngineTimingTests
{
    [TestCase(1, 0)]
    [TestCase(2, 1)]
    [TestCase(128, 127)]
    [TestCase(0, 0)]
    public void TheDecodeStepsAreTheOutputTokensLessThePrefillsOne(int output, int steps) =>
        Assert.That(ServingEngineTiming.DecodeSteps(output), Is.EqualTo(steps));

    [TestCase(0.3, 0.02, 0.28)]
    [TestCase(0.01, 0.02, 0.0)]
    public void AFusedPrefillCostsItsPrefillLessTheSharedIteration(double prefill, double shared, double fused) =>
        Assert.That(ServingEngineTiming.FusedPrefillSeconds(prefill, shared), Is.EqualTo(fused).Within(1e-12));

    // D = base + (C − 1)·p·D / (T + D): T = 0.1 s, base = 1 s, four other requests' 0.05 s prefills give k = 0.2 and
    // D² − 1.1·D − 0.1 = 0, D = (1.1 + √1.61) / 2 = 1.184429.
    [TestCase(0.1, 1.0, 5, 0.05, 1.1844288770)]
    [TestCase(0.1, 1.0, 1, 0.05, 1.0)]
    [TestCase(0.1, 1.0, 5, 0.0, 1.0)]
    [TestCase(0.1, 0.0, 5, 0.05, 0.0)]
    public void TheContinuousDecodePhaseSolvesItsFixedPoint(double ttft, double baseDecode, int concurrency, double fused, double expected)
    {
        var d = ServingEngineTiming.ContinuousDecodeSeconds(ttft, baseDecode, concurrency, fused);
        Assert.That(d, Is.EqualTo(expected).Within(1e-9));
        if (d > 0) Assert.That(baseDecode + ((concurrency - 1) * fused * d / (ttft + d)), Is.EqualTo(d).Within(1e-9));
    }
}

/// <summary>RunPerf with a hardware file that states a serving engine.</summary>
[NonParallelizable]
public class ServingEngineCommandLineTests
{
    private string _work = "";

    [SetUp]
    public void CreateWorkDirectory() => Directory.CreateDirectory(_work = Path.Combine(Path.GetTempPath(), "rapidllm-serving-cli-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveWorkDirectory()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private (int Code, string Stderr, System.Text.Json.JsonElement? Json) Run(string baseFile, string serving)
    {
        var hardware = Path.Combine(_work, "hw.yaml");
        File.WriteAllText(hardware, File.ReadAllText(Simulation.ConfigFiles.Hardware(baseFile)) + "\n" + serving);
        var json = Path.Combine(_work, "result.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = RapidLlm.Cli.RunPerfCommand.Run(
            ["--hardware_config", hardware, "--model_config", Simulation.ConfigFiles.Model("Llama3.1-8B_inf.yaml"), "--output_dir", Path.Combine(_work, "out"), "--json", json],
            stdout, stderr);
        return (code, stderr.ToString(), File.Exists(json) ? System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone() : null);
    }

    [Test]
    public void TheFirstTokenComesFromThePrefillUnderAnEngine()
    {
        var (code, stderr, json) = Run("H100_SXM5_80GB.yaml", "serving: {engine: vllm, step_overhead: 2e-3, request_overhead: 0.01}\n");
        Assert.That(code, Is.Zero, stderr);
        var inference = json!.Value.GetProperty("inference");
        Assert.Multiple(() =>
        {
            Assert.That(inference.GetProperty("ttft_s").GetDouble(), Is.EqualTo(inference.GetProperty("prefill_s").GetDouble()).Within(1e-12));
            Assert.That(inference.GetProperty("total_s").GetDouble(),
                Is.EqualTo(inference.GetProperty("prefill_s").GetDouble() + inference.GetProperty("decode_s").GetDouble()).Within(1e-9).Percent);
        });
    }

    [Test]
    public void AReferenceFileWithAnEngineExitsWithItsPath()
    {
        var (code, stderr, _) = Run("reference/H100_SXM5_80GB.yaml", "serving: {engine: vllm}\n");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("serving").And.Contain("performance_model: calibrated"));
        });
    }
}
