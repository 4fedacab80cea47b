using System.Diagnostics;
using System.Globalization;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Data;

/// <summary>
/// One column of a CSV file (<see cref="SeriesSettings"/>): windows of <see cref="TimeSteps"/> values → the
/// next, in order, the most recent validating (<see cref="SeriesWindows"/>), standardised with the mean and
/// standard deviation of the training part only. Afterwards the model's one-step predictions against the
/// naive baselines, the forecast after the end (<see cref="SeriesForecast"/>) and forecast.png.
/// </summary>
internal sealed record SeriesData(SeriesSettings Settings, int TimeSteps = SeriesData.DefaultTimeSteps) : DataSource
{
    public const int DefaultTimeSteps = 3;

    public override int TimeSteps
    {
        get;
    } = TimeSteps >= 1 ? TimeSteps : throw new ArgumentOutOfRangeException(nameof(TimeSteps), TimeSteps, "at least 1");

    public override int Features => 1;

    public override IReadOnlyList<string> FileNames => [ForecastPlot.FileName];

    public override PreparedData Prepare(long seed, double validationSplit, Device device)
    {
        var started = Stopwatch.GetTimestamp();
        var series = SeriesFile.Read(Settings);
        var windows = SeriesWindows.Plan(series, TimeSteps, validationSplit, Settings.Season);
        var summary = new SeriesSummary(series, windows, Stopwatch.GetElapsedTime(started));

        // Windows in order, the last fraction validating; the scaler sees the training part only.
        var scaler = windows.FitScaler(series.Values);
        using var sequences = SeriesWindows.Sequences(series.Values, TimeSteps);
        var tensors = TrainingData.Create(sequences, scaler, validationSplit, device);
        return new PreparedData
        {
            Tensors = tensors,
            Scaler = scaler,
            Summary = DataSummary.Of(this, tensors, scaler, seed, validationSplit, summary),
            Spec = new SequenceSpec(Count: windows.Windows, TimeSteps: TimeSteps),
            Task = SequenceTask.Arithmetic,
            Origin = new SeriesOrigin(series.Source, series.Name, series.Length, windows.TrainingValues,
                $"standardised on the training part: mean {scaler.Offset.ToString("R", CultureInfo.InvariantCulture)}, standard deviation {scaler.Divisor.ToString("R", CultureInfo.InvariantCulture)}"),
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    public override DataOutcome Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context)
    {
        var summary = data.Summary.Series!;
        var outcome = SeriesForecast.Evaluate(model, data.Scaler, summary.Series, summary.Windows, data.Tensors.ValidationInputs, summary.Windows.Season, Settings.Horizon,
            context.ModelName, context.Device);
        if (context.Files?.Path(ForecastPlot.FileName) is not { } plot)
        {
            return outcome;
        }

        ForecastPlot.Write(plot, outcome);
        return outcome with { Written = [plot] };
    }
}
