using System.Text.Json;
using Microsoft.Extensions.Options;
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

    public static Task<IResult> HandleAsync(HttpContext context, SequenceModel model, ServiceMetrics metrics, IOptions<ServiceLimits> limits) =>
        RequestBody.HandleJsonAsync(context, "send only the last values of the series the model needs", root => Forecast(root, model, metrics, limits.Value));

    /// <summary>The longest horizon served: the model's measured steps, at most <see cref="ServiceLimits.MaxForecastHorizon"/>.</summary>
    public static int MaxHorizon(SequenceModel model, ServiceLimits limits) => Math.Min(model.Info.Forecast?.MaxHorizon ?? 0, limits.MaxForecastHorizon);

    private static IResult Forecast(JsonElement root, SequenceModel model, ServiceMetrics metrics, ServiceLimits limits)
    {
        if (model.Info.Forecast is null)
        {
            return Problems.BadRequest($"the loaded model was not trained on a series (its metadata has no '{OnnxModelInfo.SeriesKey}' = \"true\"), so it cannot forecast; POST /predict answers one step");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("values", out var valuesElement) || !root.TryGetProperty("horizon", out var horizonElement))
        {
            return Problems.BadRequest($"the body must be an object with a \"values\" array and a \"horizon\", e.g. {Example}");
        }

        if (horizonElement.ValueKind != JsonValueKind.Number)
        {
            return Problems.BadRequest($"\"horizon\" must be a whole number of steps, not {PredictEndpoint.Describe(horizonElement)}");
        }

        // A JSON number is its value: 3.0 and 3e0 are 3; 2.5 is no number of steps; 1e9 is one, out of range.
        var horizonValue = horizonElement.TryGetDouble(out var parsed) ? parsed : double.PositiveInfinity;
        if (double.IsFinite(horizonValue) && horizonValue != Math.Floor(horizonValue))
        {
            return Problems.BadRequest($"\"horizon\" must be a whole number of steps, not {Raw(horizonElement)}");
        }

        var max = MaxHorizon(model, limits);
        if (!(horizonValue >= 1 && horizonValue <= max))
        {
            return Problems.BadRequest(max < model.Info.Forecast.MaxHorizon
                ? $"the horizon is {Raw(horizonElement)}; this service forecasts 1 to {max} steps ({ServiceLimits.Section}:{nameof(ServiceLimits.MaxForecastHorizon)}; the model's horizon is {model.Info.Forecast.MaxHorizon})"
                : $"the horizon is {Raw(horizonElement)}; this model forecasts 1 to {max} steps (the horizon its training run forecast and measured an interval for)");
        }

        var horizon = (int)horizonValue;

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

        if (ModelFault.Problem(model) is { } fault)
        {
            return fault;
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
        return TypedResults.Ok(new ForecastResponse(result.Point, result.Lower, result.Upper, result.Level, result.Smoothing.Name()));
    }

    /// <summary>A number as the client wrote it, at most 40 characters of it.</summary>
    private static string Raw(JsonElement number) => number.GetRawText() is var text && text.Length > 40 ? text[..40] + "…" : number.GetRawText();
}
