using System.Collections;
using System.Collections.Immutable;

namespace RapidLlm.Common;

/// <summary>
/// An immutable array with structural equality, so records that hold lists compare by content.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly ImmutableArray<T> _items;

    /// <summary>Wraps the given items.</summary>
    /// <param name="items">The items, copied.</param>
    public EquatableArray(IEnumerable<T> items) => _items = items.ToImmutableArray();

    /// <summary>An empty array.</summary>
    public static EquatableArray<T> Empty => new([]);

    /// <summary>The items as an immutable array.</summary>
    public ImmutableArray<T> AsImmutableArray() => _items.IsDefault ? [] : _items;

    /// <inheritdoc />
    public int Count => _items.IsDefault ? 0 : _items.Length;

    /// <inheritdoc />
    public T this[int index] => AsImmutableArray()[index];

    /// <inheritdoc />
    public bool Equals(EquatableArray<T> other) =>
        AsImmutableArray().AsSpan().SequenceEqual(other.AsImmutableArray().AsSpan(), EqualityComparer<T>.Default);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsImmutableArray()) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>Structural equality.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Structural inequality.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>Wraps an immutable array.</summary>
    public static implicit operator EquatableArray<T>(ImmutableArray<T> items) => new(items);

    /// <summary>Wraps an array (copied).</summary>
    public static implicit operator EquatableArray<T>(T[] items) => new(items);

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)AsImmutableArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", AsImmutableArray()) + "]";
}
