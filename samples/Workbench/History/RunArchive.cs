using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RapidLlm.Workbench.Running;

namespace RapidLlm.Workbench.History;

/// <summary>
/// Runs kept on disk, one folder per run under <c>runs/</c> of the data directory: <c>run.json</c> (everything the
/// workbench shows), <c>hardware.yaml</c>, <c>model.yaml</c>, <c>result.json</c> and <c>result.csv</c>. Each session
/// writes only its own runs' folders, so sessions never share mutable state; the folder is what lets a run be reloaded
/// after a restart and downloaded.
/// </summary>
public sealed partial class RunArchive
{
    /// <summary>The files a run folder may hold, for downloads.</summary>
    public static readonly IReadOnlyList<string> Files = ["hardware.yaml", "model.yaml", "result.json", "result.csv", "run.json"];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly WorkbenchOptions _options;
    private readonly ILogger<RunArchive> _log;

    /// <summary>Creates the archive over the configured data directory.</summary>
    /// <param name="options">The workbench options.</param>
    /// <param name="log">Where write failures are logged.</param>
    public RunArchive(IOptions<WorkbenchOptions> options, ILogger<RunArchive> log)
    {
        _options = options.Value;
        _log = log;
    }

    /// <summary>The folder runs are kept in.</summary>
    public string RunsDirectory => Path.Combine(_options.DataDirectory, "runs");

    /// <summary>A new run id: the time and six random hex digits.</summary>
    /// <param name="now">The start time.</param>
    /// <returns>The id.</returns>
    public static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..3]);

    /// <summary>True for an id the archive could have made (so a URL cannot reach outside the folder).</summary>
    /// <param name="id">The id.</param>
    /// <returns>Whether it is well formed.</returns>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Writes a run's folder; failures are logged and returned, never thrown.</summary>
    /// <param name="run">The run.</param>
    /// <returns>Null on success, else why it could not be saved.</returns>
    public string? Save(RunRecord run)
    {
        try
        {
            var folder = Path.Combine(RunsDirectory, run.Id);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "hardware.yaml"), run.HardwareYaml);
            File.WriteAllText(Path.Combine(folder, "model.yaml"), run.ModelYaml);
            if (run.ResultJson is { } json) File.WriteAllText(Path.Combine(folder, "result.json"), json);
            if (run.ResultCsv is { } csv) File.WriteAllText(Path.Combine(folder, "result.csv"), csv);
            var temp = Path.Combine(folder, "run.json.tmp");
            File.WriteAllText(temp, JsonSerializer.Serialize(run, Json));
            File.Move(temp, Path.Combine(folder, "run.json"), overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _log.LogWarning("Could not save run {Id} under {Folder}: {Message}", run.Id, RunsDirectory, e.Message);
            return $"The run could not be saved under {RunsDirectory}: {e.Message}";
        }
    }

    /// <summary>The saved runs, newest first (at most <see cref="WorkbenchOptions.MaxSavedRuns"/>); unreadable folders are skipped.</summary>
    /// <returns>The runs.</returns>
    public IReadOnlyList<RunRecord> List()
    {
        if (!Directory.Exists(RunsDirectory)) return [];
        return Directory.EnumerateDirectories(RunsDirectory)
            .Select(Path.GetFileName)
            .Where(IsValidId)
            .OrderDescending(StringComparer.Ordinal)
            .Take(_options.MaxSavedRuns)
            .Select(id => Load(id!))
            .OfType<RunRecord>()
            .ToList();
    }

    /// <summary>Reads a saved run.</summary>
    /// <param name="id">Its id.</param>
    /// <returns>The run, or null when it is missing or unreadable.</returns>
    public RunRecord? Load(string id)
    {
        if (!IsValidId(id)) return null;
        var path = Path.Combine(RunsDirectory, id, "run.json");
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or NotSupportedException)
        {
            _log.LogWarning("Skipping unreadable run {Path}: {Message}", path, e.Message);
            return null;
        }
    }

    /// <summary>Deletes a saved run.</summary>
    /// <param name="id">Its id.</param>
    public void Delete(string id)
    {
        if (!IsValidId(id)) return;
        var folder = Path.Combine(RunsDirectory, id);
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Could not delete {Folder}: {Message}", folder, e.Message);
        }
    }

    /// <summary>The path of one of a run's files, for a download.</summary>
    /// <param name="id">The run.</param>
    /// <param name="file">One of <see cref="Files"/>.</param>
    /// <returns>The path, or null when there is no such file.</returns>
    public string? PathOf(string id, string file)
    {
        if (!IsValidId(id) || !Files.Contains(file)) return null;
        var path = Path.Combine(RunsDirectory, id, file);
        return File.Exists(path) ? path : null;
    }

    [GeneratedRegex("^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")]
    private static partial Regex IdPattern();
}
