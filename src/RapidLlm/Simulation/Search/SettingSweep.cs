using System.Globalization;
using System.Text;
using RapidLlm.Common;
using RapidLlm.Configuration;
using RapidLlm.Simulation;

namespace RapidLlm.Search;

/// <summary>
/// A grid over any settings: every combination of the values of one or more axes, each estimated with memory. An axis is either a YAML path of the hardware or model file
/// (<c>parallelism.tp</c>, <c>tech_param.DRAM.bandwidth</c>, <c>network.dimensions[dim0].topology.bandwidth</c>,
/// <c>model_param.global_batch_size</c>; sweeps built <see cref="FromYaml"/>) or any change to the builder. Points share
/// one set of cost models per device. The mutable description; <see cref="Run"/> returns an immutable result.
/// </summary>
/// <example>
/// <code>
/// var result = SettingSweep.FromYaml("hw.yaml", "model.yaml")
///     .Over("parallelism.tp", 1, 2, 4, 8)
///     .Over("tech_param.DRAM.bandwidth", "2 TB", "3 TB")
///     .Run();
/// Console.WriteLine(result.ToMarkdown());
/// </code>
/// </example>
public sealed class SettingSweep
{
    private readonly Func<LlmSimulationBuilder>? _template;
    private readonly string? _hardwarePath;
    private readonly string? _modelPath;
    private readonly List<Axis> _axes = [];
    private Action<LlmSimulationBuilder>? _configure;

    private SettingSweep(Func<LlmSimulationBuilder>? template, string? hardwarePath, string? modelPath)
    {
        _template = template;
        _hardwarePath = hardwarePath;
        _modelPath = modelPath;
    }

    /// <summary>A sweep over a template builder's variations (builder axes only: <see cref="Over{T}(string, IEnumerable{T}, Action{LlmSimulationBuilder, T})"/>).</summary>
    /// <param name="template">Makes a fresh builder with the fixed choices; called once per point.</param>
    /// <returns>The sweep.</returns>
    public static SettingSweep From(Func<LlmSimulationBuilder> template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new SettingSweep(template, null, null);
    }

    /// <summary>A sweep of a hardware and a model file: YAML-path axes change the files' settings, builder axes anything else.</summary>
    /// <param name="hardwareYamlPath">The hardware file.</param>
    /// <param name="modelYamlPath">The model file.</param>
    /// <returns>The sweep.</returns>
    public static SettingSweep FromYaml(string hardwareYamlPath, string modelYamlPath)
    {
        ArgumentNullException.ThrowIfNull(hardwareYamlPath);
        ArgumentNullException.ThrowIfNull(modelYamlPath);
        return new SettingSweep(null, hardwareYamlPath, modelYamlPath);
    }

    /// <summary>
    /// Applies <paramref name="configure"/> to every point's builder before its axes, e.g. <c>b =&gt; b.UseAstraSim(options)</c>
    /// so a YAML sweep whose hardware selects AstraSim runs on it, or <c>b =&gt; b.UseBackend(myBackend)</c>.
    /// </summary>
    /// <param name="configure">Changes each point's builder.</param>
    /// <returns>This sweep.</returns>
    public SettingSweep Configure(Action<LlmSimulationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configure += configure;
        return this;
    }

