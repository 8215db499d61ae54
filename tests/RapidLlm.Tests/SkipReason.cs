namespace RapidLlm.Tests;

/// <summary>
/// Skips a test with its reason, and prints the reason once per run on the console (as an error-stream line, which the adapter shows as a warning) (dotnet test shows skipped tests
/// without their message), so a run that skips the AstraSim or Graphviz tests says why and how to run them.
/// </summary>
internal static class SkipReason
{
    private static readonly HashSet<string> Printed = [];

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Skip(string reason)
    {
        lock (Printed)
        {
            if (Printed.Add(reason)) TestContext.Error.WriteLine("Skipping: " + reason);
        }

        Assert.Ignore(reason);
    }
}
