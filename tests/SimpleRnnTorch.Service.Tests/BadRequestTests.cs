using System.Net;
using System.Text.Json;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>Every way a request body can be wrong is a 400 with an RFC 7807 body that says what is wrong.</summary>
public sealed class BadRequestTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "malformed JSON", """{"sequences": [[50, 60, 70]""", "not valid JSON" },
        { "not JSON at all", "sequences=50,60,70", "not valid JSON" },
        { "an empty body", "", "not valid JSON" },
        { "not an object", "[[50, 60, 70]]", "an object with a \"sequences\" array" },
        { "no sequences", """{"sequence": [[50, 60, 70]]}""", "an object with a \"sequences\" array" },
        { "sequences not an array", """{"sequences": "50,60,70"}""", "\"sequences\" must be an array of sequences, not a string" },
        { "an empty batch", """{"sequences": []}""", "\"sequences\" is empty" },
        { "too many sequences", Http.Sequences(4097), "holds 4097 sequences; at most 4096" },
    };

    /// <summary>A body that is JSON with a "sequences" array, one of whose sequences is wrong: which one, and why.</summary>
    public static TheoryData<string, string, string, string> BadSequences => new()
    {
        { "too short", """{"sequences": [[50, 60, 70], [50, 60]]}""", "sequences[1]", "has 2 values; the model takes sequences of 3" },
        { "too long", """{"sequences": [[50, 60, 70, 80]]}""", "sequences[0]", "has 4 values; the model takes sequences of 3" },
        { "a string", """{"sequences": [[50, 60, 70], [50, 60, 70], [50, "60", 70]]}""", "sequences[2]", "value 1 is a string" },
        { "null", """{"sequences": [[50, 60, null]]}""", "sequences[0]", "value 2 is null" },
        { "a boolean", """{"sequences": [[true, 60, 70]]}""", "sequences[0]", "value 0 is a boolean" },
        { "a nested array", """{"sequences": [[[50], [60], [70]]]}""", "sequences[0]", "value 0 is an array" },
        { "a number, not a sequence", """{"sequences": [50, 60, 70]}""", "sequences[0]", "must be an array of 3 numbers, not a number" },
        { "beyond float32", """{"sequences": [[50, 60, 1e39]]}""", "sequences[0]", "value 2 is beyond float32's range" },
        { "beyond double", """{"sequences": [[50, 60, 1e400]]}""", "sequences[0]", "value 2 is beyond float32's range" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_problem(string what, string body, string expected)
    {
        var problem = await PostExpectingProblemAsync(Http.Json(body));

        Assert.True(problem.GetProperty("detail").GetString()!.Contains(expected, StringComparison.Ordinal),
            $"{what}: '{problem.GetProperty("detail").GetString()}' does not say '{expected}'");
    }

    [Theory]
    [MemberData(nameof(BadSequences))]
    public async Task A_bad_sequence_is_a_400_problem_naming_it(string what, string body, string key, string expected)
    {
        var problem = await PostExpectingProblemAsync(Http.Json(body));

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(key, out var messages), $"{what}: no error for {key} in {errors}");
        Assert.Contains(expected, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("Each must hold 3 numbers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_first_ten_invalid_sequences_are_listed()
    {
        var problem = await PostExpectingProblemAsync(Http.Json(Http.Sequences(25, "[1, 2]")));

        Assert.Equal(10, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.Contains("25 of 25; the first 10 are listed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_over_large_body_is_refused_by_its_length()
    {
        var body = Http.Sequences(1, $"[50, 60, 70], [{new string(' ', 1024 * 1024)}50, 60, 70]");

        var problem = await PostExpectingProblemAsync(Http.Json(body), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("larger than 1048576 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_over_large_body_without_a_length_is_refused_while_it_is_read()
    {
        var body = Http.Sequences(1, $"[50, 60, 70], [{new string(' ', 1024 * 1024)}50, 60, 70]");

        var problem = await PostExpectingProblemAsync(Http.Chunked(body), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("larger than 1048576 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        var padding = new string(' ', (1024 * 1024) - 100);
        using var client = factory.CreateCheckedClient();

        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Chunked($$"""{"sequences": [[50, 60, 70]]{{padding}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_wrong_method_is_a_405_problem()
    {
        using var client = factory.CreateCheckedClient();

        using var response = await client.GetAsync(new Uri("/predict", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(response));
    }

    private async Task<JsonElement> PostExpectingProblemAsync(HttpContent content, HttpStatusCode status = HttpStatusCode.BadRequest, string path = "/predict")
    {
        using var client = factory.CreateCheckedClient();
        using (content)
        {
            using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);

            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", Http.MediaType(response));
            var problem = await Http.ReadJsonAsync(response);
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
            return problem;
        }
    }
}
