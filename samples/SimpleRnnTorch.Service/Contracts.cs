using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>POST /predict's answer: one next value per sequence, in the order they were sent.</summary>
public sealed record PredictResponse(float[] Predictions);

/// <summary>GET /health's answer.</summary>
public sealed record HealthResponse(string Status, ModelSummary Model, int MaxSequences);

/// <summary>What the loaded model expects (its manifest, a long JSON string, is left out).</summary>
public sealed record ModelSummary(string Cell, int TimeSteps, int Features, int HiddenSize, int Layers, double ScaleOffset, double ScaleDivisor, int SequenceLength)
{
    public static ModelSummary Of(SequenceModel model) =>
        new(model.Info.Cell, model.Info.TimeSteps, model.Info.Features, model.Info.HiddenSize, model.Info.Layers, model.Info.ScaleOffset, model.Info.ScaleDivisor, model.SequenceLength);
}
