namespace RapidLlm.Tests.Simulation;

/// <summary>The shipped configs/ files, copied next to the test assembly.</summary>
internal static class ConfigFiles
{
    public static string Hardware(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "hardware-config", name);

    public static string Model(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "configs", "model-config", name);
}
