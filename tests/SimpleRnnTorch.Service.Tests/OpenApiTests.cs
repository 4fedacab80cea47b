using System.Net;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json: valid, and complete for every endpoint.</summary>
public sealed class OpenApiTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private static readonly string[] Operations = ["post /predict", "post /forecast", "get /health", "get /health/live", "get /health/ready", "get /metrics"];

    [Fact]
    public async Task The_document_reads_without_errors_and_validates()
    {
        using var client = factory.CreateClient();
        using var stream = await client.GetStreamAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        var result = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings());

        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        var document = Assert.IsType<OpenApiDocument>(result.Document);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
        Assert.Equal(Operations.Order(), document.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => $"{m.Method.ToLowerInvariant()} {p.Key}")).Order());
    }

    [Fact]
    public async Task Every_operation_declares_its_answers_with_schemas_and_examples()
    {
        var document = await DocumentAsync();

        foreach (var name in Operations)
        {
            var (method, path) = (name.Split(' ')[0], name.Split(' ')[1]);
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            Assert.True(operation.TryGetProperty("operationId", out _), $"{name}: no operationId");
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                foreach (var media in response.Value.GetProperty("content").EnumerateObject())
                {
                    Assert.True(media.Value.TryGetProperty("schema", out _), $"{name} {response.Name} {media.Name}: no schema");
                    Assert.True(media.Value.TryGetProperty("example", out _), $"{name} {response.Name} {media.Name}: no example");
                }
            }
        }

        foreach (var path in new[] { "/predict", "/forecast" })
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty("post");
            Assert.True(operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
            var responses = operation.GetProperty("responses");
            Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
            foreach (var status in new[] { "400", "408", "413", "414", "415", "429", "500" })
            {
                Assert.True(responses.TryGetProperty(status, out var response), $"{path}: {status} is not declared");
                Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path} {status}: not problem+json");
            }
        }
    }

    [Fact]
    public async Task The_examples_themselves_match_their_schemas()
    {
        var document = await DocumentAsync();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    foreach (var media in response.Value.GetProperty("content").EnumerateObject().Where(m => m.Name.EndsWith("json", StringComparison.Ordinal)))
                    {
                        var failure = OpenApiContract.Check(document, operation.Name, path.Name, int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture),
                            media.Name, media.Value.GetProperty("example").GetRawText());
                        Assert.True(failure is null, $"{operation.Name} {path.Name} {response.Name}: the example does not match: {failure}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task The_contract_check_refuses_what_the_document_does_not_declare()
    {
        var document = await DocumentAsync();

        Assert.Null(OpenApiContract.Check(document, "POST", "/predict", 200, "application/json", """{"predictions": [1.5]}"""));
        Assert.Contains("status 201 is not declared", OpenApiContract.Check(document, "POST", "/predict", 201, "application/json", "{}"), StringComparison.Ordinal);
        Assert.Contains("content type 'text/html'", OpenApiContract.Check(document, "POST", "/predict", 200, "text/html", "<p>"), StringComparison.Ordinal);
        Assert.Contains("no required 'predictions'", OpenApiContract.Check(document, "POST", "/predict", 200, "application/json", """{"prediction": 1}"""), StringComparison.Ordinal);
        Assert.Contains("$.predictions[0] is String", OpenApiContract.Check(document, "POST", "/predict", 200, "application/json", """{"predictions": ["1"]}"""), StringComparison.Ordinal);
        Assert.Contains("no required 'status'", OpenApiContract.Check(document, "POST", "/predict", 429, "application/problem+json", """{"type": "x", "title": "y"}"""), StringComparison.Ordinal);
        Assert.Contains("no such path", OpenApiContract.Check(document, "GET", "/nope", 200, "application/json", "{}"), StringComparison.Ordinal);
        Assert.Null(OpenApiContract.Check(document, "GET", "/nope", 404, "application/problem+json", "{}"));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Http.ReadJsonAsync(response);
    }
}
