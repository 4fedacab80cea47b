using System.Runtime.InteropServices;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during training: the first asks the trainer to stop after the running
/// step, so the completed epochs can be kept; a second one exits at once. Files are only ever replaced
/// by renaming a complete temporary file, so even that leaves no half-written file.
/// </summary>
public sealed class Interrupts : IDisposable
{
    public const int SigIntExitCode = 130;
    public const int SigTermExitCode = 143;

    private readonly CancellationTokenSource cancellation = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private volatile int exitCode;

    public Interrupts()
    {
        Register(PosixSignal.SIGINT, SigIntExitCode);
        Register(PosixSignal.SIGTERM, SigTermExitCode);
    }

    public CancellationToken Token => cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + signal number, as shells report it).</summary>
    public int ExitCode => exitCode;

    public string SignalName => exitCode == SigTermExitCode ? "SIGTERM" : "SIGINT (Ctrl-C)";

    private void Register(PosixSignal signal, int code)
    {
        try
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we decide when to exit
                if (cancellation.IsCancellationRequested)
                {
                    Environment.Exit(code);
                }

                exitCode = code;
                cancellation.Cancel();
            }));
        }
        catch (PlatformNotSupportedException)
        {
            // SIGTERM has no meaning on some platforms; Ctrl-C then ends the process the usual way.
        }
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        cancellation.Dispose();
    }
}
