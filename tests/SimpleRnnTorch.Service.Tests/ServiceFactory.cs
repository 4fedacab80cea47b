using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// The service in memory with its own configuration: appsettings.json from the project folder, so the
/// shipped model.onnx beside it. Shared by the tests of a class: the model loads once.
/// </summary>
public class ServiceFactory : WebApplicationFactory<Program>;

internal static class Http
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static string? MediaType(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    public static string Sequences(int count, string sequence = "[50, 60, 70]") =>
        $$"""{"sequences": [{{string.Join(", ", Enumerable.Repeat(sequence, count))}}]}""";

    /// <summary>A body sent without a length, in chunks, as a client streaming it would.</summary>
    public static HttpContent Chunked(string body)
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}

/// <summary>
/// A body whose first part is sent at once and whose rest waits for <see cref="Release"/>: a client still
/// sending, held open for as long as a test needs.
/// </summary>
internal sealed class GatedContent : HttpContent
{
    private readonly byte[] head;
    private readonly byte[] tail;
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GatedContent(string head, string tail)
    {
        this.head = Encoding.UTF8.GetBytes(head);
        this.tail = Encoding.UTF8.GetBytes(tail);
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    public void Release() => released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await stream.WriteAsync(head);
        await stream.FlushAsync();
        await released.Task;
        await stream.WriteAsync(tail);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
