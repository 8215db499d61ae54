namespace RapidLlm.Interactive.Charts;

/// <summary>Colours told apart also by colour-blind readers (Okabe and Ito), in the order charts use them.</summary>
internal static class Palette
{
    public const string Limit = "#C0392B";
    public const string Grid = "#E3E3E3";
    public const string Axis = "#666666";
    public const string Cloud = "#B8B8B8";

    private static readonly string[] Colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442"];

    public static string At(int index) => Colours[index % Colours.Length];
}
