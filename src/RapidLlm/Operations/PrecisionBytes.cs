namespace RapidLlm.Operations;

/// <summary>Bytes per element of each tensor class (the reference's <c>sw_param.precision</c> block).</summary>
/// <param name="Activations">Activations (the tensor format).</param>
/// <param name="KvCache">KV-cache entries.</param>
/// <param name="Parameters">Stored parameters.</param>
/// <param name="Gradients">Gradients.</param>
/// <param name="GradCommunication">Gradients on the wire.</param>
/// <param name="OptimizerStates">Each optimizer moment.</param>
/// <param name="Stats">Layer-norm statistics.</param>
/// <param name="MasterParameters">Master copy of the parameters (0 when none).</param>
internal sealed record PrecisionBytes(
    double Activations,
    double KvCache,
    double Parameters,
    double Gradients,
    double GradCommunication,
    double OptimizerStates,
    double Stats,
    double MasterParameters)
{
    /// <summary>The reference defaults for a given tensor format: fp32 gradients, optimizer states and stats, no master copy.</summary>
    /// <param name="tensorBytes">Bytes of the tensor format (also used for the KV cache, parameters and gradient communication).</param>
    /// <returns>The precision set.</returns>
    public static PrecisionBytes Default(double tensorBytes) =>
        new(tensorBytes, tensorBytes, tensorBytes, 4.0, tensorBytes, 4.0, 4.0, 0.0);
}
