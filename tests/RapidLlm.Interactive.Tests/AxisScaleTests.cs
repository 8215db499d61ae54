using RapidLlm.Interactive.Charts;

namespace RapidLlm.Interactive.Tests;

/// <summary>Axes end on a round number just above the largest value, with round ticks, in one readable unit.</summary>
public class AxisScaleTests
{
    [TestCase(27.0, "seconds", 30.0, 10.0, "s", "0 10 20 30")]
    [TestCase(8.138, "seconds", 10.0, 2.5, "s", "0 2.5 5 7.5 10")]
    [TestCase(0.0123, "seconds", 0.015, 0.005, "ms", "0 5 10 15")]
    [TestCase(840e-6, "seconds", 1e-3, 250e-6, "µs", "0 250 500 750 1000")]
    [TestCase(85899345920.0, "bytes", 85899345920.0, 21474836480.0, "GiB", "0 20 40 60 80")]
    [TestCase(524288000.0, "bytes", 629145600.0, 209715200.0, "MiB", "0 200 400 600")]
    [TestCase(0.0, "seconds", 1.0, 0.25, "s", "0 0.25 0.5 0.75 1")]
    public void PicksARoundMaximumStepAndUnit(double largest, string quantity, double maximum, double step, string unit, string ticks)
    {
        var axis = AxisScale.For(largest, quantity == "bytes" ? AxisQuantity.Bytes : AxisQuantity.Seconds);
        Assert.Multiple(() =>
        {
            Assert.That(axis.Maximum, Is.EqualTo(maximum).Within(1e-9).Percent);
            Assert.That(axis.Step, Is.EqualTo(step).Within(1e-9).Percent);
            Assert.That(axis.Unit, Is.EqualTo(unit));
            Assert.That(string.Join(" ", axis.Ticks().Select(axis.Label)), Is.EqualTo(ticks));
            Assert.That(axis.Maximum, Is.GreaterThanOrEqualTo(largest));
        });
    }
}
