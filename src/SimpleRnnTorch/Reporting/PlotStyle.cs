using ScottPlot;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// The look every figure of the program shares: the lesson's two colours, 1000x600, a light dashed
/// grid and an installed sans-serif font (see <see cref="PlotFont"/>).
/// </summary>
internal static class PlotStyle
{
    public const int Width = 1000;
    public const int Height = 600;
    public static readonly Color Blue = Color.FromHex("#1c7ed6");
    public static readonly Color Orange = Color.FromHex("#fd7e14");

    /// <summary>For the figures that need more than the lesson's two: the same palette's green and violet.</summary>
    public static readonly Color Green = Color.FromHex("#2f9e44");
    public static readonly Color Violet = Color.FromHex("#7048e8");

    /// <summary>Titles, legend, grid and font, then the PNG. The font is resolved first: no font, no picture.</summary>
    public static byte[] ToPng(Plot plot, string title, string xLabel, string yLabel, Alignment legend, int width = Width, int height = Height)
    {
        var font = PlotFont.Resolve();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        plot.Grid.MajorLinePattern = LinePattern.Dashed;
        plot.Font.Set(font);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
