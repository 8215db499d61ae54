using System.Diagnostics;
using System.Globalization;

namespace RapidLlm.Cli;

/// <summary>
/// Checks of the files a command writes and reads, made before any work: a folder, a named pipe (FIFO) or a device
/// where a file is expected gets a sentence and exit code 2 instead of a raw error, a write into a pipe that nobody
/// reads (which blocks forever) or results thrown away after minutes of work.
/// </summary>
internal static class OutputPaths
{
    /// <summary>Why <paramref name="path"/> (given to <paramref name="option"/>) cannot receive a file, or null.</summary>
    /// <param name="option">The option as the user types it, e.g. <c>--json</c>.</param>
    /// <param name="path">The path given.</param>
    /// <param name="kind">What the file holds, e.g. "JSON".</param>
    public static string? FileProblem(string option, string path, string kind)
    {
        if (path.Length == 0) return $"{option} needs a file name.";
        if (Directory.Exists(path)) return $"{option} '{path}' is a folder; give the name of the {kind} file to write.";
        if (File.Exists(path))
        {
            // A named pipe nobody reads blocks the write forever; the process's own output streams and devices such
            // as /dev/null are fine.
            if (!IsStandardStream(path) && IsSpecialFile(path, "-p"))
                return $"{option} '{path}' is a named pipe; give the name of the {kind} file to write.";
            try
            {
                using var _ = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"{option} '{path}' cannot be written: {e.Message}";
            }
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (File.Exists(folder)) return $"{option} '{path}': '{folder}' is a file, not a folder.";
        return WriteProbe(folder) is { } error ? $"{option} '{path}' cannot be written: {error}" : null;
    }

    /// <summary>Why <paramref name="path"/> cannot be read as an input file of at most <paramref name="maxBytes"/>, or null.</summary>
    public static string? InputProblem(string path, long maxBytes)
    {
        if (Directory.Exists(path)) return $"{path}: this is a folder, not a file.";
        if (!File.Exists(path)) return $"{path}: no such file (looked at {Path.GetFullPath(path)}).";
        if (IsSpecialFile(path, "! -f")) return $"{path}: not a regular file (a named pipe or a device); give the file itself.";
        var length = new FileInfo(path).Length;
        return length > maxBytes
            ? string.Create(CultureInfo.InvariantCulture, $"{path}: the file has {length:N0} bytes, more than the {maxBytes / (1024 * 1024)} MiB a search result may have.")
            : null;
    }

    /// <summary>The text of a regular file, reading at most <paramref name="maxBytes"/> (a file that grew past it is refused).</summary>
    /// <exception cref="IOException">The file is larger than the limit.</exception>
    public static string ReadBounded(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var bounded = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            bounded.Write(buffer, 0, read);
            if (bounded.Length > maxBytes) throw new IOException(string.Create(CultureInfo.InvariantCulture, $"{path}: the file is larger than {maxBytes / (1024 * 1024)} MiB, the most a search result may have."));
        }

        bounded.Position = 0;
        using var reader = new StreamReader(bounded, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Creates the folder if needed and writes (then deletes) a probe file in it; returns why that failed, or null.</summary>
    public static string? WriteProbe(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, ".rapidllm-write-probe-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }

    private static bool IsStandardStream(string path) => path is "/dev/stdout" or "/dev/stderr" or "/dev/fd/1" or "/dev/fd/2";

    /// <summary>
    /// Whether an existing non-folder path passes POSIX <c>test</c> with <paramref name="test"/> (<c>-p</c>: a named pipe;
    /// <c>! -f</c>: anything but a regular file), following links as opening does. .NET reports no file type, so the
    /// shell's <c>test</c> answers; on Windows, and where no shell runs, the answer is no.
    /// </summary>
    public static bool IsSpecialFile(string path, string test)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-c", $"test {test} \"$1\"", "sh", path }) start.ArgumentList.Add(argument);
            using var shell = Process.Start(start);
            if (shell is null) return false;
            if (!shell.WaitForExit(5000))
            {
                shell.Kill();
                return false;
            }

            return shell.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
