namespace RapidLlm.Operations;

/// <summary>The cost of one named operator of a layer.</summary>
/// <param name="Name">The reference's operator name (<c>qkv_proj</c>, <c>attention</c>, …).</param>
/// <param name="Forward">Forward cost.</param>
/// <param name="Backward">Backward cost; absent for decode steps.</param>
internal sealed record OperationCost(string Name, DirectionCost Forward, DirectionCost? Backward);
