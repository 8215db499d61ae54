namespace RapidLlm.Inference;

/// <summary>How many transformer layers the energy model charges compute and HBM traffic for.</summary>
public enum EnergyAccounting
{
    /// <summary>
    /// Every layer: layer FLOPs, HBM bytes and communicated bytes × layer count, vocabulary ops once. The default.
    /// </summary>
    AllLayers,

    /// <summary>
    /// The reference's arithmetic, for parity: FLOPs and HBM bytes of a single layer (plus vocabulary ops), while all
    /// communicated bytes, the vocabulary ops' included, are × layer count. Underestimates energy by roughly the layer count.
    /// </summary>
    ReferenceSingleLayer,
}
