namespace SimpleRnnTorch.Common;

/// <summary>What kind of failure an error is: the command line's one boundary (Cli/CliApp) turns it into an exit code.</summary>
internal enum FailureKind
{
    /// <summary>Bad input: an option, a path, a file's contents. Fixable by the user; nothing was changed.</summary>
    Input,

    /// <summary>The machine or this build cannot do what was asked (no CUDA, no font).</summary>
    Unavailable,

    /// <summary>A folder is held by another running process: trying again later may work.</summary>
    Busy,

    /// <summary>Something failed while running (an I/O error, a diverged training run).</summary>
    Failed,
}

/// <summary>
/// An error the program expects and explains: its message is one line that says what went wrong and, where
/// there is one, names the option or the file. Never shown with a stack trace. Every error says its kind
/// (there is no default): a write that fails is <see cref="FailureKind.Failed"/> (exit 1), not bad input.
/// </summary>
internal class ProgramError(string message, FailureKind kind) : Exception(message)
{
    public FailureKind Kind { get; } = kind;
}

/// <summary>A run stopped by SIGINT or SIGTERM before it had anything to show; <see cref="Exception.Message"/> says what was kept.</summary>
internal sealed class InterruptedError(Signal signal, string message) : Exception(message)
{
    public Signal Signal { get; } = signal;
}

/// <summary>The signals a run stops cleanly on.</summary>
internal enum Signal
{
    /// <summary>Ctrl-C.</summary>
    Interrupt = 2,

    Terminate = 15,
}

internal static class Signals
{
    public static string Name(this Signal signal) => signal == Signal.Terminate ? "SIGTERM" : "SIGINT (Ctrl-C)";
}
