namespace SimpleRnnTorch.Cli;

/// <summary>
/// A problem the user can fix. The CLI prints its message as one line on stderr and exits with
/// <see cref="ExitCode"/>; never a stack trace.
/// </summary>
internal sealed class UserError(string message, int exitCode = ExitCodes.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
