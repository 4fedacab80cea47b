using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SkiaSharp;

namespace SimpleRnnTorch.Tests.Reporting;

public sealed class AddingSweepPlotTests
{
    private static SweepPoint Point(int t, CellKind cell, params double[] mse) =>
        new(t, cell, mse.Select((m, i) => new SweepRun(t, cell, i + 1, m, 1.0 / 6, m, TimeSpan.FromSeconds(1), double.IsInfinity(m))).ToList());

    [Fact]
    public void One_line_per_cell_in_the_cells_colours_with_a_title_and_a_diverged_run_left_out()
    {
        SweepPoint[] points =
        [
            Point(5, CellKind.Rnn, 1e-3, 2e-3, 3e-3), Point(50, CellKind.Rnn, 0.16, 0.17, 0.165),
            Point(5, CellKind.Lstm, 2e-4, 3e-4, double.PositiveInfinity), Point(50, CellKind.Lstm, 1e-3, 2e-3, 0.16),
            Point(5, CellKind.Gru, 1e-4, 1e-4, 2e-4), Point(50, CellKind.Gru, 2e-4, 3e-4, 1e-4),
        ];

        using var bitmap = SKBitmap.Decode(AddingSweepPlot.Render(points));

        Assert.Equal((1000, 600), (bitmap.Width, bitmap.Height));
        foreach (var cell in new[] { CellKind.Rnn, CellKind.Lstm, CellKind.Gru })
        {
            Assert.True(PixelCounts.Near(bitmap, PlotStyle.CellColor(cell)) > 500, $"{cell}'s line missing");
        }

        Assert.True(PixelCounts.Ink(bitmap, 250, 0, 750, 35) > 100, "title text missing");
        Assert.Equal(2e-3, points[3].MedianMse);
        Assert.Equal(3e-4, points[2].MedianMse); // +∞ sorts last: a diverged run counts as not learned, never as the median's best
        Assert.Equal(2, points[2].Learned);
        Assert.Equal(2.5e-4, Point(5, CellKind.Gru, 1e-4, 2e-4, 3e-4, 4e-4).MedianMse, 12);
        Assert.Equal(double.PositiveInfinity, Point(5, CellKind.Gru, 1e-4, double.PositiveInfinity, double.PositiveInfinity).MedianMse);
    }
}
