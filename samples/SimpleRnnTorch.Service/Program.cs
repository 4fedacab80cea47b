using System.Reflection;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Service;

var builder = WebApplication.CreateBuilder(args);

// The host logs a failed start with its stack trace; the one such failure a user causes (an address it cannot listen
// on) is said in one line below, and any other still ends the process with its exception.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

// Whatever the framework answers by itself (404, 405, 415, an unexpected exception) is problem+json too, with a
// detail that says what to do where the framework gives none.
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.AddDetail);

// Numbers are numbers: not read from strings, so the OpenAPI schemas say "number", not "number or string".
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);

// One model for the whole process: an ONNX Runtime session is thread-safe, and loading it is the slow part.
builder.Services.AddSingleton(services => LoadModel(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));
builder.Services.AddSingleton<ServiceMetrics>();

// Limits and timeouts (the Limits section), read when first needed so that any configuration source applies.
builder.Services.Configure<ServiceLimits>(builder.Configuration.GetSection(ServiceLimits.Section));
builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServiceLimits>>((host, limits) =>
    host.ShutdownTimeout = TimeSpan.FromSeconds(limits.Value.ShutdownTimeoutSeconds));
builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServiceLimits>>((kestrel, limits) =>
    kestrel.Limits.MinRequestBodyDataRate = limits.Value.MinRequestBodyBytesPerSecond > 0
        ? new MinDataRate(limits.Value.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(Math.Min(5, limits.Value.RequestBodyTimeoutSeconds)))
        : null);

// At most Limits:ConcurrentRequests requests in the model at once (and Limits:QueuedRequests waiting), the rest 429.
builder.Services.AddRateLimiter(options =>
{
    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    options.AddPolicy(ModelLimit.Policy, context => ModelLimit.Partition(context.RequestServices.GetRequiredService<IOptions<ServiceLimits>>().Value));
    options.OnRejected = ModelLimit.RejectAsync;
});

builder.Services.AddHealthChecks().AddCheck<ModelReadyCheck>("model", tags: [ModelReadyCheck.Tag]);
builder.Services.AddOpenApi(ServiceOpenApi.Configure);

var app = builder.Build();
SequenceModel model;
try
{
    // Checked and loaded before anything else, so that a bad setting or model stops the service before it
    // listens rather than failing the first request.
    app.Services.GetRequiredService<IOptions<ServiceLimits>>().Value.Validate();
    model = app.Services.GetRequiredService<SequenceModel>();
}
catch (Exception e) when (e is OnnxModelException or ServiceConfigurationException && Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // Run as a program: one line and exit code 2, no stack trace. Hosted by another assembly (the tests'
    // WebApplicationFactory), the exception goes on to that host.
    Console.Error.WriteLine($"SimpleRnnTorch.Service cannot start: {e.Message}");
    return 2;
}

app.Logger.LogInformation("Model: {Cell}, {TimeSteps} time steps × {Features} feature(s), {Hidden} hidden, {Layers} layer(s), forecast: {Forecast}",
    model.Info.Cell, model.Info.TimeSteps, model.Info.Features, model.Info.HiddenSize, model.Info.Layers,
    model.Info.Forecast is { } f ? $"up to {ForecastEndpoint.MaxHorizon(model, app.Services.GetRequiredService<IOptions<ServiceLimits>>().Value)} steps, {f.Level:P0} intervals" : "no (not a series model)");

app.UseExceptionHandler();
app.UseStatusCodePages();
app.Use(UrlLengthLimit);
app.UseRouting();
app.Use(ServiceMetrics.CollapseUnknownMethod);
app.UseHttpMetrics(options => options.SetMetricFactory(app.Services.GetRequiredService<ServiceMetrics>().Factory));
app.Use(ServiceMetrics.RefuseUnknownMethod);
app.UseRateLimiter();

app.MapPost("/predict", PredictEndpoint.HandleAsync).WithName("Predict").DescribePredict().RequireRateLimiting(ModelLimit.Policy);
app.MapPost("/forecast", ForecastEndpoint.HandleAsync).WithName("Forecast").DescribeForecast().RequireRateLimiting(ModelLimit.Policy);
app.MapGet("/health", (SequenceModel model, IOptions<ServiceLimits> limits) => new HealthResponse("ok", ModelSummary.Of(model, limits.Value), PredictEndpoint.MaxSequences)).WithName("Health").DescribeHealth();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelReadyCheck.Tag) });
app.MapMetrics(settings => settings.Registry = app.Services.GetRequiredService<ServiceMetrics>().Registry, "/metrics");
app.MapOpenApi();

