namespace SimpleRnnTorch.Cli;

/// <summary>Process exit codes, following the shell's conventions.</summary>
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
}
