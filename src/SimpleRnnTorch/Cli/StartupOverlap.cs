using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;
using Spectre.Console;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Start-up work that does not depend on the run, moved off the critical path onto the second core.
/// <para>
/// Why: a default run spends ~0.4 s loading libtorch_cpu.so (its static initialisers register thousands
/// of operators) and ~0.3 s compiling, the first time through, the code of the summary table, the
/// checkpoint's JSON and SHA-256, and the plot. None of that needs the run's data, and training uses one
/// libtorch thread, so the machine's second core is idle while the main thread parses options and then
/// waits for libtorch. Measured in docs/benchmarks.md.
/// </para>
/// <para>
/// libtorch's load runs TorchSharp's static initialiser: whichever thread touches torch first waits for it
/// (the runtime serialises type initialisation), and a failure there reaches the main thread as the same
/// TypeInitializationException that CliApp already explains. The warm-up only ever runs code that the
/// run would run anyway, on throwaway inputs, and never touches torch.
/// </para>
/// <para>
/// What it cannot hide: while libtorch loads, the dynamic loader holds its lock, so any other thread that
/// loads a native library or binds a P/Invoke in that time (SkiaSharp for the font, say) waits for it.
/// The overlap is with managed work: the JIT, options, tables, JSON.
/// </para>
/// </summary>
public static class StartupOverlap
{
    private static int started;

    /// <summary>
    /// Called by the program (not by tests) once the options parsed: libtorch for training and predict,
    /// the warm-up for training only. Not before parsing: a process that exits with a usage error would
    /// wait for the library load to finish (exit takes the loader's lock too); not for help or version,
    /// which need neither; not for bench, which times the load itself and must not share the machine.
    /// </summary>
    public static void Begin(ParseResult parse)
    {
        if (parse.Errors.Count > 0 || parse.Action is null or HelpAction || parse.Action.GetType().Name.Contains("Version", StringComparison.Ordinal)
            || Interlocked.Exchange(ref started, 1) == 1)
        {
            return;
        }

        var command = parse.CommandResult.Command;
        if (command is RootCommand)
        {
            Start("libtorch load", LoadLibTorch);
            Start("warm-up", WarmTraining);
        }
        else if (command.Name == "predict")
        {
            Start("libtorch load", LoadLibTorch);
        }
    }

    private static void Start(string name, Action work) =>
        new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception)
            {
                // Best effort by design: the main thread runs the same code for real and reports any failure.
            }
        })
        { IsBackground = true, Name = $"startup {name}" }.Start();

    private static void LoadLibTorch() => RuntimeHelpers.RunClassConstructor(typeof(TorchSharp.torch).TypeHandle);

    private static void WarmTraining()
    {
        // The Keras-style summary table (Spectre.Console), rendered to nowhere.
        var sink = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(TextWriter.Null),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        ModelSummaryView.Write(sink, "warm-up", [new LayerSummary("rnn", "RNN", "(None, 5)", 40), new LayerSummary("head", "Linear", "(None, 1)", 6)]);

        // What every epoch's checkpoint runs: the manifest's JSON, the header's JSON nodes, SHA-256.
        var history = new TrainingHistory(
        [
            new EpochResult(1, 0.1, 0.1, 0.1, TimeSpan.Zero),
            new EpochResult(2, 0.01, 0.01, 0.05, TimeSpan.Zero),
        ]);
        var manifest = new ModelManifest(new ModelSpec(), new SequenceSpec(), 100, new TrainingConfig(), history.Epochs, "running", ModelManifest.Producer);
        var header = new JsonObject
        {
            ["manifest"] = JsonSerializer.Serialize(manifest, ModelFile.Json),
            ["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(new byte[184])),
            ["shape"] = new JsonArray(5, 1),
        };
        _ = header.ToJsonString();

        // The plot: ScottPlot, SkiaSharp, the font and the PNG encoder, in memory. Small, because this
        // thread's allocator arena keeps what it touched: a full-size bitmap here would cost ~3 MiB of RSS.
        _ = LossPlot.Render(history, 200, 120);
    }
}
