using Microsoft.Extensions.Diagnostics.HealthChecks;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>
/// Readiness (GET /health/ready): the model is loaded and answers a real prediction with a finite number, and
/// the host is not stopping. Liveness (GET /health/live) runs no check: it answers 200 while the process serves.
/// </summary>
public sealed class ModelReadyCheck(SequenceModel model, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the service is stopping"));
        }

        // One sequence of ones: any finite input must give a finite output.
        var input = new float[model.SequenceLength];
        Array.Fill(input, 1f);
        Span<float> output = stackalloc float[1];
        try
        {
            model.Predict(input, 1, output);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the model did not run: {e.Message}"));
        }

        return Task.FromResult(float.IsFinite(output[0])
            ? HealthCheckResult.Healthy($"the model answered {output[0]}")
            : HealthCheckResult.Unhealthy($"the model answered {output[0]}"));
    }
}
