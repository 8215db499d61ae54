using RapidLlm.AstraSim.Running;

namespace RapidLlm.Tests.AstraSim;

public sealed class AstraSimRunnerTests
{
    private static string Captured(string mode, string run, int call) =>
        File.ReadAllText(AstraArtifacts.Call(mode, run, call) + ".stdout.txt");

    private static string HierarchicalForward => Captured("full_astrasim_hierarchical", "head_317a2cb_t_tp2_pp2_dp2", 5);

    private static string Deadlocked => Captured("full_astrasim_flattened", "head_317a2cb_t_tp2_pp2_dp2_FAILS_deadlock", 5);

    [Test]
    public void ParserFindsOneWallTimePerRankInEveryCapturedSuccessfulRun()
    {
        var outputs = Directory.EnumerateFiles(AstraArtifacts.Artifacts, "*.stdout.txt", SearchOption.AllDirectories)
            .Where(f => !f.Contains("FAILS_deadlock", StringComparison.Ordinal)).ToList();
        Assert.That(outputs, Has.Count.GreaterThan(30));
        foreach (var file in outputs)
        {
            var yaml = Directory.GetFiles(file.Replace(".stdout.txt", ".inputs", StringComparison.Ordinal), "network_analytical_*.yml").Single();
            var npus = File.ReadAllLines(yaml).Single(l => l.StartsWith("npus_count", StringComparison.Ordinal))
                .Split('[', ']')[1].Split(',').Aggregate(1, (acc, v) => acc * int.Parse(v, System.Globalization.CultureInfo.InvariantCulture));
            var seconds = AstraSimRunner.Interpret(File.ReadAllText(file), npus);
            Assert.That(seconds, Is.Not.Null.And.Length.EqualTo(npus), file);
        }
    }

    [Test]
    public void ParserReadsCyclesAsNanosecondsByRank()
    {
        var seconds = AstraSimRunner.Interpret(HierarchicalForward, 2);
        Assert.That(seconds, Is.EqualTo(new[] { 882338e-9, 882338e-9 }).Within(1e-15));
        Assert.That(AstraSimOutputParser.WallTimeCyclesByRank("[x] [statistics] [info] sys[3], Wall time: 17\nsys[0], Wall time: 5"),
            Is.EqualTo(new Dictionary<int, long> { [0] = 5, [3] = 17 }));
    }

    [Test]
    public void DeadlockedRunIsAnErrorNamingTheWorkloadAfterTheRetries()
    {
        using var fake = new FakeAstraSim(Deadlocked);
        var runner = new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(30));
        var error = Assert.Throws<AstraSimRunException>(() => runner.Run(fake.Invocation(8, "flattened pipeline")));
        Assert.That(error!.Message, Does.Contain("flattened pipeline").And.Contain("0 of 8").And.Contain("deadlock"));
        Assert.That(fake.Calls, Is.EqualTo(2));
    }

    [Test]
    public void ARunWithoutWallTimesIsRetried()
    {
        using var fake = new FakeAstraSim(HierarchicalForward, silentCalls: 1);
        var result = new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(30)).Run(fake.Invocation(2));
        Assert.That(result.MaxSeconds, Is.EqualTo(882338e-9).Within(1e-15));
        Assert.That(fake.Calls, Is.EqualTo(2));
    }

    [Test]
    public void NonZeroExitIsAnError()
    {
        using var fake = new FakeAstraSim("boom", exitCode: 3);
        var error = Assert.Throws<AstraSimRunException>(() => new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(30)).Run(fake.Invocation(2, "wl")));
        Assert.That(error!.Message, Does.Contain("exit code 3").And.Contain("boom"));
    }

    [Test]
    public void ASlowRunIsStoppedAtTheTimeout()
    {
        using var fake = new FakeAstraSim(HierarchicalForward, sleepSeconds: 30);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<AstraSimRunException>(() => new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(1)).Run(fake.Invocation(2, "slow")));
        Assert.That(error!.Message, Does.Contain("within 1 s"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void ArgumentsFollowTheReferencesOrderInTheInvocationsFolder()
    {
        using var fake = new FakeAstraSim(HierarchicalForward);
        var invocation = fake.Invocation(2);
        new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(30)).Run(invocation);
        var argv = File.ReadAllText(Path.Combine(invocation.WorkingDirectory, "argv.txt")).Trim();
        Assert.That(argv, Is.EqualTo(string.Join(' ', invocation.Arguments())));
        Assert.That(invocation.Arguments()[0], Does.StartWith("--workload-configuration="));
        Assert.That(invocation.Arguments()[3], Does.StartWith("--remote-memory-configuration="));
    }

    [Test]
    public void ContentCacheAnswersARepeatedRunWithoutTheBinary()
    {
        using var fake = new FakeAstraSim(HierarchicalForward);
        var cache = new AstraSimResultCache(Path.Combine(fake.Folder, "cache.json"));
        var runner = new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(30), cache: cache);
        var first = runner.Run(fake.Invocation(2));
        var second = runner.Run(fake.Invocation(2)); // other folder, same contents
        Assert.That(second.FromCache, Is.True);
        Assert.That(second.PerRankSeconds, Is.EqualTo(first.PerRankSeconds));
        Assert.That(fake.Calls, Is.EqualTo(1));
    }

    [Test]
    public void ConcurrentRunsUseSeparateFolders()
    {
        using var fake = new FakeAstraSim(HierarchicalForward);
        var runner = new AstraSimRunner(fake.BinaryPath, TimeSpan.FromSeconds(60));
        var invocations = Enumerable.Range(0, 4).Select(_ => fake.Invocation(2)).ToList();
        var results = invocations.AsParallel().Select(i => runner.Run(i)).ToList();
        Assert.That(results.Select(r => r.MaxSeconds), Is.All.EqualTo(882338e-9).Within(1e-15));
        Assert.That(invocations.Select(i => File.Exists(Path.Combine(i.WorkingDirectory, "argv.txt"))), Is.All.True);
    }

    [Test]
    public void MissingBinaryIsAClearError()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-astra", "AstraSim");
        var error = Assert.Throws<AstraSimBinaryNotFoundException>(() => AstraSimBinaryLocator.Locate(missing));
        Assert.That(error!.Message, Does.Contain("missing").And.Contain(missing).And.Contain("RAPID_ASTRA_SIM_BIN").And.Contain("execution_backend.astra.binary"));
        Assert.Throws<AstraSimBinaryNotFoundException>(() => new AstraSimRunner(missing, TimeSpan.FromSeconds(1)).Run(
            new AstraSimInvocation("x", "/tmp/x", 2, "a", "b", "c", null, Path.GetTempPath())));
    }

    [Test]
    public void LocatorPrefersTheConfigThenTheEnvironment()
    {
        using var fake = new FakeAstraSim("");
        Assert.That(AstraSimBinaryLocator.Locate(fake.BinaryPath, _ => "/nonexistent"), Is.EqualTo(fake.BinaryPath));
        Assert.That(AstraSimBinaryLocator.Locate(null, name => name == AstraSimBinaryLocator.EnvironmentVariable ? fake.BinaryPath : null),
            Is.EqualTo(fake.BinaryPath));
        Assert.That(AstraSimBinaryLocator.TryLocate(null, out _, _ => "/nonexistent/astra"), Is.False);
    }
}
