namespace RapidLlm.Operations.Moe;

/// <summary>
/// A MoE dispatch (or combine) split into what a balanced exchange moves and what only the hot rank still waits for.
/// The total routed volume is kept: a symmetric all-to-all carries the cold share, and the remainder arrives at the
/// hot rank as point-to-point transfers spread evenly over the other ranks. Congestion is not modelled.
/// </summary>
/// <param name="TotalBytes">Routed activation bytes (rounded up to whole bytes).</param>
/// <param name="AllToAllBytes">Bytes of the symmetric all-to-all.</param>
/// <param name="ResidualTotalBytes">Bytes left over for the hot rank.</param>
/// <param name="ResidualPerSenderBytes">Residual bytes each other rank sends to the hot rank.</param>
/// <param name="ResidualSenders">Ranks sending residual bytes.</param>
/// <param name="RoutingGroup">Ranks in the exchange.</param>
internal sealed record MoeCommDecomposition(
    long TotalBytes,
    long AllToAllBytes,
    long ResidualTotalBytes,
    long ResidualPerSenderBytes,
    int ResidualSenders,
    int RoutingGroup)
{
    /// <summary>Splits <paramref name="bytes"/> for a routing group under an imbalance profile.</summary>
    /// <param name="bytes">Routed activation bytes.</param>
    /// <param name="routingGroup">Ranks in the exchange.</param>
    /// <param name="profile">The imbalance profile.</param>
    /// <returns>The decomposition.</returns>
    public static MoeCommDecomposition Of(double bytes, int routingGroup, MoeImbalanceProfile profile)
    {
        var total = (long)Math.Ceiling(bytes);
        var group = Math.Max(1, routingGroup);
        var others = Math.Max(0, group - 1);
        if (total <= 0) return new MoeCommDecomposition(0, 0, 0, 0, others, group);
        if (group <= 1 || !profile.IsImbalanced) return new MoeCommDecomposition(total, total, 0, 0, others, group);

        var allToAll = (long)Math.Floor(total * Math.Clamp(profile.ColdExpertFactor, 0.0, 1.0));
        allToAll = Math.Clamp(allToAll, 0, total);
        var residual = Math.Max(0, total - allToAll);
        var senders = residual > 0 ? Math.Max(1, others) : others;
        var perSender = residual > 0 && senders > 0 ? (long)Math.Ceiling((double)residual / senders) : 0;
        return new MoeCommDecomposition(total, allToAll, residual, perSender, senders, group);
    }
}
