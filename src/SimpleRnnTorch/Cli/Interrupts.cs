using System.Runtime.InteropServices;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during training: the first asks the trainer to stop after the running
/// step, so the completed epochs can be kept; a second one exits at once. Files are only ever replaced
/// by renaming a complete temporary file, so even that leaves no half-written file.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    public const int SigIntExitCode = 130;
    public const int SigTermExitCode = 143;

    private readonly CancellationTokenSource cancellation = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int exitCode;

    public Interrupts()
    {
        Register(PosixSignal.SIGINT, SigIntExitCode);
        Register(PosixSignal.SIGTERM, SigTermExitCode);
    }

    public CancellationToken Token => cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + signal number, as shells report it).</summary>
    public int ExitCode => Volatile.Read(ref exitCode);

    public string SignalName => ExitCode == SigTermExitCode ? "SIGTERM" : "SIGINT (Ctrl-C)";

    private void Register(PosixSignal signal, int code)
    {
        try
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // Handlers may run on several threads at once: only the first signal asks for a stop;
                // any later one keeps the default action and ends the process at once.
                if (Interlocked.CompareExchange(ref exitCode, code, 0) != 0)
                {
                    return;
                }

                context.Cancel = true;
                cancellation.Cancel();
            }));
        }
        catch (PlatformNotSupportedException)
        {
            // SIGTERM has no meaning on some platforms; Ctrl-C then ends the process the usual way.
        }
    }

    /// <summary>
    /// Back to the default: once training has ended there is nothing to finish gracefully, and every
    /// file is replaced atomically, so a signal may end the process wherever it is.
    /// </summary>
    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        registrations.Clear();
        // The token source is not disposed: a handler running right now may still call Cancel().
    }
}
