using System.Diagnostics;

namespace SimpleRnnTorch.Tests;

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

internal static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessResult RunApp(IEnumerable<string> args, string? workingDirectory = null) =>
        Run(TestPaths.Dotnet, [TestPaths.AppDll, .. args], workingDirectory);

    /// <summary>The program in a child process, still running: read its stdout (stderr is drained).</summary>
    public static Process StartApp(IEnumerable<string> args, string workingDirectory)
    {
        var info = new ProcessStartInfo(TestPaths.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(TestPaths.AppDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.StandardError.ReadToEndAsync(); // drain
        return process;
    }

    /// <summary>Reads stdout until a line matches (true) or it ends or a minute passes (false).</summary>
    public static bool WaitForLine(Process process, Func<string, bool> match)
    {
        // A line that never comes must not block the test run: each read waits at most until the deadline.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero)
        {
            var read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(left) || read.Result is not { } line)
            {
                return false;
            }

            if (match(line))
            {
                return true;
            }
        }

        return false;
    }
}
