namespace SimpleRnnTorch.Service;

/// <summary>
/// The service's limits and timeouts, bound from the <c>Limits</c> configuration section
/// (appsettings.json, <c>--Limits:KEY=VALUE</c> or <c>Limits__KEY</c>). Every one is documented in the README.
/// </summary>
public sealed class ServiceLimits
{
    public const string Section = "Limits";

    /// <summary>The longest a request body may take to arrive, in seconds: past it, 408 problem+json and the connection is closed.</summary>
    public double RequestBodyTimeoutSeconds { get; set; } = 10;

    /// <summary>Kestrel's minimum body data rate (bytes/s, after a grace of up to 5 s); 0 turns it off.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long the host waits for requests in flight when it is told to stop (SIGTERM, Ctrl-C), in seconds.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Path and query longer than this (in characters) are answered 414 problem+json by the service. Kestrel
    /// refuses a request line over its own MaxRequestLineSize (8 KiB) with a bare 414 before any middleware runs.
    /// </summary>
    public int MaxUrlLength { get; set; } = 2048;

    /// <summary>Requests to the model (/predict, /forecast) served at once; 0 turns the limit off.</summary>
    public int ConcurrentRequests { get; set; }

    /// <summary>Requests that may wait for a turn when <see cref="ConcurrentRequests"/> are running; past that, 429.</summary>
    public int QueuedRequests { get; set; }

    /// <summary>
    /// The longest horizon POST /forecast serves, whatever the model measured: each step is one graph run and
    /// about 56 bytes of answer, so that no request holds the model for seconds (100,000 steps did).
    /// </summary>
    public int MaxForecastHorizon { get; set; } = 1000;

    /// <summary>The Retry-After a 429 carries, in whole seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Throws one line naming the bad key: checked at start-up, before the service listens.</summary>
    public void Validate()
    {
        static void Check(bool ok, string key, string rule)
        {
            if (!ok)
            {
                throw new ServiceConfigurationException($"{Section}:{key} must be {rule}");
            }
        }

        Check(RequestBodyTimeoutSeconds > 0 && double.IsFinite(RequestBodyTimeoutSeconds), nameof(RequestBodyTimeoutSeconds), "a positive number of seconds");
        Check(MinRequestBodyBytesPerSecond >= 0 && double.IsFinite(MinRequestBodyBytesPerSecond), nameof(MinRequestBodyBytesPerSecond), "0 (off) or a positive rate");
        Check(ShutdownTimeoutSeconds >= 0 && double.IsFinite(ShutdownTimeoutSeconds), nameof(ShutdownTimeoutSeconds), "0 or a positive number of seconds");
        Check(MaxUrlLength >= 16, nameof(MaxUrlLength), "at least 16");
        Check(ConcurrentRequests >= 0, nameof(ConcurrentRequests), "0 (off) or a positive count");
        Check(QueuedRequests >= 0, nameof(QueuedRequests), "0 or a positive count");
        Check(RetryAfterSeconds >= 1, nameof(RetryAfterSeconds), "at least 1");
        Check(MaxForecastHorizon is >= 1 and <= SimpleRnnTorch.Inference.OnnxModelInfo.MaxIntervalSteps, nameof(MaxForecastHorizon),
            $"1 to {SimpleRnnTorch.Inference.OnnxModelInfo.MaxIntervalSteps} steps");
    }
}

/// <summary>A configuration value the service cannot start with. One line.</summary>
public sealed class ServiceConfigurationException(string message) : Exception(message);
