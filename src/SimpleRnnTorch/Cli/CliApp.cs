using System.CommandLine;
using SimpleRnnTorch.Reporting;

namespace SimpleRnnTorch.Cli;

/// <summary>Builds the command line, runs it, and turns every failure into one line and an exit code.</summary>
public static class CliApp
{
    public static RootCommand Build(CliConsole console)
    {
        var train = new TrainOptions();
        var root = new RootCommand(
            "SimpleRnnTorch: a recurrent network (torch.nn.RNN + Linear, TorchSharp) learns the next number of " +
            "arithmetic sequences such as [50, 60, 70] -> 80. Trains, plots the loss curves, predicts.");
        foreach (var option in train.All)
        {
            root.Options.Add(option);
        }

        root.SetAction(parse =>
        {
            using var interrupts = new Interrupts();
            return TrainSession.Run(train.Bind(parse), console, interrupts);
        });
        root.Subcommands.Add(PredictCommand.Build(console));
        root.Subcommands.Add(BenchCommand.Build(console));
        return root;
    }

    /// <param name="overlapStartup">The program's own run: load libtorch and warm up on the idle core (see StartupOverlap).</param>
    public static int Run(string[] args, CliConsole? console = null, bool overlapStartup = false)
    {
        console ??= CliConsole.System();
        var parse = Build(console).Parse(args);
        if (parse.Errors.Count > 0)
        {
            console.WriteError(parse.Errors[0].Message);
            return ExitCodes.Usage;
        }

        if (overlapStartup)
        {
            StartupOverlap.Begin(parse);
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
        catch (UserError e)
        {
            console.WriteError(e.Message);
            return e.ExitCode;
        }
        catch (ModelFileException e)
        {
            console.WriteError(e.Message);
            return ExitCodes.Usage;
        }
        catch (PlotFontMissingException e)
        {
            console.WriteError(e.Message);
            return ExitCodes.Unavailable;
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
}
