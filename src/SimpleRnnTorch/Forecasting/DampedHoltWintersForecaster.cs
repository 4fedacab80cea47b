using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// Damped Holt-Winters (additive damped trend, additive season), parameters fitted by minimising the
/// in-sample one-step SSE.
/// </summary>
/// <remarks>
/// <para>The fit is <see cref="ExponentialSmoothing.Fit"/>'s for the form ETS(A,Ad,A) (ETS(A,Ad,N) without a season): statsmodels'
/// heuristic start, then Nelder-Mead over the parameters and least squares over the initial states in turn.</para>
/// <para><b>Fallback</b>: without a season (m ≤ 1), or with fewer than max(2m, 10 + 2⌊m/2⌋) values, the
/// seasonal heuristic cannot run, and the model is damped Holt without a season. Fewer than 10 values are
/// refused (<see cref="InsufficientHistoryException"/>). A finite history always gives finite forecasts.</para>
/// </remarks>
internal sealed class DampedHoltWintersForecaster : IForecaster
{
    /// <param name="season">m; null or 1 fits damped Holt without a season.</param>
    public DampedHoltWintersForecaster(int? season = null)
    {
        if (season is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(season), season, "the season must be at least 1");
        }

        Season = season is > 1 ? season.Value : 0;
    }

    /// <summary>m, or 0 for no season.</summary>
    public int Season { get; }

    public string Name => Season > 0 ? $"damped Holt-Winters (m = {Season})" : "damped Holt";

    public int MinimumHistory => 10;

    /// <summary>Whether a history of <paramref name="length"/> values gets the seasonal model (else damped Holt).</summary>
    public bool UsesSeason(int length) => ExponentialSmoothing.SeasonFits(Season, length);

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        return Fit(history).Forecast(horizon);
    }

    public HoltWintersFit Fit(ReadOnlySpan<double> history)
    {
        if (history.Length < MinimumHistory)
        {
            throw new InsufficientHistoryException(Name, MinimumHistory, history.Length);
        }

        return ExponentialSmoothing.Fit(history, new SmoothingForm(SmoothingTrend.Damped, Season, Log: false));
    }

    /// <inheritdoc cref="ExponentialSmoothing.Evaluate"/>
    internal static HoltWintersFit Evaluate(ReadOnlySpan<double> history, double alpha, double beta, double gamma, double phi,
        double initialLevel, double initialTrend, double[] initialSeason) =>
        ExponentialSmoothing.Evaluate(history, alpha, beta, gamma, phi, initialLevel, initialTrend, initialSeason);

    /// <inheritdoc cref="ExponentialSmoothing.HeuristicInitialisation"/>
    internal static (double Level, double Trend, double[] Season) HeuristicInitialisation(double[] y, int m) =>
        ExponentialSmoothing.HeuristicInitialisation(y, m);
}
