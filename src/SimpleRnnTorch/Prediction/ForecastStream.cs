using SimpleRnnTorch.Common;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Prediction;

/// <summary>One series' forecast by `predict --horizon`: where its values came from, how many there were, and what the model gave.</summary>
internal sealed record SeriesPrediction(string Source, int Values, ForecastResult Result);

/// <summary>
/// `predict --horizon H`: each sequence is a series' values (at least the model's window, any number more), and the
/// model's .onnx export forecasts H steps after it with its interval, through <see cref="SequenceModel.Forecast"/>: the
/// forecast and interval a training run printed for that series, from the same values, as the library and the
/// service's /forecast give them (a panel's model: any one series of the panel, or of its kind). One series at a time,
/// each emitted as it is done, so a file of many series streams in bounded memory.
/// </summary>
internal static class ForecastStream
{
    /// <returns>How many series were forecast.</returns>
    public static long Run(string modelPath, int threads, int horizon, IReadOnlyList<string> arguments, SequenceInput input, Action<SeriesPrediction> emit)
    {
        if (!BatchPredictor.IsOnnx(modelPath))
        {
            // A model that is not there (or not a file) is said as the loaders say it, before any advice about its export.
            if (InputFileCheck.Problem(modelPath, InputFileCheck.MaxModelBytes, "a model file") is { } missing)
            {
                throw new ProgramError($"'{Excerpt.OfPath(modelPath)}'{missing}", FailureKind.Input);
            }

            // The export beside tells whether the run was a series' at all: a lesson's model has no forecast to point to.
            var beside = Persistence.OnnxExport.PathBeside(modelPath);
            if (File.Exists(beside))
            {
                using var export = SequenceModel.Load(beside, threads);
                if (export.Info.Forecast is null && !Interrupted(export.Info.Manifest))
                {
                    throw NotASeriesModel(modelPath);
                }
            }

            throw new ProgramError($"predict: --horizon forecasts with a model's .onnx export (the smoothing and the interval live there): " +
                                   $"give --model {Excerpt.OfPath(beside)}, the export beside '{Excerpt.OfPath(modelPath)}'", FailureKind.Input);
        }

        if (arguments.Count == 0 && input is SequenceInput.None)
        {
            throw new ProgramError(PredictionStream.NoSequences, FailureKind.Input);
        }

        using var model = SequenceModel.Load(modelPath, threads);
        if (model.Info.Forecast is null)
        {
            // A run stopped during its backtest keeps its network but never measured an interval: it has no forecast to give.
            throw new ProgramError(Interrupted(model.Info.Manifest)
                ? $"predict: '{Excerpt.OfPath(modelPath)}' comes from a run that was stopped before its backtest measured the interval a forecast needs; " +
                  "run the training to its end, then forecast"
                : NotASeriesModel(modelPath).Message, FailureKind.Input);
        }

        long forecast = 0;
        foreach (var (source, text) in PredictionStream.Lines(arguments, input))
        {
            if (SequenceText.Problem(text, out var values) is { } problem)
            {
                throw new ProgramError($"predict: {source} {problem}", FailureKind.Input);
            }

            ForecastResult result;
            try
            {
                result = model.Forecast(values, horizon);
            }
            catch (ForecastException e)
            {
                throw new ProgramError($"predict: {source} {SequenceText.Brief(values)}: {e.Message}", FailureKind.Input);
            }

            emit(new SeriesPrediction(source, values.Length, result));
            forecast++;
        }

        return forecast > 0 ? forecast : throw new ProgramError(PredictionStream.NoSequences, FailureKind.Input);
    }

    private static ProgramError NotASeriesModel(string modelPath) =>
        new($"predict: --horizon needs a series model (one a run with --data trained); '{Excerpt.OfPath(modelPath)}' predicts the next value of a sequence: leave --horizon out", FailureKind.Input);

    /// <summary>Whether the manifest is a series run's (it names its series) that a signal stopped: its network is kept, its interval never measured.</summary>
    private static bool Interrupted(string manifest)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(manifest);
            var root = json.RootElement;
            return root.ValueKind == System.Text.Json.JsonValueKind.Object
                && root.TryGetProperty("stopped_by", out var stopped) && stopped.ValueKind == System.Text.Json.JsonValueKind.String && stopped.GetString() == "interrupted"
                && root.TryGetProperty("series", out var series) && series.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
