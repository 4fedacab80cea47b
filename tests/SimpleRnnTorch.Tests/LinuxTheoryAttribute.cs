namespace SimpleRnnTorch.Tests;

/// <summary>A theory about Linux behaviour (POSIX signals); skipped on Windows and macOS.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only";
        }
    }
}
