using System.Globalization;
using System.Text;
using System.Text.Json;
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
}
