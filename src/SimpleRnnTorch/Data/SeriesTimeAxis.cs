using System.Globalization;

namespace SimpleRnnTorch.Data;

/// <summary>
/// The labels of a series' values, from its time column, kept in constant memory: the first and last
/// label as written and, when every label is a number on a fixed step (years, say), that start and step,
/// from which any position's label — and the labels of a forecast beyond the end — follow.
/// Other labels (dates, text, irregular numbers) name only the ends; a forecast is then "last +k".
/// </summary>
internal sealed record SeriesTimeAxis(string Name, string First, string Last, double? Start, double? Step)
{
    public bool IsRegular => Start is not null && Step is not null;

    /// <summary>The label of the value at <paramref name="index"/>, or null where only the ends are known.</summary>
    public string? Label(long index, long length)
    {
        if (Start is { } start && Step is { } step)
        {
            return Number(start + (index * step));
        }

        return index == 0 ? First : index == length - 1 ? Last : null;
    }

    /// <summary>The label of the k-th value (1-based) after the last of <paramref name="length"/>.</summary>
    public string Beyond(int k, long length) =>
        Start is { } start && Step is { } step ? Number(start + ((length - 1 + k) * step)) : $"{Last} +{k}";

    /// <summary>The plot's x of a position: the label's number on a regular axis, else the position itself.</summary>
    public double X(double index) => Start is { } start && Step is { } step ? start + (index * step) : index;

    private static string Number(double value) => Math.Round(value, 9).ToString("0.#########", CultureInfo.InvariantCulture);
}
