using SkiaSharp;

namespace SimpleRnnTorch.Tests.Reporting;

/// <summary>What a rendered PNG shows, counted in pixels: a curve's colour, or dark text in a region.</summary>
internal static class PixelCounts
{
    public static int Near(SKBitmap bitmap, ScottPlot.Color color) =>
        Count(bitmap, 0, 0, bitmap.Width, bitmap.Height,
            p => Math.Abs(p.Red - color.R) < 12 && Math.Abs(p.Green - color.G) < 12 && Math.Abs(p.Blue - color.B) < 12);

    /// <summary>Near-black pixels in [x0, x1) x [y0, y1): text, where no curve or frame can be.</summary>
    public static int Ink(SKBitmap bitmap, int x0, int y0, int x1, int y1) =>
        Count(bitmap, x0, y0, x1, y1, p => p.Red < 100 && p.Green < 100 && p.Blue < 100);

    private static int Count(SKBitmap bitmap, int x0, int y0, int x1, int y1, Func<SKColor, bool> match)
    {
        var count = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                count += match(bitmap.GetPixel(x, y)) ? 1 : 0;
            }
        }

        return count;
    }
}
