namespace RapidLlm.Operations;

/// <summary>
/// What the energy model needs from one layer's forward costs. As in the reference these cover a single layer:
/// the caller multiplies only the communicated bytes by the layer count and adds the cross-stage bytes.
/// </summary>
/// <param name="Flops">Σ forward FLOPs of the counted operators.</param>
/// <param name="DramBytes">Σ forward DRAM (last-level) bytes.</param>
/// <param name="CommBytes">Σ forward communicated bytes.</param>
internal sealed record EnergyInputs(double Flops, double DramBytes, double CommBytes)
{
    /// <summary>Operators the reference counts (MLP members first, then the others).</summary>
    public static IReadOnlyList<string> CountedOperators { get; } =
        ["ffn1", "gelu", "ffn2", "layernorm1", "layernorm2", "embedding", "linear_softmax", "qkv_proj", "attention", "output_proj"];

    /// <summary>Sums the counted operators' forward costs in the reference's order.</summary>
    /// <param name="operations">Operator costs (others are ignored).</param>
    /// <returns>The inputs.</returns>
    public static EnergyInputs FromForward(IEnumerable<OperationCost> operations)
    {
        var byName = operations.ToDictionary(op => op.Name);
        double flops = 0, dram = 0, comm = 0;
        foreach (var name in CountedOperators)
        {
            if (!byName.TryGetValue(name, out var op)) continue;
            flops += op.Forward.Flops;
            dram += op.Forward.MemoryAccesses.IsReported ? op.Forward.MemoryAccesses.At(3) : 0.0;
            comm += op.Forward.CommBytes;
        }
        return new EnergyInputs(flops, dram, comm);
    }
}
