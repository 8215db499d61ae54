namespace RapidLlm.Workbench.Components.Charts;

/// <summary>One line of a <see cref="LineChart"/>: a value (or a gap) per category.</summary>
/// <param name="Name">The legend's label.</param>
/// <param name="Values">One value per category; null is a point that could not be estimated.</param>
/// <param name="Flagged">Points drawn as warnings (e.g. does not fit); may be empty.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values, IReadOnlyList<bool> Flagged);

/// <summary>One bar of a <see cref="BarChart"/>, made of stacked segments.</summary>
/// <param name="Label">The bar's label.</param>
/// <param name="Segments">The parts, in the order of the chart's segment names.</param>
public sealed record ChartBar(string Label, IReadOnlyList<double> Segments);

/// <summary>One point of a <see cref="ScatterChart"/>.</summary>
/// <param name="X">The x value.</param>
/// <param name="Y">The y value.</param>
/// <param name="Label">What the point is (its tooltip).</param>
/// <param name="Highlighted">On the Pareto front (drawn bold and joined).</param>
/// <param name="Flagged">Drawn as a warning (e.g. does not fit).</param>
/// <param name="Key">What a click on the point picks (e.g. a candidate's rank), or -1 when it picks nothing.</param>
public sealed record ChartPoint(double X, double Y, string Label, bool Highlighted, bool Flagged, int Key = -1);
