using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// The built service as a process on a real Kestrel, on a free loopback port, for what an in-memory server
/// cannot show: connections that close half-way, Kestrel's own rejections, SIGTERM. Ready when it logs the
/// address it listens on; everything it writes is kept.
/// </summary>
public sealed partial class KestrelProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<int> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private KestrelProcess(Process process) => this.process = process;

    public int Port { get; private set; }

    public int ProcessId => process.Id;

    /// <summary>All it wrote so far, stdout and stderr, in order of arrival.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<KestrelProcess> StartAsync(params string[] args)
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
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        info.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var service = new KestrelProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        service.process.OutputDataReceived += (_, e) => service.Receive(e.Data);
        service.process.ErrorDataReceived += (_, e) => service.Receive(e.Data);
        service.process.Exited += (_, _) => service.listening.TrySetException(new InvalidOperationException($"the service exited before it listened:\n{service.Output}"));
        service.process.Start();
        service.process.BeginOutputReadLine();
        service.process.BeginErrorReadLine();
        service.Port = await service.listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return service;
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Waits, within a bound, until <paramref name="condition"/> holds for the output: a readiness signal, not a sleep.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(Output))
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"the output never matched within {timeout}:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd stops a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        process.WaitForExit(); // the output events are drained
        return process.ExitCode;
    }

    /// <summary>A socket to the service, for requests no HttpClient would send.</summary>
    public async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", Port);
        return socket;
    }

    /// <summary>Sends raw bytes and reads the answer until the server closes the connection or a complete response came.</summary>
    public async Task<string> SendRawAsync(byte[] request)
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync(request);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (SocketException)
            {
                break;
            }

            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
            var text = Encoding.Latin1.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && ContentLength().Match(text) is { Success: true } length
                && text.Length >= end + 4 + int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"(?im)^content-length:\s*(\d+)")]
    private static partial Regex ContentLength();
}