    /// <summary>
    /// An axis over a YAML setting: <paramref name="yamlPath"/> names a key of the model file (<c>model_param.…</c>,
    /// <c>inference_param.…</c>) or of the hardware file (anything else); <c>name[id]</c> picks a list item by its
    /// <c>id</c> (network dimensions). Values are written as YAML scalars (numbers, booleans, unit strings).
    /// </summary>
    /// <param name="yamlPath">The setting, e.g. <c>parallelism.tp</c>.</param>
    /// <param name="values">Its values, at least one.</param>
    /// <returns>This sweep.</returns>
    /// <exception cref="InvalidOperationException">The sweep was not made <see cref="FromYaml"/>.</exception>
    public SettingSweep Over(string yamlPath, params object[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(yamlPath);
        ArgumentNullException.ThrowIfNull(values);
        if (_hardwarePath is null) throw new InvalidOperationException("YAML-path axes need a sweep made with SettingSweep.FromYaml; use a builder axis instead.");
        if (values.Length == 0) throw new ArgumentException($"The axis {yamlPath} needs at least one value.", nameof(values));
        var model = yamlPath.StartsWith("model_param.", StringComparison.Ordinal) || yamlPath.StartsWith("inference_param.", StringComparison.Ordinal);
        _axes.Add(new Axis(yamlPath, [.. values.Select(v => new AxisValue(Text(v), model ? null : Text(v), model ? Text(v) : null, null))], yamlPath));
        return this;
    }

    /// <summary>An axis over any builder change, e.g. <c>.Over("HBM", [2e12, 3e12], (b, bw) =&gt; b.Hardware(WithBandwidth(bw)))</c>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="name">The axis name in the results.</param>
    /// <param name="values">Its values, at least one.</param>
    /// <param name="apply">Applies one value to a point's builder (after the YAML axes and the template).</param>
    /// <returns>This sweep.</returns>
    public SettingSweep Over<T>(string name, IEnumerable<T> values, Action<LlmSimulationBuilder, T> apply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(apply);
        var list = values.ToList();
        if (list.Count == 0) throw new ArgumentException($"The axis {name} needs at least one value.", nameof(values));
        _axes.Add(new Axis(name, [.. list.Select(v => new AxisValue(Text(v), null, null, b => apply(b, v)))], null));
        return this;
    }

    /// <summary>The number of points: the product of the axes' value counts.</summary>
    public long PointCount => _axes.Aggregate(1L, (n, a) => n * a.Values.Length);

    /// <summary>Estimates every point (training or inference with memory, by the model's run type).</summary>
    /// <param name="progress">Told after every point, in order; null for none.</param>
    /// <param name="cancellationToken">Stops the sweep: no point starts after it is cancelled.</param>
    /// <param name="maxDegreeOfParallelism">Threads estimating at once; null uses every core. The results do not depend on it.</param>
    /// <returns>Every point in grid order (the last axis varies fastest); a point that is invalid carries its error instead of figures.</returns>
    /// <exception cref="InvalidOperationException">The sweep has no axis.</exception>
    /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
    public SweepResult Run(IProgress<SearchProgress>? progress = null, CancellationToken cancellationToken = default, int? maxDegreeOfParallelism = null)
    {
        if (_axes.Count == 0) throw new InvalidOperationException("A sweep needs at least one axis (Over).");
        if (PointCount > 1_000_000) throw new InvalidOperationException($"The sweep has {PointCount:N0} points; at most 1,000,000 are supported.");
        var hardwareText = _hardwarePath is null ? null : File.ReadAllText(_hardwarePath);
        var modelText = _modelPath is null ? null : File.ReadAllText(_modelPath);
        var count = (int)PointCount;
        var points = new SweepPoint[count];
        var devices = new DeviceModelCache();
        var done = 0;
        var feasible = 0;
        var gate = new Lock();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount };
        try
        {
            Parallel.For(0, count, parallel, index =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var point = Evaluate(Choose(index), hardwareText, modelText, devices, cancellationToken);
                points[index] = point;
                lock (gate)
                {
                    done++;
                    if (point.Figures?.Fits == true) feasible++;
                    progress?.Report(new SearchProgress(done, count, feasible));
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            throw e.InnerExceptions[0];
        }

        return new SweepResult(new EquatableArray<string>(_axes.Select(a => a.Name)), new EquatableArray<SweepPoint>(points));
    }

    private AxisValue[] Choose(int index)
    {
        var chosen = new AxisValue[_axes.Count];
        for (var a = _axes.Count - 1; a >= 0; a--)
        {
            var values = _axes[a].Values;
            chosen[a] = values[index % values.Length];
            index /= values.Length;
        }

        return chosen;
    }

    private SweepPoint Evaluate(AxisValue[] chosen, string? hardwareText, string? modelText, DeviceModelCache devices, CancellationToken cancellationToken)
    {
        var settings = new EquatableArray<SweepSetting>(chosen.Select((v, i) => new SweepSetting(_axes[i].Name, v.Label)));
        try
        {
            LlmSimulationBuilder builder;
            if (hardwareText is not null && modelText is not null)
            {
                var hardware = hardwareText;
                var model = modelText;
                for (var i = 0; i < chosen.Length; i++)
                {
                    if (_axes[i].YamlPath is not { } path) continue;
                    if (chosen[i].HardwareYaml is { } h) hardware = YamlOverlay.Merge(hardware, Overlay(path, h));
                    if (chosen[i].ModelYaml is { } m) model = YamlOverlay.Merge(model, Overlay(path, m));
                }

                builder = LlmSimulation.Create()
                    .Hardware(HardwareConfig.FromYamlText(hardware, _hardwarePath!))
                    .Model(ModelConfig.FromYamlText(model, _modelPath!));
            }
            else
            {
                builder = _template!();
            }

            _configure?.Invoke(builder);
            foreach (var value in chosen) value.Apply?.Invoke(builder);
            var simulation = builder.ShareDevices(devices.For).Build();
            if (simulation.Model.Transformer is not { } transformer)
                return new SweepPoint(settings, null, "a sweep estimates LLM and ViT models; this point is a GEMM");
            var figures = ParallelismSearch.Figures(simulation, SearchPoint.Of(simulation),
                ParallelismSearch.FigureContext.Of(simulation.Hardware, transformer, 0), cancellationToken);
            return new SweepPoint(settings, figures, null);
        }
        catch (ConfigurationException e)
        {
            return new SweepPoint(settings, null, e.Message);
        }
        catch (Exception e) when (e is UnsupportedFeatureException or FormatException)
        {
            return new SweepPoint(settings, null, e.Message);
        }
    }

    /// <summary>The overlay document that sets one dotted path (with <c>key[id]</c> list items) to a scalar.</summary>
    private static string Overlay(string path, string value)
    {
        var text = new StringBuilder();
        var indent = 0;
        foreach (var segment in path.Split('.'))
        {
            var open = segment.IndexOf('[', StringComparison.Ordinal);
            if (open > 0 && segment.EndsWith(']'))
            {
                text.Append(' ', indent).Append(segment[..open]).Append(":\n");
                text.Append(' ', indent + 2).Append("- id: ").Append(segment[(open + 1)..^1]).Append('\n');
                indent += 4;
            }
            else
            {
                text.Append(' ', indent).Append(segment).Append(":\n");
                indent += 2;
            }
        }

        // The last key holds the value on its own line.
        var lines = text.ToString().TrimEnd('\n');
        return lines + " " + Quote(value) + "\n";
    }

    private static string Quote(string value) =>
        value.Length == 0 || value.IndexOfAny([':', '#', '\n', '"', '\'', '[', ']', '{', '}', ',']) >= 0 ? "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : value;

    private static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed record Axis(string Name, AxisValue[] Values, string? YamlPath);

    private sealed record AxisValue(string Label, string? HardwareYaml, string? ModelYaml, Action<LlmSimulationBuilder>? Apply);
}
