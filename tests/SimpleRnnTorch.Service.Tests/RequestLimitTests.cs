using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>Bodies that are not JSON text, too slow, URLs too long, and the concurrency limit.</summary>
public sealed class RequestLimitTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task A_body_with_invalid_UTF_8_is_a_400_problem_even_where_no_one_reads_it()
    {
        using var client = factory.CreateCheckedClient();
        var body = Encoding.UTF8.GetBytes("""{"note": "X", "sequences": [[50, 60, 70]]}""");
        body[Array.IndexOf(body, (byte)'X')] = 0xFF;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    [InlineData(null)]
    public async Task A_body_that_is_not_JSON_by_its_content_type_is_a_415_problem(string? contentType)
    {
        using var client = factory.CreateCheckedClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"sequences": [[50, 60, 70]]}"""));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(response));
        Assert.Contains("as application/json", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    public async Task JSON_content_types_are_read(string contentType)
    {
        using var client = factory.CreateCheckedClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"sequences": [[50, 60, 70]]}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_does_not_arrive_in_time_is_a_408_problem()
    {
        using var slow = factory.WithWebHostBuilder(b => b.UseSetting("Limits:RequestBodyTimeoutSeconds", "0.5"));
        using var client = slow.CreateCheckedClient();
        using var content = new GatedContent("""{"sequences": [[50, """, "60, 70]]}");

        try
        {
            using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), content);

            Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
            Assert.Contains("did not arrive within 0.5 s", (await Http.ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            content.Release();
        }
    }

    [Fact]
    public async Task A_URL_longer_than_the_limit_is_a_414_problem()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri($"/health?{new string('q', 2100)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(response));
    }

    [Theory]
    [InlineData("Limits:RequestBodyTimeoutSeconds", "0", "Limits:RequestBodyTimeoutSeconds must be a positive number of seconds")]
    [InlineData("Limits:ConcurrentRequests", "-1", "Limits:ConcurrentRequests must be 0 (off) or a positive count")]
    public void A_bad_limit_stops_the_host_from_starting(string key, string value, string expected)
    {
        using var bad = factory.WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.Throws<ServiceConfigurationException>(() => bad.CreateClient());

        Assert.Equal(expected, error.Message);
    }
}
