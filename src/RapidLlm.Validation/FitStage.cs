namespace RapidLlm.Validation;

/// <summary>
/// Parameters fitted together to one set of measurements: the objective maps a candidate hardware document to the
/// error to minimise (mean |error| in percent of the stage's measurements).
/// </summary>
/// <param name="Name">The stage's name, for example <c>GEMM kernels</c>.</param>
/// <param name="Data">What the stage is fitted to, in a few words.</param>
/// <param name="Parameters">The parameters this stage fits.</param>
/// <param name="Objective">Error of a candidate hardware YAML document.</param>
public sealed record FitStage(string Name, string Data, IReadOnlyList<FitParameter> Parameters, Func<string, double> Objective);

/// <summary>The outcome of one stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Before">Parameter values before the stage (null where the file had none).</param>
/// <param name="After">Fitted values.</param>
/// <param name="ObjectiveBefore">The objective before the stage.</param>
/// <param name="ObjectiveAfter">The objective with the fitted values.</param>
/// <param name="Evaluations">How many candidate documents were evaluated.</param>
public sealed record FitStageResult(
    FitStage Stage,
    IReadOnlyDictionary<string, double?> Before,
    IReadOnlyDictionary<string, double> After,
    double ObjectiveBefore,
    double ObjectiveAfter,
    int Evaluations);
