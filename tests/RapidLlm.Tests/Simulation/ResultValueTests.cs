using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Memory;
using RapidLlm.Results;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Simulation;

/// <summary>Results are values: equal estimates compare equal (memory included), memory is given in bytes, and nonsense never leaves an estimate.</summary>
public sealed class ResultValueTests
{
    private static LlmSimulation Training() => LlmSimulation.Create()
        .Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(64, 2048))
        .Parallelism(p => p.Tensor(8, sequenceParallel: true)).Build();

    [Test]
    public void Two_training_estimates_with_memory_are_equal_values()
    {
        var first = Training().EstimateTraining();
        var second = Training().EstimateTraining();
        Assert.Multiple(() =>
        {
            Assert.That(first.Memory, Is.Not.Null);
            Assert.That(second, Is.EqualTo(first));
            Assert.That(second.GetHashCode(), Is.EqualTo(first.GetHashCode()));
            Assert.That(second.Memory, Is.EqualTo(first.Memory));
        });
    }

    [Test]
    public void Estimates_of_different_runs_differ()
    {
        var tp8 = Training().EstimateTraining();
        var tp4 = Training().ToBuilder().Parallelism(p => p.Tensor(4, sequenceParallel: true)).Build().EstimateTraining();
        Assert.That(tp4, Is.Not.EqualTo(tp8));
        Assert.That(tp4.Memory, Is.Not.EqualTo(tp8.Memory));
    }

    [Test]
    public void Memory_is_reported_in_bytes_for_Quantity()
    {
        var report = Training().EstimateMemory().Report;
        Assert.Multiple(() =>
        {
            Assert.That(report.PeakBytes, Is.EqualTo(report.PeakGib * (1L << 30)));
            Assert.That(report.CapacityBytes, Is.EqualTo(80.0 * (1L << 30)));
            Assert.That(report.HeadroomBytes, Is.EqualTo(report.CapacityBytes - report.PeakBytes));
            Assert.That(Quantity.Bytes(report.CapacityBytes!.Value), Is.EqualTo("80.00 GiB"));
        });
    }

    [Test]
    public void Csv_metric_names_have_no_padding()
    {
        var csv = Training().EstimateTraining().ToCsv();
        var metrics = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.That(metrics, Has.Some.StartsWith("at peak: "));
        Assert.That(metrics, Has.All.Matches<string>(m => m == m.Trim()));
    }

    [Test]
    public void Hardware_prints_as_one_readable_line()
    {
        var text = HardwarePresets.A100Sxm80GB.ToString();
        Assert.That(text, Does.Contain("108 × 4 MCUs at 1.41 GHz").And.Contain("80 GiB DRAM").And.Contain("backend").And.Not.Contain("{"));
    }

    [TestCase(double.NaN, TestName = "Nonsense: a NaN time")]
    [TestCase(double.PositiveInfinity, TestName = "Nonsense: an infinite time")]
    [TestCase(-1.0, TestName = "Nonsense: a negative time")]
    [TestCase(0.0, TestName = "Nonsense: a zero total time")]
    public void A_nonsense_figure_becomes_an_error_naming_a_setting(double seconds)
    {
        var simulation = Training();
        var table = new ResultTable("t", [new ResultRow("time per batch", seconds, ResultUnit.Seconds)]);
        var ex = Assert.Throws<ConfigurationException>(() =>
            EstimateChecks.Run(simulation.Hardware, simulation.Model, "hw.yaml", "model.yaml", () => table, t => t));
        Assert.That(ex!.Errors.Single().YamlPath, Is.Not.Empty);
        Assert.That(ex.Message, Does.Contain("time per batch came out as"));
    }

    [Test]
    public void A_model_math_failure_becomes_an_error_naming_the_furthest_setting()
    {
        var simulation = LlmSimulation.Create().Hardware(HardwarePresets.A100Sxm80GB).Model(ModelPresets.Llama2_7B.Training(65536, 2048)).Parallelism(p => p.Tensor(8).Data(65536)).Build();
        var ex = Assert.Throws<ConfigurationException>(() => EstimateChecks.Run<ResultTable>(simulation.Hardware, simulation.Model, "hw.yaml", "model.yaml",
            () => throw new OverflowException("Arithmetic operation resulted in an overflow."), t => t));
        var problem = ex!.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(problem.Source, Is.EqualTo("hw.yaml"));
            Assert.That(problem.YamlPath, Is.EqualTo("parallelism.train.dp"));
            Assert.That(problem.Message, Does.Contain("OverflowException"));
        });
    }
}
