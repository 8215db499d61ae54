namespace RapidLlm.Inference;

/// <summary>One trapezoid between two neighbouring samples.</summary>
/// <param name="FromStep">Earlier sample step.</param>
/// <param name="ToStep">Later sample step.</param>
/// <param name="MidpointSeconds">Mean of the two step times.</param>
/// <param name="ContributionSeconds">Midpoint × width: the time credited to steps after <paramref name="FromStep"/> up to <paramref name="ToStep"/>.</param>
/// <param name="ContributionJoules">The same for energy.</param>
internal sealed record IntegrationSegment(
    int FromStep,
    int ToStep,
    double MidpointSeconds,
    double ContributionSeconds,
    double ContributionJoules)
{
    /// <summary>Steps covered by the segment.</summary>
    public int Width => ToStep - FromStep;
}
