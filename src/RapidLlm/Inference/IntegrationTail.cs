namespace RapidLlm.Inference;

/// <summary>Steps after the last sample, charged at the last sample's cost (empty when the last step is sampled).</summary>
/// <param name="FromStep">The last sample's step.</param>
/// <param name="Steps">Steps after it.</param>
/// <param name="ContributionSeconds">Steps × last step time.</param>
/// <param name="ContributionJoules">Steps × last step energy.</param>
internal sealed record IntegrationTail(int FromStep, int Steps, double ContributionSeconds, double ContributionJoules);
