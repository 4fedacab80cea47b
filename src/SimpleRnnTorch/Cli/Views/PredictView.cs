using System.Globalization;
using System.Text;
using System.Text.Json;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Prediction;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>predict's lines: "Input sequence: [50 60 70]  Predicted next value: 80.00", or one JSON object per line. A chunk is one write.</summary>
internal static class PredictView
{
    // A diverged model predicts NaN; say so in the JSON ("NaN") rather than fail half-way through.
    private static readonly JsonSerializerOptions JsonLines = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Write(CliConsole console, PredictedChunk chunk, bool json)
    {
        var text = new StringBuilder();
        var predictions = chunk.Predictions.Span;
        for (var i = 0; i < chunk.Inputs.Count; i++)
        {
            text.Append(json
                ? JsonSerializer.Serialize(new { input = chunk.Inputs[i], prediction = predictions[i] }, JsonLines)
                : chunk.Features == 1
                    ? $"Input sequence: {SequenceText.Format(chunk.Inputs[i])}  Predicted next value: {predictions[i].ToString("F2", CultureInfo.InvariantCulture)}"
                    : $"Input sequence: {SequenceText.Format(chunk.Inputs[i])}  Prediction: {predictions[i].ToString("F4", CultureInfo.InvariantCulture)}").Append('\n');
        }

        console.Out.Write(text);
        console.Out.Flush();
    }

    /// <summary>
    /// One series' forecast: "argument 1, 100 values: forecast of 3 steps, 80% interval" and a line a step
    /// ("  1  805.12  [612.40, 997.85]", the decimals its narrowest interval needs, as the run prints), or one JSON object.
    /// </summary>
    public static void WriteForecast(CliConsole console, SeriesPrediction series, bool json)
    {
        var result = series.Result;
        var text = new StringBuilder();
        if (json)
        {
            text.Append(JsonSerializer.Serialize(new { source = series.Source, values = series.Values, forecast = result.Point, lower = result.Lower, upper = result.Upper, level = result.Level, smoothing = result.Smoothing.Name() }, JsonLines)).Append('\n');
        }
        else
        {
            var number = SeriesView.ForecastFormat(result.Lower, result.Upper);
            var alone = result.Smoothing == SmoothingUse.TooFewValues ? $"; the network's alone: its exponential smoothing needs {SmoothingCombination.MinimumValues} values" : "";
            text.Append(CultureInfo.InvariantCulture, $"{series.Source}, {series.Values:N0} values: forecast of {result.Point.Length} step(s), {result.Level.ToString("0.#%", CultureInfo.InvariantCulture)} interval{alone}\n");
            var width = result.Point.Length.ToString(CultureInfo.InvariantCulture).Length;
            for (var h = 0; h < result.Point.Length; h++)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {(h + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)}  {number(result.Point[h])}  [{number(result.Lower[h])}, {number(result.Upper[h])}]\n");
            }
        }

        console.Out.Write(text);
        console.Out.Flush();
    }
}
