using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SimpleRnnTorch.Service;

/// <summary>
/// The OpenAPI document served at /openapi/v1.json (Microsoft.AspNetCore.OpenApi): the minimal API endpoints
/// describe their bodies and answers with Accepts/Produces below; the transformers add what the framework cannot
/// see: examples, the required members of a problem, and the endpoints that are not minimal API handlers
/// (/health/live, /health/ready from the health checks, /metrics from prometheus-net).
/// </summary>
internal static class ServiceOpenApi
{
    private const string Json = "application/json";
    private const string Problem = "application/problem+json";
    private const string Text = "text/plain";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "SimpleRnnTorch.Service",
                Version = "v1",
                Description = "Predictions and forecasts of a SimpleRnnTorch model exported to ONNX, run by ONNX Runtime. "
                    + "Every error the service answers is RFC 9457 problem+json; what Kestrel refuses before the service sees a request is not (see the README).",
            };
            document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };

            // Relative: the document describes the service wherever it is served from.
            document.Servers = [new OpenApiServer { Url = "/", Description = "the server this document is served from" }];
            document.Paths ??= [];
            document.Paths["/health/live"] = HealthPath(document, "Live", "Liveness: 200 while the process serves requests; runs no check.", canFail: false);
            document.Paths["/health/ready"] = HealthPath(document, "Ready", "Readiness: the model is loaded and answers a real prediction, and the service is not stopping.", canFail: true);
            document.Paths["/metrics"] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = "Metrics",
                        Summary = "Prometheus metrics",
                        Description = "Prometheus text exposition format 0.0.4: HTTP requests by endpoint, method and code, their duration, inference duration, sequences per request, forecast horizons, the model's info.",
                        Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                        Responses = new OpenApiResponses
                        {
                            ["200"] = TextResponse("The metrics.", "# TYPE simplernntorch_model_info gauge\nsimplernntorch_model_info{cell=\"rnn\",time_steps=\"3\",features=\"1\",hidden_size=\"5\",layers=\"1\",series=\"false\",max_horizon=\"0\"} 1\n"),
                            ["414"] = ProblemResponse(document, 414),
                            ["500"] = ProblemResponse(document, 500),
                        },
                    },
                },
            };
            document.Tags = new HashSet<OpenApiTag>
            {
                new() { Name = "Model", Description = "Predictions and forecasts" },
                new() { Name = "Operations", Description = "Health and metrics" },
            };
            return Task.CompletedTask;
        });

        // Every problem the service answers has a type, a title and a status (and a detail, except the framework's
        // own 404 and 405); a validation problem adds "errors".
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(ProblemDetails) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            {
                schema.Required = new HashSet<string> { "type", "title", "status" };
            }

            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, _, _) =>
        {
            if (operation.OperationId is { } id && RequestExamples.TryGetValue(id, out var request)
                && operation.RequestBody?.Content?.TryGetValue(Json, out var requestMedia) == true)
            {
                requestMedia.Example = JsonNode.Parse(request);
            }

            foreach (var (code, response) in operation.Responses ?? [])
            {
                foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    media.Example ??= ResponseExample(operation.OperationId, code, type);
                }
            }

            return Task.CompletedTask;
        });
    }

    public static RouteHandlerBuilder DescribePredict(this RouteHandlerBuilder endpoint) => endpoint
        .WithTags("Model")
        .WithSummary("The next value after each sequence")
        .WithDescription($"Each sequence holds the model's time steps × features numbers (GET /health: model.sequenceLength), in original units; at most {PredictEndpoint.MaxSequences} sequences and {RequestBody.MaxBytes} bytes per request. One graph run answers the whole batch, in order.")
        .Accepts<PredictRequest>(Json)
        .Produces<PredictResponse>(StatusCodes.Status200OK, Json)
        .ModelErrors();

    public static RouteHandlerBuilder DescribeForecast(this RouteHandlerBuilder endpoint) => endpoint
        .WithTags("Model")
        .WithSummary("A recursive forecast with intervals, for a model trained on a series")
        .WithDescription("The last time-steps values are the window; each step's prediction is fed back in for the next. The interval at step h is the point plus the offsets the training run measured for h, saved in the model; the horizon is 1 to model.maxHorizon (GET /health). A model that is not a series model answers 400.")
        .Accepts<ForecastRequest>(Json)
        .Produces<ForecastResponse>(StatusCodes.Status200OK, Json)
        .ModelErrors();

    public static RouteHandlerBuilder DescribeHealth(this RouteHandlerBuilder endpoint) => endpoint
        .WithTags("Operations")
        .WithSummary("The loaded model and the batch limit")
        .Produces<HealthResponse>(StatusCodes.Status200OK, Json)
        .ProducesProblem(StatusCodes.Status414UriTooLong)
        .ProducesProblem(StatusCodes.Status500InternalServerError);

    private static RouteHandlerBuilder ModelErrors(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesValidationProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status408RequestTimeout)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status414UriTooLong)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status500InternalServerError);

    private static readonly Dictionary<string, string> RequestExamples = new()
    {
        ["Predict"] = PredictEndpoint.Example,
        ["Forecast"] = ForecastEndpoint.Example,
    };

    private static JsonNode? ResponseExample(string? operation, string code, string type) => (operation, code, type) switch
    {
        ("Predict", "200", Json) => JsonNode.Parse("""{"predictions": [79.81411]}"""),
        ("Forecast", "200", Json) => JsonNode.Parse("""{"forecast": [79.8, 89.6, 99.4], "lower": [76.1, 84.2, 92.0], "upper": [83.5, 95.3, 106.9], "level": 0.8, "smoothing": "combined"}"""),
        ("Health", "200", Json) => JsonNode.Parse("""{"status": "ok", "model": {"cell": "rnn", "timeSteps": 3, "features": 1, "hiddenSize": 5, "layers": 1, "scaleOffset": 0, "scaleDivisor": 100, "sequenceLength": 3, "series": false, "maxHorizon": 0, "intervalLevel": null}, "maxSequences": 4096}"""),
        ("Predict", "400", Problem) => JsonNode.Parse("""{"type": "https://tools.ietf.org/html/rfc9110#section-15.5.1", "title": "Invalid sequences", "status": 400, "detail": "invalid sequences: 1 of 2. Each must hold 3 numbers (the model's time steps × features).", "errors": {"sequences[1]": ["has 2 values; the model takes sequences of 3"]}}"""),
        ("Forecast", "400", Problem) => ProblemExample(400, "the horizon is 40; this model forecasts 1 to 12 steps (the horizon its training run forecast and measured an interval for)"),
        (_, "408", Problem) => ProblemExample(408, "the body did not arrive within 10 s (18 bytes came)"),
        (_, "413", Problem) => ProblemExample(413, $"the body is larger than {RequestBody.MaxBytes} bytes; send at most {PredictEndpoint.MaxSequences} sequences per request"),
        (_, "414", Problem) => ProblemExample(414, "the URL has 4000 characters; at most 2048 are served"),
        (_, "415", Problem) => ProblemExample(415, "the body is 'text/plain'; send it as application/json (UTF-8)"),
        (_, "429", Problem) => ProblemExample(429, "the service is answering 8 request(s) to the model at once (and queues 0); retry after 1 s"),
        (_, "500", Problem) => JsonNode.Parse("""{"type": "https://tools.ietf.org/html/rfc9110#section-15.6.1", "title": "An error occurred while processing your request.", "status": 500}"""),
        _ => null,
    };

    private static JsonObject ProblemExample(int status, string detail) => new()
    {
        ["type"] = status switch
        {
            408 => "https://tools.ietf.org/html/rfc9110#section-15.5.9",
            413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
            414 => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
            415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            429 => "https://tools.ietf.org/html/rfc6585#section-4",
            _ => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        },
        ["title"] = Problems.Title(status),
        ["status"] = status,
        ["detail"] = detail,
    };

    private static OpenApiPathItem HealthPath(OpenApiDocument document, string id, string description, bool canFail)
    {
        var responses = new OpenApiResponses { ["200"] = TextResponse("Healthy.", "Healthy") };
        if (canFail)
        {
            responses["503"] = TextResponse("Unhealthy: the model did not answer, or the service is stopping.", "Unhealthy");
        }

        responses["414"] = ProblemResponse(document, 414);
        responses["500"] = ProblemResponse(document, 500);

        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new() { OperationId = id, Summary = description, Responses = responses, Tags = new HashSet<OpenApiTagReference> { new("Operations", document) } },
            },
        };
    }

    private static OpenApiResponse ProblemResponse(OpenApiDocument document, int status) => new()
    {
        Description = status == 414 ? "The URL is longer than Limits:MaxUrlLength." : "An unexpected error.",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [Problem] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), document), Example = ResponseExample(null, status.ToString(System.Globalization.CultureInfo.InvariantCulture), Problem) },
        },
    };

    private static OpenApiResponse TextResponse(string description, string example) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [Text] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(example) },
        },
    };
}
