using System.CommandLine;
using System.Runtime.CompilerServices;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;
using Spectre.Console;

namespace SimpleRnnTorch.Cli;

/// <summary>What a command can do ahead of time on the idle core.</summary>
internal enum StartupPlan
{
    /// <summary>Help, version, usage errors, bench (which times the load itself and must not share the machine).</summary>
    None,

    /// <summary>predict with a safetensors model: load libtorch while the inputs are read and checked (an .onnx model needs no libtorch).</summary>
    LoadLibTorch,

    /// <summary>train: load libtorch, and compile the code every run reaches (summary, checkpoint, plot).</summary>
    LoadLibTorchAndWarm,
}

/// <summary>
/// Start-up work that does not depend on the run, moved off the critical path onto the second core.
/// <para>
/// Why: a default run spends ~0.4 s loading libtorch_cpu.so (its static initialisers register thousands
/// of operators) and ~0.3 s compiling, the first time through, the summary table, the checkpoint's JSON
/// and SHA-256, and the plot. None of that needs the run's data, and training uses one libtorch thread,
/// so the second core is idle while the main thread parses options and waits for libtorch
/// (docs/benchmarks.md has the measurement).
/// </para>
/// <para>
/// The warm-up calls the real code — <see cref="ModelSummaryView"/>, <see cref="ModelFile.Encode"/>,
/// <see cref="LossPlot.Render"/> — on throwaway inputs, and never touches torch tensors or generators,
/// whose state is process-wide (a draw here would change the run's weights). libtorch's load runs
/// TorchSharp's static initialiser: whichever thread touches torch first waits for it, and a failure
/// reaches the main thread as the same TypeInitializationException that CliApp explains. The work here
/// is best effort: the main thread runs the same code for real and reports any failure; the returned
/// task lets tests see that the warm-up itself works.
/// </para>
/// <para>
/// What it cannot hide: while libtorch loads, the dynamic loader holds its lock, so another thread that
/// loads a native library in that time (SkiaSharp for the plot) waits for it.
/// </para>
/// </summary>
internal static class StartupOverlap
{
    /// <summary>
    /// Decided once the options parsed: not before (a usage error must not wait for a library load, and
    /// exit takes the loader's lock too), and only when the command's own action runs.
    /// </summary>
    public static StartupPlan PlanFor(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.Errors.Count > 0 || parse.Action is null || !ReferenceEquals(parse.Action, command.Action))
        {
            return StartupPlan.None;
        }

        return command switch
        {
            RootCommand or { Name: "train" } => StartupPlan.LoadLibTorchAndWarm,
            { Name: "predict" } when !SimpleRnnTorch.Prediction.BatchPredictor.IsOnnx(parse.GetValue<string>("--model") ?? "") => StartupPlan.LoadLibTorch,
            _ => StartupPlan.None,
        };
    }

    public static Task Begin(StartupPlan plan) => plan switch
    {
        StartupPlan.LoadLibTorch => Start("libtorch load", LoadLibTorch),
        StartupPlan.LoadLibTorchAndWarm => Task.WhenAll(Start("libtorch load", LoadLibTorch), Start("warm-up", WarmTraining)),
        _ => Task.CompletedTask,
    };

    private static Task Start(string name, Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = $"startup {name}" }.Start();
        return done.Task;
    }

    private static void LoadLibTorch() => RuntimeHelpers.RunClassConstructor(typeof(TorchSharp.torch).TypeHandle);

    /// <summary>The code a training run reaches before and after its epochs, on throwaway inputs.</summary>
    internal static void WarmTraining()
    {
        var spec = new ModelSpec();
        var sink = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(TextWriter.Null),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        ModelSummaryView.Write(sink, "warm-up", spec.Summarize());

        // What every epoch's checkpoint runs: the manifest's JSON, the header, SHA-256.
        var history = new TrainingHistory(
        [
            new EpochResult(1, 0.1, 0.1, 0.1, TimeSpan.Zero),
            new EpochResult(2, 1e-4, 1e-4, 0.05, TimeSpan.Zero), // three decades: the log axis, as a default run draws it
        ]);
        var manifest = new ModelManifest(spec, new SequenceSpec(), SequenceScaler.DefaultDivisor, new TrainingConfig(), history.Epochs, "running", ModelManifest.Producer);
        _ = ModelFile.Encode([("warm-up", [spec.Parameters], new float[spec.Parameters])], manifest);

        // The plot: ScottPlot, SkiaSharp, the font and the PNG encoder, in memory. Small, because this
        // thread's allocator arena keeps what it touched: a full-size bitmap here would cost ~3 MiB of RSS.
        _ = LossPlot.Render(history, LossScale.Auto, 200, 120);
    }
}
