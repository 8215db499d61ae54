using System.Globalization;

namespace RapidLlm.Search;

/// <summary>
/// One of <see cref="Count"/> deterministic slices of a search's candidate list: candidate i (0-based, in enumeration
/// order) belongs to slice <c>i mod Count + 1</c>. Round-robin slices cost about the same, so a job array finishes
/// together; <see cref="SearchResult.Merge"/> puts the slices back together exactly.
/// </summary>
/// <param name="Index">The slice, 1 ≤ Index ≤ Count.</param>
/// <param name="Count">The number of slices, ≥ 1.</param>
public readonly record struct SearchShard(int Index, int Count)
{
    /// <summary>The whole search (slice 1 of 1).</summary>
    public static SearchShard Whole => new(1, 1);

    /// <summary>Whether this shard is the whole search.</summary>
    public bool IsWhole => Count == 1;

    /// <summary>Whether candidate <paramref name="position"/> (0-based enumeration order) belongs to this slice.</summary>
    /// <param name="position">The candidate's position in the whole list.</param>
    /// <returns>True when this slice evaluates it.</returns>
    public bool Contains(int position) => position % Count == Index - 1;

    /// <summary>Parses <c>I/N</c> (1 ≤ I ≤ N).</summary>
    /// <param name="text">For example <c>2/3</c>.</param>
    /// <param name="shard">The slice.</param>
    /// <param name="problem">Why the text is not a slice; null when it is.</param>
    /// <returns>True when parsed.</returns>
    public static bool TryParse(string? text, out SearchShard shard, out string? problem)
    {
        shard = Whole;
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            problem = $"'{text}' is not a shard: write I/N, e.g. 2/3 for the second of three slices";
            return false;
        }

        if (count < 1 || index < 1 || index > count)
        {
            problem = $"'{text}' is not a shard: I/N needs 1 ≤ I ≤ N";
            return false;
        }

        shard = new SearchShard(index, count);
        problem = null;
        return true;
    }

    /// <summary>The slice as <c>I/N</c>.</summary>
    /// <returns>Text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
