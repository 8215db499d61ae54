using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RapidLlm.AstraSim.Running;

/// <summary>
/// Remembers AstraSim results by the SHA-256 of the run's input file contents, in a JSON file written atomically.
/// One instance may be shared by concurrent runs; separate processes sharing a file can at worst lose an entry.
/// </summary>
internal sealed class AstraSimResultCache
{
    private readonly object _gate = new();

    /// <summary>Creates a cache stored at <paramref name="path"/> (created on first store).</summary>
    public AstraSimResultCache(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>The content key of <paramref name="invocation"/>: file contents only, so paths and folders do not matter.</summary>
    public static string Key(AstraSimInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(invocation.NpusCount));
        foreach (var file in invocation.InputFiles())
        {
            var bytes = File.ReadAllBytes(file);
            hash.AppendData(BitConverter.GetBytes(bytes.LongLength));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The cached per-rank seconds for <paramref name="key"/>, if a valid entry exists.</summary>
    public double[]? TryGet(string key, int npusCount)
    {
        lock (_gate)
        {
            return Load().TryGetValue(key, out var seconds) && seconds.Length == npusCount && seconds.All(s => s > 0)
                ? seconds
                : null;
        }
    }

    /// <summary>Stores <paramref name="perRankSeconds"/> under <paramref name="key"/>.</summary>
    public void Store(string key, IReadOnlyList<double> perRankSeconds)
    {
        lock (_gate)
        {
            var entries = Load();
            entries[key] = [.. perRankSeconds];
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
            var temporary = $"{FilePath}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(entries, AstraSimCacheJson.Default.DictionaryStringDoubleArray));
            File.Move(temporary, FilePath, overwrite: true);
        }
    }

    private Dictionary<string, double[]> Load()
    {
        if (!File.Exists(FilePath))
        {
            return new Dictionary<string, double[]>(StringComparer.Ordinal);
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), AstraSimCacheJson.Default.DictionaryStringDoubleArray)
                ?? new Dictionary<string, double[]>(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A damaged cache only costs re-running AstraSim; never fail an estimate over it.
            return new Dictionary<string, double[]>(StringComparer.Ordinal);
        }
    }
}

/// <summary>The cache file's shape, serialised without reflection (file-based and trimmed apps turn reflection off).</summary>
[JsonSerializable(typeof(Dictionary<string, double[]>))]
internal sealed partial class AstraSimCacheJson : JsonSerializerContext;
