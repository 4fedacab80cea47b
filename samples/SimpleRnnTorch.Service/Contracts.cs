using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>POST /predict's answer: one next value per sequence, in the order they were sent.</summary>
public sealed record PredictResponse(float[] Predictions);

/// <summary>POST /predict's body.</summary>
/// <param name="Sequences">Each sequence holds the model's time steps × features numbers, in original units.</param>
public sealed record PredictRequest(float[][] Sequences);

/// <summary>POST /forecast's body.</summary>
/// <param name="Values">The series so far, oldest first; at least the model's time steps values, of which the last ones are used.</param>
/// <param name="Horizon">Steps to forecast, 1 to the model's longest horizon (GET /health: model.maxHorizon).</param>
public sealed record ForecastRequest(double[] Values, int Horizon);

/// <summary>POST /forecast's answer: step h's point forecast and interval at index h − 1.</summary>
/// <param name="Forecast">The point forecast, each step's prediction fed back in for the next.</param>
/// <param name="Lower">The interval's lower end at each step: the point plus the offset measured by the training run.</param>
/// <param name="Upper">The interval's upper end at each step.</param>
/// <param name="Level">The interval's nominal coverage, e.g. 0.8.</param>
/// <param name="Smoothing">What the forecast made of the exponential smoothing the model's run combined with the network: "combined" (fitted on the values sent),
/// "too-few-values" (fewer than 10 values were sent to fit it on: the network's forecast alone, as the run forecast a series that short), or "none" (the run combined none).</param>
public sealed record ForecastResponse(double[] Forecast, double[] Lower, double[] Upper, double Level, string Smoothing);

/// <summary>GET /health's answer.</summary>
public sealed record HealthResponse(string Status, ModelSummary Model, int MaxSequences);

/// <summary>What the loaded model expects (its manifest, a long JSON string, is left out).</summary>
/// <param name="Series">Whether the model was trained on a series and so answers POST /forecast.</param>
/// <param name="MaxHorizon">The longest horizon POST /forecast serves: the steps the model measured, at most Limits:MaxForecastHorizon (0 when not a series model).</param>
/// <param name="IntervalLevel">The forecast interval's nominal coverage (null when not a series model).</param>
public sealed record ModelSummary(string Cell, int TimeSteps, int Features, int HiddenSize, int Layers, double ScaleOffset, double ScaleDivisor, int SequenceLength,
    bool Series, int MaxHorizon, double? IntervalLevel)
{
    public static ModelSummary Of(SequenceModel model, ServiceLimits limits) =>
        new(model.Info.Cell, model.Info.TimeSteps, model.Info.Features, model.Info.HiddenSize, model.Info.Layers, model.Info.ScaleOffset, model.Info.ScaleDivisor, model.SequenceLength,
            model.Info.Forecast is not null, ForecastEndpoint.MaxHorizon(model, limits), model.Info.Forecast?.Level);
}
