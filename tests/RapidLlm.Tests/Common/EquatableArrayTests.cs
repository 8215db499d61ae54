using RapidLlm.Common;

namespace RapidLlm.Tests.Common;

public class EquatableArrayTests
{
    [Test]
    public void ArraysWithTheSameItemsAreEqual()
    {
        EquatableArray<int> a = new[] { 1, 2, 3 };
        EquatableArray<int> b = new[] { 1, 2, 3 };
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
    }

    [Test]
    public void ArraysWithDifferentItemsDiffer()
    {
        EquatableArray<int> a = new[] { 1, 2, 3 };
        EquatableArray<int> b = new[] { 1, 2 };
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void DefaultIsEmpty() => Assert.That(default(EquatableArray<int>), Has.Count.EqualTo(0));
}
