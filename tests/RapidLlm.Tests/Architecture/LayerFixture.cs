// Two tiny layers for LayerTests: Low reaches up to High in three ways, High uses Low (allowed), Bottom uses only Low.

namespace RapidLlm.Tests.Architecture.Fixture.Low
{
    public sealed class Bottom
    {
        public int Value { get; init; } = 1;
    }

    public static class UsesHighInBody
    {
        public static int Count() => new High.Top().Size;
    }

    public static class UsesHighInSignature
    {
        public static object? Read(High.Top? top) => top;
    }

    public static class UsesHighInLambda
    {
        public static Func<int> Later() => () => new High.Top().Size;
    }
}

namespace RapidLlm.Tests.Architecture.Fixture.High
{
    public sealed class Top
    {
        public int Size { get; } = new Low.Bottom().Value;
    }
}
