namespace SimpleRnnTorch.Tests;

/// <summary>A fact about Linux builds (ELF files, libstdc++); skipped on Windows and macOS.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only";
        }
    }
}
