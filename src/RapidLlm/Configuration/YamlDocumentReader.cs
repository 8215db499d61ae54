using System.Globalization;
using RapidLlm.Configuration.Yaml;

namespace RapidLlm.Configuration;

/// <summary>
/// Reads configuration files, turning I/O failures into configuration errors. Reading is bounded: at most
/// <see cref="YamlLimits.MaxDocumentBytes"/> characters are read, and a file that delivers nothing within
/// <see cref="ReadTimeout"/> (a named pipe nobody writes to) is reported instead of blocking forever.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>How long a file may take to deliver its text (a pipe fed by a slow program counts against it).</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    public static string ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw Problem(path, "no file name was given");
        if (Directory.Exists(path)) throw Problem(path, "this is a folder, not a file; give the path of a YAML file");
        if (!File.Exists(path)) throw Problem(path, $"the file does not exist (looked at {Path.GetFullPath(path)})");

        // On a thread of its own: a pool task can wait past the timeout for a thread when the pool is busy (many
        // estimates reading files in parallel), which would report a regular file as a pipe that delivers nothing.
        var reading = Task.Factory.StartNew(() => ReadBounded(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        bool finished;
        try
        {
            finished = reading.Wait(ReadTimeout);
        }
        catch (AggregateException e) when (e.InnerException is ConfigurationException inner)
        {
            throw inner;
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Problem(path, "cannot read the file: " + e.InnerException.Message);
        }

        if (finished) return reading.Result;
        ReleaseBlockedReader(path);
        throw Problem(path, $"the file delivered no text within {ReadTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; "
            + "it is probably a named pipe (FIFO) or a device with nothing writing to it; give a regular YAML file");
    }

    private static string ReadBounded(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[YamlLimits.MaxDocumentBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = reader.Read(buffer, length, buffer.Length - length);
            if (read == 0) break;
            length += read;
        }

        if (length > YamlLimits.MaxDocumentBytes)
            throw Problem(path, $"the file is larger than {YamlLimits.MaxDocumentBytes / 1024} KiB, the limit for a configuration file");
        return new string(buffer, 0, length);
    }

    // A reader blocked in open() on a FIFO is released when a writer opens and closes the other end.
    private static void ReleaseBlockedReader(string path)
    {
        try
        {
            using var writer = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        }
#pragma warning disable CA1031 // Best effort: a reader that stays blocked only keeps one pool thread waiting.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static ConfigurationException Problem(string path, string message) =>
        new([new ConfigDiagnostic(DiagnosticSeverity.Error, path, "", 0, 0, null, message)]);
}
