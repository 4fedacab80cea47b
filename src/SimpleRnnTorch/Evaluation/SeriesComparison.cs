namespace SimpleRnnTorch.Evaluation;

/// <summary>One forecaster's errors on the validation targets, in original units.</summary>
/// <param name="Mase">MAE divided by the training part's in-sample naive MAE; NaN when that is 0 (a constant training part).</param>
internal sealed record ForecastScore(string Name, double Mae, double Rmse, double Mase);

/// <summary>Whether the model beats a baseline: lower MAE and lower RMSE, higher (or equal) on both, or one of each.</summary>
internal enum Verdict
{
    Beats,
    DoesNotBeat,
    Mixed,
}

/// <summary>
/// The model's one-step predictions against the naive baselines on the same validation targets: naive
/// (y[t] predicted by y[t−1]) and, with a season m, seasonal naive (y[t−m]). MASE scales each MAE by
/// the in-sample naive MAE of the training part, mean |y[t] − y[t−1]| over it, so below 1 means better than
/// the naive forecast was on the training data (Hyndman and Koehler, 2006).
/// </summary>
internal sealed record SeriesComparison(ForecastScore Model, ForecastScore Naive, ForecastScore? Seasonal, int? Season, double InSampleNaiveMae)
{
    /// <param name="values">The whole series, in original units.</param>
    /// <param name="validationStart">Position of the first validation target: the training part is [0, validationStart).</param>
    /// <param name="modelPredictions">The model's prediction of every validation target, in order.</param>
    /// <param name="season">m of the seasonal naive baseline, at most <paramref name="validationStart"/>; null leaves it out.</param>
    public static SeriesComparison Compute(ReadOnlySpan<float> values, int validationStart, IReadOnlyList<double> modelPredictions, int? season, string modelName = "model")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(validationStart, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(validationStart, values.Length);
        if (modelPredictions.Count != values.Length - validationStart)
        {
            throw new ArgumentException($"{modelPredictions.Count} predictions for {values.Length - validationStart} validation targets", nameof(modelPredictions));
        }

        if (season is { } m && (m < 1 || m > validationStart))
        {
            throw new ArgumentOutOfRangeException(nameof(season), season, $"the season must be in [1, {validationStart}], the training part");
        }

        double scale = 0;
        for (var t = 1; t < validationStart; t++)
        {
            scale += Math.Abs((double)values[t] - values[t - 1]);
        }

        scale /= validationStart - 1;
        var targets = values[validationStart..];
        var model = Score(modelName, targets, i => modelPredictions[i], scale);
        var naiveSource = values[(validationStart - 1)..^1].ToArray();
        var naive = Score("naive", targets, i => naiveSource[i], scale);
        ForecastScore? seasonal = null;
        if (season is { } lag)
        {
            var seasonalSource = values[(validationStart - lag)..^lag].ToArray();
            seasonal = Score($"seasonal naive (m = {lag})", targets, i => seasonalSource[i], scale);
        }

        return new SeriesComparison(model, naive, seasonal, season, scale);
    }

    /// <summary>The model against one baseline: lower MAE and RMSE beats it; higher or equal on both does not.</summary>
    public Verdict Against(ForecastScore baseline) =>
        (Model.Mae < baseline.Mae, Model.Rmse < baseline.Rmse) switch
        {
            (true, true) => Verdict.Beats,
            (false, false) => Verdict.DoesNotBeat,
            _ => Verdict.Mixed,
        };

    public IEnumerable<ForecastScore> Baselines => Seasonal is null ? [Naive] : [Naive, Seasonal];

    private static ForecastScore Score(string name, ReadOnlySpan<float> targets, Func<int, double> predict, double scale)
    {
        double absolute = 0, squared = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var error = predict(i) - targets[i];
            absolute += Math.Abs(error);
            squared += error * error;
        }

        var mae = absolute / targets.Length;
        return new ForecastScore(name, mae, Math.Sqrt(squared / targets.Length), scale > 0 ? mae / scale : double.NaN);
    }
}
