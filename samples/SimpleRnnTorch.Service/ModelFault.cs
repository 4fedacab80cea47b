using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>
/// A loaded model that gives no finite prediction for a window of ones (<see cref="SequenceModel.SelfCheck"/>) is
/// broken (a divisor of 0, damaged weights): the service's fault, not the client's, so every request to it is a
/// 500 problem+json and GET /health/ready answers 503 (<see cref="ModelReadyCheck"/>). A finite model that gives
/// no finite value for one request's values is that request's fault (400): its values are too large for it.
/// </summary>
internal static class ModelFault
{
    public static IResult? Problem(SequenceModel model) => float.IsFinite(model.SelfCheck)
        ? null
        : Problems.Of(StatusCodes.Status500InternalServerError,
            $"the loaded model gives no finite prediction ({model.SelfCheck} for a window of ones): the model file is broken, and GET /health/ready says so");
}
