using ScottPlot;
using ScottPlot.TickGenerators;
using SimpleRnnTorch.Model;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// The look every figure of the program shares: the lesson's two colours (and a third from the same
/// palette, Open Color, for the third cell), 1000x600, a light dashed grid, powers of ten on log axes,
/// and an installed sans-serif font (see <see cref="PlotFont"/>).
/// </summary>
internal static class PlotStyle
{
    public const int Width = 1000;
    public const int Height = 600;
    public static readonly Color Blue = Color.FromHex("#1c7ed6");
    public static readonly Color Orange = Color.FromHex("#fd7e14");
    public static readonly Color Green = Color.FromHex("#37b24d");
    public static readonly Color Gray = Color.FromHex("#868e96");

    /// <summary>One colour per recurrent cell, the same in every figure: the lesson's blue for its simple RNN.</summary>
    public static Color CellColor(CellKind cell) => cell switch
    {
        CellKind.Lstm => Orange,
        CellKind.Gru => Green,
        _ => Blue,
    };

    /// <summary>
    /// A base-10 log y axis for data already drawn as log10 values: ticks at whole powers of ten labelled
    /// "1e-5" .. "1", "10", "100", "1e3", faint minor lines at 2..9 × 10^k, and at least one whole decade
    /// shown (a narrow range is widened to the decades around it, a little beyond so both end ticks draw).
    /// </summary>
    public static void UseLogAxisY(Plot plot, IReadOnlyCollection<double> log10Values)
    {
        var ticks = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator { Divisions = 10 },
            LabelFormatter = LossPlot.PowerOfTenLabel,
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Grid.YAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.05); // the y axis only
        plot.Grid.YAxisStyle.MinorLineStyle.Width = 1;

        if (log10Values.Count == 0)
        {
            plot.Axes.SetLimitsY(-1.05, 0.05); // nothing to draw: show 0.1..1 rather than ScottPlot's empty -10..10
        }
        else if (Math.Floor(log10Values.Max()) - Math.Ceiling(log10Values.Min()) < 1)
        {
            var bottom = Math.Floor(log10Values.Min());
            var top = Math.Max(Math.Ceiling(log10Values.Max()), bottom + 1);
            plot.Axes.SetLimitsY(bottom - 0.05, top + 0.05);
        }
    }

    /// <summary>For the figures that need more than the lesson's two colours (and Green, above): the same palette's violet.</summary>
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
