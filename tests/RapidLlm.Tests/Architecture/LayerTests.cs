using System.Reflection;
using RapidLlm.Simulation;

namespace RapidLlm.Tests.Architecture;

/// <summary>
/// The rule of docs/architecture.md: the core's layers, lowest first; a type may use its own layer and those below,
/// never one above. A new namespace must be placed in a layer here (and in the document) before it builds green.
/// </summary>
public class LayerTests
{
    /// <summary>The core's layers, as docs/architecture.md draws them.</summary>
    public static readonly IReadOnlyList<Layer> CoreLayers =
    [
        new(0, "common vocabulary", "RapidLlm.Common"),
        new(1, "configuration", "RapidLlm.Configuration", "RapidLlm.HuggingFace"),
        new(2, "hardware and compute", "RapidLlm.Hardware", "RapidLlm.Compute"),
        new(3, "network and collectives", "RapidLlm.Network"),
        new(4, "operations", "RapidLlm.Operations"),
        new(5, "graphs", "RapidLlm.Graphs"),
        new(6, "execution backends", "RapidLlm.Execution"),
        new(7, "memory and inference", "RapidLlm.Memory", "RapidLlm.Inference"),
        new(8, "results", "RapidLlm.Results"),
        new(9, "simulation and search", "RapidLlm.Simulation", "RapidLlm.Search"),
    ];

    private static Assembly Core => typeof(LlmSimulation).Assembly;

    private static IEnumerable<Type> CoreTypes => Core.GetTypes().Where(t => t.Namespace?.StartsWith("RapidLlm", StringComparison.Ordinal) == true);

    [Test]
    public void NoCoreTypeUsesAHigherLayer()
    {
        var violations = LayerDependencies.Violations(CoreTypes, CoreLayers);
        Assert.That(violations, Is.Empty, () => violations.Count + " upward references:\n" + string.Join("\n", violations));
    }

    [Test]
    public void EveryCoreNamespaceBelongsToALayer()
    {
        var unplaced = CoreTypes.Select(t => t.Namespace!).Distinct()
            .Where(ns => LayerDependencies.LayerOf(ns, CoreLayers) is null).Order(StringComparer.Ordinal);
        Assert.That(unplaced, Is.Empty);
    }

    [Test]
    public void TheCoreReferencesNoAppAssembly()
    {
        var names = Core.GetReferencedAssemblies().Select(a => a.Name);
        Assert.That(names, Has.None.StartsWith("RapidLlm."));
        Assert.That(names, Has.None.AnyOf("ScottPlot", "Spectre.Console", "RapidLlm.Cli", "RapidLlm.Validation"));
    }

    // The checker itself must see a reference that only a method body makes and one in a signature.

    private static readonly IReadOnlyList<Layer> FixtureLayers =
    [
        new(0, "low", "RapidLlm.Tests.Architecture.Fixture.Low"),
        new(1, "high", "RapidLlm.Tests.Architecture.Fixture.High"),
    ];

    private static IEnumerable<Type> FixtureTypes => typeof(LayerTests).Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("RapidLlm.Tests.Architecture.Fixture", StringComparison.Ordinal) == true);

    [TestCase("RapidLlm.Tests.Architecture.Fixture.Low.UsesHighInBody", "RapidLlm.Tests.Architecture.Fixture.High.Top")]
    [TestCase("RapidLlm.Tests.Architecture.Fixture.Low.UsesHighInSignature", "RapidLlm.Tests.Architecture.Fixture.High.Top")]
    [TestCase("RapidLlm.Tests.Architecture.Fixture.Low.UsesHighInLambda", "RapidLlm.Tests.Architecture.Fixture.High.Top")]
    public void TheCheckerFindsAnUpwardReference(string from, string to)
    {
        var violations = LayerDependencies.Violations(FixtureTypes, FixtureLayers);
        Assert.That(violations.Select(v => (v.From, v.To)), Does.Contain((from, to)));
    }

    [Test]
    public void TheCheckerAllowsDownwardAndSameLayerReferences()
    {
        var violations = LayerDependencies.Violations(FixtureTypes, FixtureLayers);
        Assert.That(violations.Select(v => v.From), Has.None.EqualTo("RapidLlm.Tests.Architecture.Fixture.High.Top"));
        Assert.That(violations.Select(v => v.From), Has.None.EqualTo("RapidLlm.Tests.Architecture.Fixture.Low.Bottom"));
        Assert.That(violations, Has.Count.EqualTo(3));
    }
}
