using System.Diagnostics;
using System.Runtime.InteropServices;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during long work: the first asks it to stop after the running step, so
/// completed work can be kept; a second one exits at once (the same signal again within half a second is the first's
/// copy, as a process group's kill delivers it, and is ignored). Files are only ever replaced by renaming a
/// complete temporary file, so even that leaves no half-written file.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private int received;
    private long firstAt;
    private int disposed;

    /// <summary>How soon after the first a repeat of the same signal is taken as its copy, not as a second request (a person pressing Ctrl-C twice takes longer).</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMilliseconds(500);

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
                // Handlers may run on several threads at once: only the first signal asks for a stop; a later one keeps the
                // default action and ends the process at once, unless it is the same signal within RepeatWindow of the first:
                // one kill often arrives twice (`timeout` signals the program and then its process group; `kill -- -PGID`
                // reaches `dotnet run` too, which passes it on), and that is one request to stop, not two.
                // The first signal's time is set before anything else, so that Dispose, which reads it, never misses one.
                var now = Stopwatch.GetTimestamp();
                Interlocked.CompareExchange(ref firstAt, now, 0);
                if (Interlocked.CompareExchange(ref received, (int)signal, 0) != 0)
                {
                    context.Cancel = Volatile.Read(ref received) == (int)signal && Stopwatch.GetElapsedTime(Volatile.Read(ref firstAt), now) < RepeatWindow;
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
    /// atomically, so a signal may end the process wherever it is. After a first signal the handlers stay until
    /// <see cref="RepeatWindow"/> has passed, so that its copy does not end the process while it saves what it kept.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        var first = Volatile.Read(ref firstAt);
        var left = first == 0 ? TimeSpan.Zero : RepeatWindow - Stopwatch.GetElapsedTime(first);
        if (left > TimeSpan.Zero)
        {
            _ = Task.Delay(left).ContinueWith(_ => Unregister(), TaskScheduler.Default);
            return;
        }

        Unregister();
    }

    private void Unregister()
    {
        lock (registrations)
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }

            registrations.Clear();
        }

        // The token source is not disposed: a handler running right now may still call Cancel().
    }
}
