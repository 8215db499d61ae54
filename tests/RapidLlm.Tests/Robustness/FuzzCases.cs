namespace RapidLlm.Tests.Robustness;

/// <summary>
/// Mutated config pairs for the fuzz test: case <c>i</c> of seed <c>s</c> always picks the same base pair, mutates the
/// same file(s) the same way, and writes them into the work folder.
/// </summary>
internal static class FuzzCases
{
    /// <summary>Writes case <paramref name="index"/> and returns the paths to run and what was mutated.</summary>
    public static (string Hardware, string Model, string Description) Write(
        int seed, int index, IReadOnlyList<(string Hardware, string Model)> pairs, string workFolder)
    {
        var choice = new Random(unchecked(seed * 7919 + index));
        var mutator = new ConfigMutator(unchecked(seed * 1_000_003 + index));
        var (hardware, model) = pairs[choice.Next(pairs.Count)];
        var which = choice.Next(10) switch { < 4 => 0, < 8 => 1, _ => 2 };
        var description = $"case {index} of seed {seed}: {Path.GetFileName(hardware)} + {Path.GetFileName(model)};";
        if (which != 1)
        {
            var (text, note) = mutator.Mutate(File.ReadAllText(hardware));
            hardware = Path.Combine(workFolder, "hw.yaml");
            File.WriteAllText(hardware, text);
            description += " hardware: " + note + ";";
        }

        if (which != 0)
        {
            var (text, note) = mutator.Mutate(File.ReadAllText(model));
            model = Path.Combine(workFolder, "model.yaml");
            File.WriteAllText(model, text);
            description += " model: " + note;
        }

        return (hardware, model, description);
    }
}
