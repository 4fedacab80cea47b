using System.CommandLine;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Builds the command line (one small factory per command, shared options defined once), runs it, and
/// is the one place where an error or an ending becomes one line on stderr and an exit code.
/// </summary>
internal static class CliApp
{
    public static RootCommand Build(CliConsole console)
    {
        var shared = new SharedOptions();
        var train = new TrainCommand(shared);
        var root = new RootCommand(
            "SimpleRnnTorch: a recurrent network (torch.nn.RNN + Linear, TorchSharp) learns the next number of " +
            "arithmetic sequences such as [50, 60, 70] -> 80. Trains, plots the loss curves, predicts. " +
            "With no command it trains, exactly as `train` does.");
        train.AddTo(root, console);
        root.Subcommands.Add(train.Build(console));
        root.Subcommands.Add(new PredictCommand(shared).Build(console));
        root.Subcommands.Add(new ExportCommand().Build(console));
        root.Subcommands.Add(new BenchCommand(shared).Build(console));
        root.Subcommands.Add(new GradientsCommand(shared).Build(console));
        root.Subcommands.Add(new SweepCommand(shared).Build(console));
        return root;
    }

    /// <summary>Every command's action: run it, then turn how it ended into the exit code.</summary>
    public static void SetAction(Command command, Func<ParseResult, Ending> run) => command.SetAction(parse => ExitCode(run(parse)));

    public static int Run(string[] args, CliConsole? console = null)
    {
        console ??= CliConsole.System();
        var parse = Build(console).Parse(args);
        if (parse.Errors.Count > 0)
        {
            console.WriteError(parse.Errors[0].Message);
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (ExitCodeFor(e) is { } code)
        {
            console.WriteError(e.Message);
            return code;
        }
        catch (TypeInitializationException e) when (e.TypeName == "TorchSharp.torch")
        {
            // TorchSharp blames a missing package whatever the cause; the loader knows better.
            console.WriteError("libtorch could not be loaded (" + (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim() +
                "); `ldd -r` on runtimes/<rid>/native/libLibTorchSharp.so beside the program shows the real cause");
            return ExitCodes.Unavailable;
        }
        catch (Exception e)
        {
            // Unexpected: still one line. Set SIMPLERNN_TRACE=1 to see where it came from.
            console.WriteError($"{e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("SIMPLERNN_TRACE") == "1")
            {
                console.Error.WriteLine(e);
            }

            return ExitCodes.Failure;
        }
    }

    private static int ExitCode(Ending ending) => ending switch
    {
        Ending.Interrupted i => ExitCodes.For(i.Signal),
        _ when ending == Ending.Diverged => ExitCodes.Failure,
        _ => ExitCodes.Ok,
    };

    /// <summary>The errors a user can act on, and the exit code each one means.</summary>
    private static int? ExitCodeFor(Exception e) => e switch
    {
        ProgramError { Kind: FailureKind.Input } => ExitCodes.Usage,
        ProgramError { Kind: FailureKind.Unavailable } => ExitCodes.Unavailable,
        ProgramError { Kind: FailureKind.Busy } => ExitCodes.Busy,
        ProgramError { Kind: FailureKind.Failed } => ExitCodes.Failure,
        InterruptedError i => ExitCodes.For(i.Signal),
        OnnxModelException => ExitCodes.Usage,
        ForecastException => ExitCodes.Failure, // a model that yields no finite forecast: the model, not the input
        _ => null,
    };
}
