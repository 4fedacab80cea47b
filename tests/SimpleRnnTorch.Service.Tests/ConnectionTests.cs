using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>What clients do to connections, against the service on a real Kestrel (a process on a loopback port).</summary>
[Trait("Category", "Integration")] // a Kestrel process each
public sealed partial class ConnectionTests
{
    private const string HalfRequest = "POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"sequences\": [[1,";

    [Fact]
    public async Task A_client_that_sends_half_a_body_and_goes_costs_one_log_line_and_no_stack_trace()
    {
        using var service = await KestrelProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}") };
        const int Tries = 9;

        for (var i = 0; i < Tries; i++)
        {
            using var socket = await service.ConnectAsync();
            await socket.SendAsync(Encoding.ASCII.GetBytes(HalfRequest));

            // Every try waits until its request is inside the service, reading the body; then the client goes:
            // it ends the connection (FIN) or, one try in three, resets it (RST).
            await WaitUntilInProgressAsync(client);
            if (i % 3 == 2)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Send);
            }

            socket.Close();
            await service.WaitForOutputAsync(o => BodyStopped().Count(o) > i, TimeSpan.FromSeconds(30));
        }

        service.Terminate();
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var output = service.Output;
        Assert.Equal(Tries, BodyStopped().Count(output));
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackFrame(), output);
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_with_a_body_still_arriving_exits_within_the_shutdown_timeout()
    {
        using var service = await KestrelProcess.StartAsync("--Limits:ShutdownTimeoutSeconds=1", "--Limits:MinRequestBodyBytesPerSecond=0", "--Limits:RequestBodyTimeoutSeconds=300");
        using var socket = await service.ConnectAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes(HalfRequest));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}") };
        await WaitUntilInProgressAsync(client);

        var stopping = Stopwatch.StartNew();
        service.Terminate();
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"it took {stopping.Elapsed.TotalSeconds:F1} s to exit (the framework's default is 30 s)");
        Assert.DoesNotMatch(StackFrame(), service.Output);
    }

    [Fact]
    public async Task Past_the_concurrency_limit_a_request_is_a_429_problem_with_Retry_After()
    {
        using var service = await KestrelProcess.StartAsync("--Limits:ConcurrentRequests=1", "--Limits:RetryAfterSeconds=3", "--Limits:MinRequestBodyBytesPerSecond=0");
        using var client = new HttpClient(new OpenApiContract { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}") };

        // The first request holds the one permit while its body is still arriving.
        using var held = await service.ConnectAsync();
        await held.SendAsync(Encoding.ASCII.GetBytes(HalfRequest));
        await WaitUntilInProgressAsync(client);

        using var refused = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json("""{"sequences": [[50, 60, 70]]}"""));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", Http.MediaType(refused));
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        var problem = await Http.ReadJsonAsync(refused);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("1 request(s) to the model at once", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // /forecast shares the limit; /health does not.
        using var forecast = await client.PostAsync(new Uri("/forecast", UriKind.Relative), Http.Json("""{"values": [50, 60, 70], "horizon": 1}"""));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, forecast.StatusCode);
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);

        // The rest of the first body: it is answered, and the permit is free again.
        await held.SendAsync(Encoding.ASCII.GetBytes(new string(' ', 100 - 18 - 12) + "2, 3]]}     "));
        var buffer = new byte[4096];
        var first = Encoding.ASCII.GetString(buffer, 0, await held.ReceiveAsync(buffer));
        Assert.StartsWith("HTTP/1.1 200 ", first, StringComparison.Ordinal);

        // The permit is released just after that response is written, so a request sent at once may still meet it:
        // the next ones within a few seconds are answered.
        var status = System.Net.HttpStatusCode.TooManyRequests;
        for (var attempt = 0; attempt < 50 && status == System.Net.HttpStatusCode.TooManyRequests; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(100);
            }

            using var after = await client.PostAsync(new Uri("/predict", UriKind.Relative), Http.Json("""{"sequences": [[50, 60, 70]]}"""));
            status = after.StatusCode;
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }

    public static TheoryData<string, string, int> KestrelRejections => new()
    {
        { "a 100 KB URL", $"GET /{new string('a', 100_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414 },
        { "100 KB of headers", $"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: {new string('a', 100_000)}\r\n\r\n", 431 },
        { "Content-Length: abc", "POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}", 400 },
        { "a garbage request line", "HELLO THERE\r\n\r\n", 400 },
        { "no Host header", "GET /health HTTP/1.1\r\n\r\n", 400 },
    };

    /// <summary>
    /// Kestrel refuses these while it parses the request, before any middleware runs: the status line only, with
    /// no problem+json body. The README lists them; this test keeps the list true.
    /// </summary>
    [Theory]
    [MemberData(nameof(KestrelRejections))]
    public async Task Kestrel_refuses_malformed_requests_itself_without_problem_json(string what, string request, int status)
    {
        using var service = await KestrelProcess.StartAsync();

        var response = await service.SendRawAsync(Encoding.ASCII.GetBytes(request));

        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.DoesNotContain("problem+json", response, StringComparison.Ordinal);
        Assert.True(response.Contains("Content-Length: 0", StringComparison.Ordinal), $"{what}: {response}");
    }

    [Fact]
    public async Task A_URL_past_the_service_limit_but_within_Kestrel_is_a_414_problem()
    {
        using var service = await KestrelProcess.StartAsync();

        var response = await service.SendRawAsync(Encoding.ASCII.GetBytes($"GET /health?{new string('q', 4000)} HTTP/1.1\r\nHost: localhost\r\n\r\n"));

        Assert.StartsWith("HTTP/1.1 414 ", response, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("at most 2048 are served", response, StringComparison.Ordinal);
    }

    /// <summary>Ready when a POST /predict is inside the service: /metrics counts it in progress.</summary>
    private static async Task WaitUntilInProgressAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (!InProgress().IsMatch(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative))))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the half-sent request never showed as in progress");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_a_400_problem_and_no_stack_trace()
    {
        using var service = await KestrelProcess.StartAsync();

        var response = await service.SendRawAsync(Encoding.ASCII.GetBytes(
            "POST /predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"));
        service.Terminate();
        await service.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 400 ", response, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", response, StringComparison.Ordinal);
        Assert.Contains("the body could not be read", response, StringComparison.Ordinal);
        Assert.Equal(1, BodyStopped().Count(service.Output));
        Assert.DoesNotMatch(StackFrame(), service.Output);
    }

    [GeneratedRegex(@"the body stopped after \d+ byte\(s\)")]
    private static partial Regex BodyStopped();

    [GeneratedRegex(@"(?m)^\s+at \S+\(")]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"(?m)^http_requests_in_progress\{[^}]*endpoint=""/predict""[^}]*\} 1$")]
    private static partial Regex InProgress();
}
