namespace SimpleRnnTorch.Service;

/// <summary>RFC 9457 problem+json answers, with one title per status code.</summary>
internal static class Problems
{
    public static IResult Of(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: Title(status));

    public static IResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, detail);

    public static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Invalid request",
        StatusCodes.Status408RequestTimeout => "Request body timed out",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status414UriTooLong => "URL too long",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        _ => "Request refused",
    };
}
