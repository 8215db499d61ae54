namespace RapidLlm.Common;

/// <summary>Systolic dataflow of the GEMM model.</summary>
internal enum Dataflow
{
    /// <summary>No reuse in the systolic array.</summary>
    None,
    /// <summary>The best of weight, activation and output stationary.</summary>
    Best,
    /// <summary>Weight stationary (<c>wst</c>).</summary>
    WeightStationary,
    /// <summary>Activation stationary (<c>ast</c>).</summary>
    ActivationStationary,
    /// <summary>Output stationary (<c>ost</c>).</summary>
    OutputStationary,
}
