using System.Reflection;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Service;

var builder = WebApplication.CreateBuilder(args);

// Whatever the framework answers by itself (404, 405, an unexpected exception) is problem+json too.
builder.Services.AddProblemDetails();

// One model for the whole process: an ONNX Runtime session is thread-safe, and loading it is the slow part.
builder.Services.AddSingleton(services => LoadModel(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapGet("/health", (SequenceModel model) => new HealthResponse("ok", ModelSummary.Of(model), PredictEndpoint.MaxSequences));
app.MapPost("/predict", PredictEndpoint.HandleAsync);

try
{
    // Loaded before the host starts, so that a bad model stops the service before it listens rather than
    // failing the first request.
    var model = app.Services.GetRequiredService<SequenceModel>();
    app.Logger.LogInformation("Model: {Cell}, {TimeSteps} time steps × {Features} feature(s), {Hidden} hidden, {Layers} layer(s)",
        model.Info.Cell, model.Info.TimeSteps, model.Info.Features, model.Info.HiddenSize, model.Info.Layers);
    app.Run();
    return 0;
}
catch (OnnxModelException e) when (Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // Run as a program: one line and exit code 2, no stack trace. Hosted by another assembly (the tests'
    // WebApplicationFactory), the exception goes on to that host.
    Console.Error.WriteLine($"SimpleRnnTorch.Service cannot start: {e.Message}");
    return 2;
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

/// <summary>Declared so that the integration tests can start the service with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
