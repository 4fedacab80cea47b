using System.Globalization;
using Prometheus;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>
/// What GET /metrics serves, in Prometheus' text format: prometheus-net's HTTP metrics (requests received,
/// their duration and those in progress, by endpoint, method and status code) and these, all in one
/// registry per service instance (so that two hosts in one process, as in the tests, count apart).
/// prometheus-net.AspNetCore 8.2.1 (MIT) rather than OpenTelemetry: it is a stable release and one package,
/// where OpenTelemetry's Prometheus exporter for ASP.NET Core is served only as a pre-release (1.20.1-beta.1)
/// and needs the SDK, its hosting and instrumentation packages beside it. A switch to OpenTelemetry later
/// changes this file and Program.cs, not the endpoints.
/// </summary>
public sealed class ServiceMetrics
{
    public ServiceMetrics(SequenceModel model, Microsoft.Extensions.Options.IOptions<ServiceLimits> limits)
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        var factory = Factory;

        InferenceDuration = factory.CreateHistogram("simplernntorch_inference_duration_seconds",
            "Time spent in ONNX Runtime per request: one graph run for /predict, one per horizon step for /forecast.",
            ["endpoint"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_025, 2, 16) });
        SequencesPerRequest = factory.CreateHistogram("simplernntorch_sequences_per_request",
            "Sequences in each answered POST /predict.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 13) });
        ForecastHorizon = factory.CreateHistogram("simplernntorch_forecast_horizon_steps",
            "The horizon of each answered POST /forecast.",
            new HistogramConfiguration { Buckets = HorizonBuckets(ForecastEndpoint.MaxHorizon(model, limits.Value)) });

        var info = model.Info;
        factory.CreateGauge("simplernntorch_model_info",
                "The loaded model, as labels; the value is always 1.",
                ["cell", "time_steps", "features", "hidden_size", "layers", "series", "max_horizon"])
            .WithLabels(info.Cell, Text(info.TimeSteps), Text(info.Features), Text(info.HiddenSize), Text(info.Layers),
                info.Forecast is null ? "false" : "true", Text(info.Forecast?.MaxHorizon ?? 0))
            .Set(1);
    }

    /// <summary>The registry /metrics serves and the HTTP metrics middleware writes to.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    public Histogram InferenceDuration { get; }

    public Histogram SequencesPerRequest { get; }

    public Histogram ForecastHorizon { get; }

    /// <summary>Times the block into <see cref="InferenceDuration"/> under <paramref name="endpoint"/>.</summary>
    public IDisposable TimeInference(string endpoint) => InferenceDuration.WithLabels(endpoint).NewTimer();

    /// <summary>One bucket per step up to 64 steps; past that, powers of two up to the longest horizon (a bounded /metrics).</summary>
    internal static double[] HorizonBuckets(int maxHorizon) => maxHorizon <= 64
        ? Histogram.LinearBuckets(1, 1, Math.Max(1, maxHorizon))
        : Histogram.ExponentialBuckets(1, 2, (int)Math.Ceiling(Math.Log2(maxHorizon)) + 1);

    /// <summary>
    /// The methods HTTP defines (RFC 9110 §9, and PATCH): any other is counted as <see cref="OtherMethod"/>, so that
    /// made-up methods cannot add label sets to /metrics, and answered 501 (<see cref="CollapseUnknownMethod"/>).
    /// </summary>
    public static readonly IReadOnlySet<string> KnownMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    };

    /// <summary>The method label of a request whose method is not in <see cref="KnownMethods"/>.</summary>
    public const string OtherMethod = "OTHER";

    private const string UnknownMethodItem = "SimpleRnnTorch.UnknownMethod";

    /// <summary>
    /// Before the HTTP metrics: a request with an unknown method is counted under <see cref="OtherMethod"/> (its
    /// method is kept for <see cref="RefuseUnknownMethod"/>). Paths need nothing: the metrics label a request by
    /// its endpoint's route pattern, and one that matches none by an empty one.
    /// </summary>
    public static Task CollapseUnknownMethod(HttpContext context, RequestDelegate next)
    {
        if (!KnownMethods.Contains(context.Request.Method))
        {
            context.Items[UnknownMethodItem] = context.Request.Method;
            context.Request.Method = OtherMethod;
        }

        return next(context);
    }

    /// <summary>After the HTTP metrics: an unknown method is a 501 problem+json (RFC 9110 §9.1) naming it.</summary>
    public static Task RefuseUnknownMethod(HttpContext context, RequestDelegate next)
    {
        if (context.Items[UnknownMethodItem] is not string method)
        {
            return next(context);
        }

        var shown = method.Length > 40 ? method[..40] + "…" : method;
        return Problems.Of(StatusCodes.Status501NotImplemented,
            $"the method '{shown}' is not implemented; this service answers {string.Join(", ", KnownMethods.Order(StringComparer.Ordinal))} where GET /openapi/v1.json lists them").ExecuteAsync(context);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
