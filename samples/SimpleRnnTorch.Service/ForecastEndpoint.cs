using System.Text.Json;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>
/// POST /forecast, for a model trained on a series: <c>{"values": [...], "horizon": 10}</c> →
/// <c>{"forecast": [...], "lower": [...], "upper": [...], "level": 0.8}</c>. The last time-steps values are the
/// window; each prediction is fed back in (<see cref="SequenceModel.Forecast"/>), and each step's interval is the
/// one the training run measured for it, saved in the model's metadata.
/// </summary>
internal static class ForecastEndpoint
{
    public const string Example = """{"values": [50, 60, 70], "horizon": 3}""";

    public static Task<IResult> HandleAsync(HttpContext context, SequenceModel model, ServiceMetrics metrics) =>
        RequestBody.HandleJsonAsync(context, "send only the last values of the series the model needs", root => Forecast(root, model, metrics));

    private static IResult Forecast(JsonElement root, SequenceModel model, ServiceMetrics metrics)
    {
        if (model.Info.Forecast is null)
        {
            return Problems.BadRequest($"the loaded model was not trained on a series (its metadata has no '{OnnxModelInfo.SeriesKey}' = \"true\"), so it cannot forecast; POST /predict answers one step");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("values", out var valuesElement) || !root.TryGetProperty("horizon", out var horizonElement))
        {
            return Problems.BadRequest($"the body must be an object with a \"values\" array and a \"horizon\", e.g. {Example}");
        }

        if (horizonElement.ValueKind != JsonValueKind.Number || !horizonElement.TryGetInt32(out var horizon))
        {
            return Problems.BadRequest($"\"horizon\" must be a whole number of steps, not {PredictEndpoint.Describe(horizonElement)}");
        }

        if (valuesElement.ValueKind != JsonValueKind.Array)
        {
            return Problems.BadRequest($"\"values\" must be an array of numbers, not {PredictEndpoint.Describe(valuesElement)}, e.g. {Example}");
        }

        var values = new double[valuesElement.GetArrayLength()];
        var i = 0;
        foreach (var value in valuesElement.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                return Problems.BadRequest($"\"values\"[{i}] is {PredictEndpoint.Describe(value)}; every value must be a number");
            }

            // 1e400 parses to infinity: refused by Forecast as not finite.
            values[i++] = value.GetDouble();
        }

        ForecastResult result;
        try
        {
            using (metrics.TimeInference("forecast"))
            {
                result = model.Forecast(values, horizon);
            }
        }
        catch (ForecastException e)
        {
            return Problems.BadRequest(e.Message);
        }

        metrics.ForecastHorizon.Observe(horizon);
        return TypedResults.Ok(new ForecastResponse(result.Point, result.Lower, result.Upper, result.Level));
    }
}
