using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Cli;

/// <summary>Process exit codes, following the shell's conventions. Only <see cref="CliApp"/> chooses one.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed while running (an I/O error, a diverged training run).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an option out of range, a malformed number, an unusable path or file.</summary>
    public const int Usage = 2;

    /// <summary>The machine or this build cannot do what was asked (no CUDA, no font).</summary>
    public const int Unavailable = 3;

    /// <summary>The output folder is held by another running process: try again when it has finished.</summary>
    public const int Busy = 4;

    /// <summary>128 + the signal's number, as shells report a process a signal stopped: 130 for SIGINT, 143 for SIGTERM.</summary>
    public static int For(Signal signal) => 128 + (int)signal;
}

/// <summary>How a command that ran to its end ended, for <see cref="CliApp"/> to turn into an exit code.</summary>
internal abstract record Ending
{
    private Ending()
    {
    }

    public static readonly Ending Completed = new CompletedEnding();

    /// <summary>A loss became non-finite; what was kept has been said.</summary>
    public static readonly Ending Diverged = new DivergedEnding();

    /// <summary>A signal stopped the work; what was kept has been said.</summary>
    public sealed record Interrupted(Signal Signal) : Ending;

    private sealed record CompletedEnding : Ending;

    private sealed record DivergedEnding : Ending;
}
