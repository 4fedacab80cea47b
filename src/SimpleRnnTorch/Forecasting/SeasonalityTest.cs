namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// The M4 competition's seasonality test (its benchmarks' code, Makridakis et al. 2018): a series is seasonal at lag
/// m when its autocorrelation there exceeds the 90% one-sided limit
/// <code>|r_m| &gt; 1.645 · √((1 + 2 · Σ_{k=1}^{m−1} r_k²) / n)</code>
/// and it has at least three seasons (n ≥ 3m); otherwise, and for m ≤ 1, it is not. The test the M4 benchmark
/// Comb uses to decide whether to deseasonalise.
/// </summary>
internal static class SeasonalityTest
{
    /// <summary>The one-sided 90% quantile of the normal distribution, as the M4 code has it.</summary>
    public const double Critical = 1.645;

    public static bool IsSeasonal(ReadOnlySpan<float> values, int season) =>
        season > 1 && values.Length >= 3 * season && Statistic(values, season) is var (r, limit) && Math.Abs(r) > limit;

    /// <summary>r_m and the limit |r_m| is compared with; (0, +∞) for a constant series.</summary>
    public static (double Autocorrelation, double Limit) Statistic(ReadOnlySpan<float> values, int season)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(season, 1);
        var n = values.Length;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(n, season, nameof(values));

        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        double variance = 0;
        foreach (var v in values)
        {
            variance += (v - mean) * (v - mean);
        }

        if (!(variance > 0))
        {
            return (0, double.PositiveInfinity);
        }

        double squares = 0;
        for (var k = 1; k < season; k++)
        {
            var r = Autocorrelation(values, mean, variance, k);
            squares += r * r;
        }

        return (Autocorrelation(values, mean, variance, season), Critical * Math.Sqrt((1 + (2 * squares)) / n));
    }

    /// <summary>r_k = Σ (x_i − x̄)(x_{i+k} − x̄) / Σ (x_i − x̄)², as R's acf computes it.</summary>
    private static double Autocorrelation(ReadOnlySpan<float> values, double mean, double variance, int lag)
    {
        double sum = 0;
        for (var i = 0; i + lag < values.Length; i++)
        {
            sum += (values[i] - mean) * (values[i + lag] - mean);
        }

        return sum / variance;
    }
}
