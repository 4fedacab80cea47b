using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SimpleRnnTorch.Service.Tests;

internal static class CheckedClients
{
    /// <summary>
    /// A client whose every response is checked against the service's own OpenAPI document (see
    /// <see cref="OpenApiContract"/>): a response the document does not declare fails the test that saw it.
    /// </summary>
    public static HttpClient CreateCheckedClient(this WebApplicationFactory<Program> factory) => factory.CreateDefaultClient(new OpenApiContract());
}

/// <summary>
/// Checks each response against /openapi/v1.json, fetched once through the same server: the operation
/// (path and method) exists, it declares the status code, the content type is declared for that code, and a
/// JSON body has the declared type and required properties, recursively. A path the document does not name must
/// be the framework's 404 problem, a method it does not name the framework's 405 problem.
/// </summary>
internal sealed class OpenApiContract : DelegatingHandler
{
    private JsonDocument? document;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri!.AbsolutePath == "/openapi/v1.json")
        {
            return response;
        }

        document ??= await LoadAsync(request.RequestUri, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var failure = Check(document.RootElement, request.Method.Method, request.RequestUri.AbsolutePath, (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType, body);
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"{request.Method} {request.RequestUri.AbsolutePath} → {(int)response.StatusCode}: {failure}\n{body}");
        }

        return response;
    }

    private async Task<JsonDocument> LoadAsync(Uri any, CancellationToken cancellationToken)
    {
        using var response = await base.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(any, "/openapi/v1.json")), cancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>What is wrong with this response by the document, or null.</summary>
    public static string? Check(JsonElement openApi, string method, string path, int status, string? mediaType, string body)
    {
        if (!openApi.GetProperty("paths").TryGetProperty(path, out var pathItem))
        {
            return status == 404 && mediaType == "application/problem+json" ? null : "the document has no such path (only a 404 problem may answer it)";
        }

        if (!pathItem.TryGetProperty(method.ToLowerInvariant(), out var operation))
        {
            return status == 405 && mediaType == "application/problem+json" ? null : "the document has no such method on this path (only a 405 problem may answer it)";
        }

        var responses = operation.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var declared) && !responses.TryGetProperty("default", out declared))
        {
            return $"status {status} is not declared (declared: {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))})";
        }

        if (!declared.TryGetProperty("content", out var content))
        {
            return body.Length == 0 ? null : "a body where the document declares none";
        }

        if (mediaType is null || !content.TryGetProperty(mediaType, out var media))
        {
            return $"content type '{mediaType}' is not declared (declared: {string.Join(", ", content.EnumerateObject().Select(c => c.Name))})";
        }

        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || !media.TryGetProperty("schema", out var schema))
        {
            return null;
        }

        using var json = JsonDocument.Parse(body);
        return Matches(openApi, schema, json.RootElement, "$", 0);
    }

    private static string? Matches(JsonElement openApi, JsonElement schema, JsonElement value, string where, int depth)
    {
        schema = Resolve(openApi, schema);
        if (depth > 8)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            return $"{where} is {value.ValueKind}, the schema says {type}";
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        return $"{where} has no required '{name}'";
                    }
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.TryGetProperty(property.Name, out var propertySchema)
                        && Matches(openApi, propertySchema, property.Value, $"{where}.{property.Name}", depth + 1) is { } failure)
                    {
                        return failure;
                    }
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray().Take(50))
            {
                if (Matches(openApi, items, item, $"{where}[{i++}]", depth + 1) is { } failure)
                {
                    return failure;
                }
            }
        }

        return null;
    }

    private static JsonElement Resolve(JsonElement openApi, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/components/schemas/".Length..];
            schema = openApi.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => TypeMatches(t, value))
        : type.GetString() switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => true,
        };
}
