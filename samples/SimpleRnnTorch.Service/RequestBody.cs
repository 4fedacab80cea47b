using System.Text.Json;
using System.Buffers;
using System.Text.Unicode;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace SimpleRnnTorch.Service;

/// <summary>
/// Reads a JSON request body for /predict and /forecast, so that every way a client can send one wrongly
/// ends in a problem+json answer or, when the client is gone, in one log line and no stack trace:
/// over the size limit (413), too slow (408), cut short (400), not UTF-8 (400), the connection closed
/// (nothing can be answered: one Information line).
/// </summary>
internal static partial class RequestBody
{
    /// <summary>Request body bytes: 4096 sequences of three numbers fit with about 80 characters each.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// The body read as <see cref="ReadAsync"/> reads it and parsed as JSON, then handed to <paramref name="handle"/>;
    /// a body that cannot be read or is not JSON is the problem that says so.
    /// </summary>
    public static async Task<IResult> HandleJsonAsync(HttpContext context, string tooLargeAdvice, Func<JsonElement, IResult> handle)
    {
        var read = await ReadAsync(context, tooLargeAdvice);
        if (read.Error is { } error)
        {
            return error;
        }

        JsonDocument document;
        try
        {
            // A name twice in one object is refused rather than read as the last one (what a parser
            // elsewhere in a chain may read as the first).
            document = JsonDocument.Parse(read.Body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException) when (DuplicateName(read.Body!) is { } name)
        {
            return Problems.BadRequest($"the body names \"{name}\" more than once in one object; send each name once");
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"the body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            return handle(document.RootElement);
        }
    }

    /// <summary>The first property name that appears twice in one object (at most 40 characters of it), or null when none does.</summary>
    internal static string? DuplicateName(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName when !names.Peek().Add(reader.GetString()!):
                        var name = reader.GetString()!;
                        return name.Length > 40 ? name[..40] + "…" : name;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed before any duplicate: the parser's own message says where.
        }

        return null;
    }

    /// <summary>The body, or the answer to give instead of reading it further.</summary>
    public readonly record struct Result(byte[]? Body, IResult? Error);

    public static async Task<Result> ReadAsync(HttpContext context, string tooLargeAdvice)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType, request.ContentType is null
                ? "the request has no Content-Type: send the body as application/json"
                : $"the body is '{request.ContentType}'; send it as application/json (UTF-8)");
        }

        if (request.ContentLength > MaxBytes)
        {
            return Refuse(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBytes} bytes; {tooLargeAdvice}");
        }

        var limits = context.RequestServices.GetRequiredService<IOptions<ServiceLimits>>().Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(TimeSpan.FromSeconds(limits.RequestBodyTimeoutSeconds));
        var reader = request.BodyReader;
        long received = 0;
        try
        {
            // A chunked body has no length up front: read until it ends or passes the limit.
            while (true)
            {
                var result = await reader.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                received = buffer.Length;
                if (buffer.Length > MaxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    return Refuse(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBytes} bytes; {tooLargeAdvice}");
                }

                if (result.IsCompleted)
                {
                    var body = buffer.ToArray();
                    reader.AdvanceTo(buffer.End);

                    // System.Text.Json reads a string's bytes only when asked for it: check them all here, so that a
                    // body with invalid UTF-8 anywhere (in a name, in a string no one reads) is refused as a whole.
                    return Utf8.IsValid(body)
                        ? new Result(body, null)
                        : Refuse(context, StatusCodes.Status400BadRequest, "the body is not valid UTF-8: JSON must be sent as UTF-8 text");
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client is gone: nobody to answer. One line, no stack trace.
            ClientGone(Logger(context), request.Method, request.Path, received, "the client closed it");
            CloseConnection(context);
            return new Result(null, Results.Empty);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Refuse(context, StatusCodes.Status408RequestTimeout,
                $"the body did not arrive within {limits.RequestBodyTimeoutSeconds:0.###} s ({received} bytes came)");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status400BadRequest)
        {
            // The body ended before its Content-Length (the client closed its side), or its chunks were malformed.
            // One log line; a 400 problem, which Kestrel sends where the client can still read it; and the connection
            // ends after it, so that Kestrel does not try to read another request while this body's read is pending
            // (it would log "Reading is already in progress" with a stack trace).
            ClientGone(Logger(context), request.Method, request.Path, received, e.Message);
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
            return Refuse(context, StatusCodes.Status400BadRequest, $"the body could not be read: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own findings while reading: the body came slower than Limits:MinRequestBodyBytesPerSecond (408),
            // or passed Kestrel's MaxRequestBodySize (413).
            return Refuse(context, e.StatusCode, $"the body could not be read: {e.Message}");
        }
        catch (IOException e)
        {
            // A connection reset that the abort token has not seen yet: the client is gone all the same.
            ClientGone(Logger(context), request.Method, request.Path, received, e.Message);
            CloseConnection(context);
            return new Result(null, Results.Empty);
        }
    }

    /// <summary>
    /// Ends a connection whose client is gone. Kestrel would otherwise go on to read a next request from it while
    /// the body's read is still pending, and log "Reading is already in progress" with a stack trace.
    /// </summary>
    private static void CloseConnection(HttpContext context)
    {
        context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        context.Abort();
    }

    /// <summary>
    /// application/json or any application/*+json, in UTF-8 (no charset parameter, or utf-8, quoted or not:
    /// RFC 9110 §8.3.1 makes charset="utf-8" the same as charset=utf-8).
    /// </summary>
    internal static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        && (!type.Charset.HasValue || HeaderUtilities.RemoveQuotes(type.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An answer to a body that was not read to its end. The connection is closed after it, so that Kestrel
    /// neither waits for the rest nor reads the next request from the middle of this one.
    /// </summary>
    private static Result Refuse(HttpContext context, int status, string detail)
    {
        context.Response.Headers.Connection = "close";
        return new Result(null, Problems.Of(status, detail));
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestBody).FullName!);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: the body stopped after {Received} byte(s), the connection is closed: {Reason}")]
    private static partial void ClientGone(ILogger logger, string method, string path, long received, string reason);
}
