using SimpleRnnTorch.Common;
using SkiaSharp;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// Picks an installed sans-serif family for plots. ScottPlot's default resolves to a serif font here,
/// and with no font at all Skia draws text as nothing, silently; a loss plot without a title or axis
/// labels is worse than a clear error, so we refuse instead.
/// </summary>
internal static class PlotFont
{
    public static readonly IReadOnlyList<string> Candidates =
    [
        "DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica", "Helvetica Neue",
        "Segoe UI", "FreeSans", "Nimbus Sans", "Ubuntu", "Cantarell",
    ];

    public static string Resolve()
    {
        foreach (var family in Candidates)
        {
            using var typeface = SKFontManager.Default.MatchFamily(family);
            if (typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                return typeface.FamilyName;
            }
        }

        throw new PlotFontMissingException(
            "no sans-serif font found for the plot (tried " + string.Join(", ", Candidates) +
            "); install one, e.g. `apt-get install fonts-dejavu-core` on Debian/Ubuntu");
    }
}

internal sealed class PlotFontMissingException(string message) : ProgramError(message, FailureKind.Unavailable);
