using RapidLlm.Validation;

namespace RapidLlm.Tests.Validation;

public sealed class ErrorStatisticsTests
{
    [Test]
    public void Summarises_absolute_and_signed_errors_ignoring_missing_points()
    {
        var s = ErrorStatistics.From([10, -20, 5, -1, double.NaN]);
        Assert.Multiple(() =>
        {
            Assert.That(s.Count, Is.EqualTo(4));
            Assert.That(s.MeanAbsPercent, Is.EqualTo(9.0).Within(1e-12));
            Assert.That(s.MedianAbsPercent, Is.EqualTo(7.5).Within(1e-12));
            Assert.That(s.MeanSignedPercent, Is.EqualTo(-1.5).Within(1e-12));
            Assert.That(s.MaxAbsPercent, Is.EqualTo(20));
        });
    }

    [Test]
    public void Signed_percent_is_relative_to_the_measurement()
    {
        Assert.That(ErrorStatistics.SignedPercent(110, 100), Is.EqualTo(10).Within(1e-12));
        Assert.That(ErrorStatistics.SignedPercent(1, 0), Is.NaN);
    }
}
