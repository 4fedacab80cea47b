namespace SimpleRnnTorch.Inference;

/// <summary>
/// The forecast beside the network's: exponential smoothing, its form chosen by AICc (<see cref="ExponentialSmoothing.Select"/>)
/// and fitted on the series' most recent <see cref="History"/> values, and the weighted mean of the two forecasts:
/// <c>(1 − Weight)·network + Weight·smoothing</c>, the M4 competition's lesson that a combination beats its members. The
/// smoothing is fitted afresh on the values a forecast is given, so a model forecasts what its run printed from the
/// same values, and any other series of the same kind from its own.
/// </summary>
/// <param name="Weight">The smoothing's share of the forecast, in [0, 1].</param>
/// <param name="Season">The season the smoothing may model (0: none).</param>
/// <param name="History">The most recent values it is fitted on.</param>
public sealed record SmoothingCombination(double Weight, int Season, int History)
{
    /// <summary>The smoothing's share by default where it models no season: an equal mean, as the M4 benchmark Comb's members have.</summary>
    public const double DefaultWeight = 0.5;

    /// <summary>The smoothing's share by default where it models a season, whose forecasts the network's window learns least well (measured on data/corpus, docs/series.md).</summary>
    public const double SeasonalWeight = 0.75;

    /// <summary>
    /// The values the smoothing is fitted on by default: the fit's time grows with them (twelve forms, each a few hundred
    /// passes), and a long series' distant past says little of its next values.
    /// </summary>
    public const int DefaultHistory = 1000;

    /// <summary>The longest season it models (as <see cref="MaxSeason"/> for the baselines): each seasonal term is a state the fit optimises.</summary>
    public const int MaxSeason = 24;

    /// <summary>The fewest values a forecast needs for the smoothing.</summary>
    public static int MinimumValues => ExponentialSmoothing.MinimumHistory;

    /// <summary>Why these numbers cannot be a combination, or null.</summary>
    public string? Problem() =>
        !(Weight >= 0 && Weight <= 1) ? $"its weight {Weight} is not in [0, 1]"
        : Season is < 0 or > MaxSeason ? $"its season {Season} is not in 0..{MaxSeason}"
        : History is < ExponentialSmoothing.MinimumHistory or > OnnxModelInfo.MaxSmoothingHistory ? $"its history {History} is not in {ExponentialSmoothing.MinimumHistory}..{OnnxModelInfo.MaxSmoothingHistory}"
        : null;

    /// <summary>How far from the values around it a value must lie to be wild: this many times the median absolute change a step.</summary>
    public const double WildChanges = 50;

    /// <summary>
    /// The smoothing fitted on the last <see cref="History"/> of <paramref name="values"/>, each as float32 holds it (the model's
    /// type, so a run's float32 series and a caller's doubles fit alike), wild values tamed (<see cref="Tamed"/>).
    /// </summary>
    /// <exception cref="ArgumentException">fewer than <see cref="MinimumValues"/> values, or one that is not finite.</exception>
    public HoltWintersFit Fit(ReadOnlySpan<double> values)
    {
        var recent = values.Length > History ? values[^History..] : values;
        var rounded = new double[recent.Length];
        for (var i = 0; i < recent.Length; i++)
        {
            rounded[i] = (float)recent[i];
        }

        return ExponentialSmoothing.Select(Tamed(rounded), Season > 1 ? Season : null);
    }

    /// <summary>
    /// The values with each wild one (a typo such as 1e6 among hundreds) replaced by the median of the five around it, itself
    /// included: wild when it lies more than <see cref="WildChanges"/> median absolute changes from that median. One wild value
    /// would otherwise decide the fit (its one-step errors dwarf all others': a season is lost). A level shift is not wild, as
    /// the median of five around a shift lies on the value's side; nor is anything in a series that mostly does not change.
    /// </summary>
    public static double[] Tamed(double[] values)
    {
        if (values.Length < 5)
        {
            return values;
        }

        var changes = new double[values.Length - 1];
        for (var i = 0; i < changes.Length; i++)
        {
            changes[i] = Math.Abs(values[i + 1] - values[i]);
        }

        Array.Sort(changes);
        var typical = changes[changes.Length / 2];
        if (!(typical > 0))
        {
            return values;
        }

        var tamed = (double[])values.Clone();
        var around = new double[5];
        for (var i = 0; i < values.Length; i++)
        {
            var from = Math.Clamp(i - 2, 0, values.Length - 5);
            Array.Copy(values, from, around, 0, 5);
            Array.Sort(around);
            if (Math.Abs(values[i] - around[2]) > WildChanges * typical)
            {
                tamed[i] = around[2];
            }
        }

        return tamed;
    }

    /// <summary>The combined forecast: the weighted mean at each step, at least <paramref name="floor"/> where there is one.</summary>
    public double[] Combine(IReadOnlyList<double> network, IReadOnlyList<double> smoothing, double? floor)
    {
        var combined = new double[network.Count];
        for (var h = 0; h < combined.Length; h++)
        {
            var value = ((1 - Weight) * network[h]) + (Weight * smoothing[h]);
            combined[h] = floor is { } f ? Math.Max(f, value) : value;
        }

        return combined;
    }
}
