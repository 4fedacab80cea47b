namespace SimpleRnnTorch.Experiments;

/// <summary>Order statistics as numpy.percentile computes them (linear between ranks), to compare like with like.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var sorted = values.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }

    public static double Median(IReadOnlyList<double> values) => Of(values, 50);
}
