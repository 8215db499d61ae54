using System.Globalization;

namespace RapidLlm.Graphs;

/// <summary>
/// A vertex name kept in parts (<c>head first middle second tail</c>, e.g. <c>transformer_b3_layer12_all_reduce</c>)
/// and joined only when someone reads <see cref="GraphVertex.Name"/>: an estimate builds thousands of vertices and
/// never reads their names.
/// </summary>
internal readonly struct VertexName
{
    private readonly string _head;
    private readonly int _first;
    private readonly string? _middle;
    private readonly int _second;
    private readonly string? _tail;

    /// <summary>A name with one number: <c>head{number}tail</c>.</summary>
    /// <param name="head">Text before the number.</param>
    /// <param name="number">The number (not negative).</param>
    /// <param name="tail">Text after it.</param>
    public VertexName(string head, int number, string? tail = null)
        : this(head, number, null, -1, tail)
    {
    }

    /// <summary>A name with two numbers: <c>head{first}middle{second}tail</c>.</summary>
    /// <param name="head">Text before the first number.</param>
    /// <param name="first">The first number (not negative).</param>
    /// <param name="middle">Text between the numbers.</param>
    /// <param name="second">The second number (not negative).</param>
    /// <param name="tail">Text after it.</param>
    public VertexName(string head, int first, string? middle, int second, string? tail = null)
    {
        _head = head ?? throw new ArgumentNullException(nameof(head));
        _first = first;
        _middle = middle;
        _second = second;
        _tail = tail;
    }

    /// <summary>A name without numbers.</summary>
    /// <param name="name">The name.</param>
    public static implicit operator VertexName(string name) => new(name, -1, null, -1);

    /// <summary>The joined name.</summary>
    /// <returns>The name.</returns>
    public override string ToString()
    {
        if (_first < 0 && _second < 0 && _middle is null && _tail is null)
        {
            return _head;
        }

        var first = _first >= 0 ? _first.ToString(CultureInfo.InvariantCulture) : null;
        var second = _second >= 0 ? _second.ToString(CultureInfo.InvariantCulture) : null;
        return string.Concat(_head, first, _middle, second, _tail);
    }
}
