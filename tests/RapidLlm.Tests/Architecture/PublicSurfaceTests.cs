using RapidLlm.Simulation;

namespace RapidLlm.Tests.Architecture;

/// <summary>
/// The core package's public surface stays what a library user needs (the builder and LlmSimulation, presets, the
/// configuration records, estimates, diagnostics, the backend seam and search); everything else is internal.
/// PublicAPI.Shipped/Unshipped.txt list each member; this counts the types.
/// </summary>
public class PublicSurfaceTests
{
    private static Type[] Exported => typeof(LlmSimulation).Assembly.GetExportedTypes();

    [Test]
    public void TheCoreExportsAtMostItsBudgetOfTypes() =>
        Assert.That(Exported, Has.Length.LessThanOrEqualTo(79), () => string.Join(", ", Exported.Select(t => t.FullName).Order(StringComparer.Ordinal)));

    [TestCase("RapidLlm.Operations")]
    [TestCase("RapidLlm.Compute")]
    [TestCase("RapidLlm.Reports")]
    [TestCase("RapidLlm.Cli")]
    [TestCase("RapidLlm.Validation")]
    public void InternalLayersExportNothing(string ns) =>
        Assert.That(Exported.Where(t => t.Namespace == ns).Select(t => t.Name), Is.Empty);
}
