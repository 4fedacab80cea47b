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
    /// <summary>
    /// The smoothing's share where it may model a season (<see cref="Season"/> &gt; 1) but the form AICc chose for the values has
    /// none: those values show no season it can use, and the share is the one for a series without one. Null: <see cref="Weight"/> always.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? UnseasonedWeight { get; init; }

    /// <summary>The share for a fit of the form <paramref name="form"/>: <see cref="UnseasonedWeight"/> where the form has no season, else <see cref="Weight"/>.</summary>
    public double WeightFor(SmoothingForm form) => form.Season == 0 && UnseasonedWeight is { } unseasoned ? unseasoned : Weight;

    /// <summary>The smoothing's share by default where the series has no season: an equal mean, as the M4 benchmark Comb's members have.</summary>
    public const double DefaultWeight = 0.5;

    /// <summary>The smoothing's share by default where the series has a season it cannot model (longer than <see cref="MaxSeason"/>, or than its values start): the network's window holds it.</summary>
    public const double UnmodelledSeasonWeight = 0.25;

    /// <summary>
    /// The smoothing's share by default where it models a season, whose forecasts the network's window learns least well: the
    /// share of least mean MASE on the corpus' 40 seasonal series (data/corpus; 0.75 to 0.95 within 0.3% of it, docs/series.md).
    /// Where the form chosen for the values has no season, <see cref="DefaultWeight"/> instead (<see cref="UnseasonedWeight"/>:
    /// on the corpus' 46 untuned series mean MASE 1.580 → 1.573).
    /// </summary>
    public const double SeasonalWeight = 0.85;

    /// <summary>
    /// The values the smoothing is fitted on by default: the fit's time grows with them (twelve forms, each a few hundred
    /// passes), and a long series' distant past says little of its next values.
    /// </summary>
    public const int DefaultHistory = 1000;

    /// <summary>The longest season it models (as <see cref="MaxSeason"/> for the baselines): each seasonal term is a state the fit optimises.</summary>
    public const int MaxSeason = 24;

    /// <summary>The most values a model's smoothing may be fitted on: ten times what a run writes, about a second's fit with a season of 24.</summary>
    public const int MaxHistory = 10 * DefaultHistory;

    /// <summary>The fewest values a forecast needs for the smoothing.</summary>
    public static int MinimumValues => ExponentialSmoothing.MinimumHistory;

    /// <summary>Why these numbers cannot be a combination, or null.</summary>
    public string? Problem() =>
        !(Weight >= 0 && Weight <= 1) ? $"its weight {Weight} is not in [0, 1]"
        : UnseasonedWeight is { } u && !(u >= 0 && u <= 1) ? $"its weight without a season {u} is not in [0, 1]"
        : UnseasonedWeight is not null && Season <= 1 ? "it has a weight without a season but no season to model"
        : Season is < 0 or > MaxSeason ? $"its season {Season} is not in 0..{MaxSeason}"
        : History is < ExponentialSmoothing.MinimumHistory or > MaxHistory ? $"its history {History} is not in {ExponentialSmoothing.MinimumHistory}..{MaxHistory}"
        : null;

    /// <summary>How far a wild value lies from both its neighbours: this many times the median absolute change a step around it.</summary>
    public const double WildChanges = 20;

    /// <summary>
    /// The smoothing fitted on the last <see cref="History"/> of <paramref name="values"/>, each as float32 holds it (the model's
    /// type, so a run's float32 series and a caller's doubles fit alike), wild values tamed (<see cref="Tamed"/>).
    /// </summary>
    /// <param name="allowLog">false leaves out the forms on ln y (<see cref="ExponentialSmoothing.Select"/>): for a fit that will be fed values at or below 0.</param>
    /// <exception cref="ArgumentException">fewer than <see cref="MinimumValues"/> values, or one that is not finite.</exception>
    public HoltWintersFit Fit(ReadOnlySpan<double> values, bool allowLog = true)
    {
        var recent = values.Length > History ? values[^History..] : values;
        var rounded = new double[recent.Length];
        for (var i = 0; i < recent.Length; i++)
        {
            rounded[i] = (float)recent[i];
        }

        return ExponentialSmoothing.Select(Tamed(rounded, Season), Season > 1 ? Season : null, allowLog);
    }

    /// <summary>
    /// The values with each wild one (a typo such as 1e6 among hundreds) replaced by the mean of its two neighbours: one wild
    /// value would otherwise decide the fit (its one-step errors dwarf all others': a season is lost). Wild is an isolated
    /// spike: above both neighbours or below both, by more than <see cref="WildChanges"/> times the median absolute change a
    /// step among the values around it (a season or six steps either side, the spike's own two changes left out), and as far
    /// from the values a season before and after it, where there are; never the first or last value (the end of a series
    /// may be where it shifts). A series of changes mostly 0 has no typical change to judge by, and one where more than 2%
    /// of the values would be wild (and more than two) is heavy-tailed rather than mistyped: both are left as they are.
    /// </summary>
    /// <param name="season">The season m (0 or 1: none): a peak that recurs every m steps is not wild.</param>
    public static double[] Tamed(double[] values, int season = 0)
    {
        var n = values.Length;
        var tamed = (double[])values.Clone();
        if (n < 5)
        {
            return tamed;
        }

        var reach = Math.Max(6, season);
        var most = Math.Max(2, n / 50);
        var wild = 0;
        var around = new List<double>(2 * reach);
        for (var i = 1; i < n - 1; i++)
        {
            var (up, down) = (values[i] - values[i - 1], values[i] - values[i + 1]);
            if (Math.Sign(up) != Math.Sign(down) || up == 0)
            {
                continue;
            }

            // Changes j → j + 1 near i, but for the two that touch values[i].
            around.Clear();
            for (var j = Math.Max(0, i - reach); j < Math.Min(n - 1, i + reach); j++)
            {
                if (j != i - 1 && j != i)
                {
                    around.Add(Math.Abs(values[j + 1] - values[j]));
                }
            }

            around.Sort();
            var typical = around.Count > 0 ? around[around.Count / 2] : 0;
            var bound = WildChanges * typical;
            if (!(typical > 0) || Math.Min(Math.Abs(up), Math.Abs(down)) <= bound
                || (season > 1 && ((i >= season && Math.Abs(values[i] - values[i - season]) <= bound) || (i + season < n && Math.Abs(values[i] - values[i + season]) <= bound))))
            {
                continue;
            }

            if (++wild > most)
            {
                return (double[])values.Clone();
            }

            tamed[i] = (values[i - 1] + values[i + 1]) / 2;
        }

        return tamed;
    }

    /// <summary>
    /// The combined forecast: the weighted mean at each step (the share for the smoothing's <paramref name="form"/>,
    /// <see cref="WeightFor"/>), at least <paramref name="floor"/> where there is one.
    /// </summary>
    public double[] Combine(IReadOnlyList<double> network, IReadOnlyList<double> smoothing, SmoothingForm form, double? floor)
    {
        var weight = WeightFor(form);
        var combined = new double[network.Count];
        for (var h = 0; h < combined.Length; h++)
        {
            var value = ((1 - weight) * network[h]) + (weight * smoothing[h]);
            combined[h] = floor is { } f ? Math.Max(f, value) : value;
        }

        return combined;
    }
}