try
{
    // Kestrel reads "http://127.0.0.1:abc" as no address at all and listens on port 80 of every interface: refused here instead.
    if (app.Configuration["urls"] is { } urls && urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is var listed
        && (listed.Length == 0 ? urls : listed.FirstOrDefault(u => !IsListenUrl(u))) is { } bad)
    {
        throw new FormatException($"'{bad}' is not an address to listen on: give http(s)://HOST:PORT (HOST a name, an IP, * or +), several separated by ';'");
    }

    app.Start();
}
catch (Exception e) when (IsListenFailure(e) && Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A port in use, a URL that is not one, an address this machine does not have: one line and exit 2, as for a bad
    // model, where Kestrel would end the process with a stack trace.
    Console.Error.WriteLine($"SimpleRnnTorch.Service cannot start: it cannot listen on {app.Configuration["urls"] ?? "its default address"}: {(e is ArgumentOutOfRangeException { ParamName: "port" } ? "a port is a number from 0 to 65535" : e.Message.Split('\n')[0].Trim())}");
    return 2;
}

app.WaitForShutdown();
return 0;

// InvalidOperationException: a scheme Kestrel does not serve, a path after the port, https without a certificate.
static bool IsListenFailure(Exception e) =>
    e is IOException or System.Net.Sockets.SocketException or FormatException or ArgumentException or InvalidOperationException
    || e.InnerException is System.Net.Sockets.SocketException;

// What Kestrel binds as asked: http or https, a host (a DNS name, an IPv4 or [IPv6] address, * or +) and an optional port up
// to 65535, or a unix socket. Anything else (user@host, a space, 999.1.1.1) Kestrel would take for "any address".
static bool IsListenUrl(string url)
{
    if (System.Text.RegularExpressions.Regex.IsMatch(url, @"^(?i:https?)://unix:/.+$"))
    {
        return true;
    }

    var match = System.Text.RegularExpressions.Regex.Match(url, @"^(?i:https?)://(?<host>\[[^\]]*\]|[^:/\[\]]*)(:(?<port>\d{1,5}))?/?$");
    if (!match.Success || (match.Groups["port"].Success && int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture) > 65535))
    {
        return false;
    }

    var host = match.Groups["host"].Value;
    return host switch
    {
        "*" or "+" => true,
        _ when host.StartsWith('[') => System.Net.IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        _ when host.All(c => char.IsAsciiDigit(c) || c == '.') => host.Split('.').Length == 4 && System.Net.IPAddress.TryParse(host, out _),
        _ => Uri.CheckHostName(host) == UriHostNameType.Dns,
    };
}

static SequenceModel LoadModel(IConfiguration configuration, IHostEnvironment environment)
{
    var path = configuration["Model:Path"];
    if (string.IsNullOrWhiteSpace(path))
    {
        throw new OnnxModelException($"no model path: set Model:Path in appsettings.json (read from {environment.ContentRootPath}), pass --Model:Path=PATH or set Model__Path");
    }

    // A relative path is read from the content root, the folder appsettings.json comes from.
    return SequenceModel.Load(Path.GetFullPath(path, environment.ContentRootPath));
}

// A request target (path and query) longer than Limits:MaxUrlLength: 414 problem+json. Longer than Kestrel's
// MaxRequestLineSize, it never gets here: Kestrel answers a bare 414 itself.
static Task UrlLengthLimit(HttpContext context, RequestDelegate next)
{
    var max = context.RequestServices.GetRequiredService<IOptions<ServiceLimits>>().Value.MaxUrlLength;
    var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : context.Request.Path.Value + context.Request.QueryString.Value;
    if (target.Length <= max)
    {
        return next(context);
    }

    context.Response.Headers.Connection = "close";
    return Problems.Of(StatusCodes.Status414UriTooLong, $"the URL has {target.Length} characters; at most {max} are served").ExecuteAsync(context);
}

/// <summary>Declared so that the integration tests can start the service with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
