namespace SimpleRnnTorch.Service;

/// <summary>RFC 9457 problem+json answers, with one title per status code.</summary>
internal static class Problems
{
    public static IResult Of(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: Title(status), type: Type(status));

    /// <summary>The RFC section of each status; the framework itself names none for 413, 414 and 429.</summary>
    public static string? Type(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status501NotImplemented => "https://tools.ietf.org/html/rfc9110#section-15.6.2",
        _ => null,
    };

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, detail);

    /// <summary>A detail for the framework's own 404, 405 and 415 (routing answers them before any endpoint runs).</summary>
    public static void AddDetail(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Detail is not null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"nothing is served at {request.Path}; GET /openapi/v1.json lists the endpoints",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not served at {request.Path}; GET /openapi/v1.json lists the methods",
            StatusCodes.Status415UnsupportedMediaType => request.ContentType is null
                ? "the request has no Content-Type: send the body as application/json"
                : $"the body is '{request.ContentType}'; send it as application/json (UTF-8)",
            _ => null,
        };
    }

    public static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Invalid request",
        StatusCodes.Status408RequestTimeout => "Request body timed out",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status414UriTooLong => "URL too long",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status500InternalServerError => "The model failed",
        StatusCodes.Status501NotImplemented => "Method not implemented",
        _ => "Request refused",
    };
}
