namespace RapidLlm.Validation;

/// <summary>The standard validation suites, in report order.</summary>
public static class ValidationCatalog
{
    /// <summary>Every suite built from the reference's validation configs.</summary>
    /// <param name="sources">Data and config folders.</param>
    public static IReadOnlyList<ValidationSuite> All(ValidationSources sources)
    {
        var suites = new List<ValidationSuite> { KoyebSuite.Create(sources) };
        suites.AddRange(ImecInferenceSuite.Devices.Select(d => ImecInferenceSuite.Create(sources, d)));
        suites.AddRange(NimInferenceSuite.Devices.SelectMany(d => NimInferenceSuite.Metrics.Select(m => NimInferenceSuite.Create(sources, d, m))));
        suites.Add(MegatronTrainingSuite.Create(sources));
        suites.Add(UciTrainingSuite.Create(sources));
        return suites;
    }
}
