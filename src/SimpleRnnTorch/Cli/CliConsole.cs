using Spectre.Console;

namespace SimpleRnnTorch.Cli;

/// <summary>Where the CLI writes: the real console, or string writers in tests.</summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool interactive, TextReader? input = null)
    {
        In = input ?? TextReader.Null;
        Out = output;
        Error = error;
        Interactive = interactive;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            Ansi.Profile.Width = 120; // a fixed width keeps logs and tests stable
        }
    }

    public TextReader In { get; }

    public TextWriter Out { get; }
    public TextWriter Error { get; }

    /// <summary>True when stdout is a terminal: progress may redraw lines in place.</summary>
    public bool Interactive { get; }

    /// <summary>Spectre.Console on the same output, for tables.</summary>
    public IAnsiConsole Ansi { get; }

    /// <remarks>
    /// Standard input is read through a StreamReader on the raw stream, not Console.In: a block read from
    /// Console.In waits to fill its buffer, so a line sent down a pipe that stays open would not be seen.
    /// </remarks>
    public static CliConsole System() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected, new StreamReader(Console.OpenStandardInput(), new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 14));

    /// <summary>The one-line form of an error, as the CLI promises: first line only, no stack trace.</summary>
    public void WriteError(string message)
    {
        var firstLine = message.Split('\n', 2)[0].TrimEnd('\r');
        Error.WriteLine($"error: {firstLine}");
        Error.Flush();
    }

    /// <summary>A progress line of a long command, on stderr so that stdout holds only the results.</summary>
    public void Progress(string command, string line)
    {
        Error.WriteLine($"{command}: {line}");
        Error.Flush();
    }
}
