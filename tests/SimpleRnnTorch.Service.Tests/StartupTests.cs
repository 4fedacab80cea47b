using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>A model that cannot be used stops the service before it listens, with one line that says why.</summary>
public sealed class StartupTests
{
    [Fact]
    public void A_missing_model_stops_the_host_from_starting()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}", "model.onnx");
        using var factory = new ServiceFactory().WithWebHostBuilder(b => b.UseSetting("Model:Path", path));

        var error = Assert.Throws<OnnxModelException>(() => factory.CreateClient());

        Assert.Equal($"'{path}': no such file", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_model_stops_the_host_from_starting()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a model");
            using var factory = new ServiceFactory().WithWebHostBuilder(b => b.UseSetting("Model:Path", path));

            var error = Assert.Throws<OnnxModelException>(() => factory.CreateClient());

            Assert.StartsWith($"'{path}' is not a usable ONNX model", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData("--Model:Path=/nonexistent/model.onnx", "'/nonexistent/model.onnx': no such file")]
    [InlineData("--Model:Path=", "no model path: set Model:Path")]
    public void The_process_exits_2_with_one_line_on_stderr(string argument, string expected)
    {
        var (exitCode, stdout, stderr) = RunService(argument, "--urls=http://127.0.0.1:0");

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SimpleRnnTorch.Service cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", stdout, StringComparison.Ordinal);
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData("--urls=notaurl", "'notaurl' is not an address to listen on")]
    [InlineData("--urls=http://127.0.0.1:99999", "cannot listen on http://127.0.0.1:99999")]
    [InlineData("--urls=http://127.0.0.1:{busy}", "address already in use")]
    [InlineData("--urls=http://127.0.0.1:abc", "is not an address to listen on")]
    [InlineData("--urls=ftp://127.0.0.1:18083", "is not an address to listen on")]
    [InlineData("--urls=http://127.0.0.1:0/path", "is not an address to listen on")]
    [InlineData("--urls=http://user@localhost:0", "is not an address to listen on")]
    [InlineData("--urls=http://999.1.1.1:0", "is not an address to listen on")]
    [InlineData("--urls=http://[1::2::3]:0", "is not an address to listen on")]
    [InlineData("--urls=;", "';' is not an address to listen on")]
    [InlineData("--urls=https://127.0.0.1:0", "cannot listen on https://127.0.0.1:0")]
    public void An_address_it_cannot_listen_on_exits_2_with_one_line(string argument, string expected)
    {
        // A port held by a listener of this process: the service's bind fails as on a port another program holds.
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var model = Path.Combine(AppContext.BaseDirectory, "model.onnx");

        var (exitCode, stdout, stderr) = RunService($"--Model:Path={model}", argument.Replace("{busy}", port, StringComparison.Ordinal));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SimpleRnnTorch.Service cannot start: it cannot listen on ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>The service as built beside the tests, run the way a user runs it: `dotnet SimpleRnnTorch.Service.dll`.</summary>
    private static (int ExitCode, string Stdout, string Stderr) RunService(params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SimpleRnnTorch.Service.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the service did not exit");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
