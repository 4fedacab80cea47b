using System.Runtime.InteropServices;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during long work: the first asks it to stop after the running step, so
/// completed work can be kept; a second one exits at once. Files are only ever replaced by renaming a
/// complete temporary file, so even that leaves no half-written file.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int received;

    public Interrupts()
    {
        Register(PosixSignal.SIGINT, Signal.Interrupt);
        Register(PosixSignal.SIGTERM, Signal.Terminate);
    }

    public CancellationToken Token => cancellation.Token;

    /// <summary>The first signal received; null while none has come.</summary>
    public Signal? Received => Volatile.Read(ref received) is var s and > 0 ? (Signal)s : null;

    /// <summary>The error that says a signal stopped the work before it had a result, and what that left.</summary>
    public InterruptedError Stopped(string what) =>
        new(Received ?? Signal.Interrupt, $"interrupted by {(Received ?? Signal.Interrupt).Name()} {what}");

    private void Register(PosixSignal posix, Signal signal)
    {
        try
        {
            registrations.Add(PosixSignalRegistration.Create(posix, context =>
            {
                // Handlers may run on several threads at once: only the first signal asks for a stop;
                // any later one keeps the default action and ends the process at once.
                if (Interlocked.CompareExchange(ref received, (int)signal, 0) != 0)
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
    /// Back to the default: once the work that can stop cleanly has ended, every file is replaced
    /// atomically, so a signal may end the process wherever it is.
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
