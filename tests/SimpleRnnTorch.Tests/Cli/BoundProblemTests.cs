using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// Each command's one check of its bound options (<c>Problem</c>), called directly on a bound value: the first
/// problem in the command's order, or null. What the command line makes of it (exit 2, one line) is covered end to end elsewhere.
/// </summary>
public sealed class BoundProblemTests
{
    [Fact]
    public void Export_refuses_the_model_file_as_its_own_output_and_a_name_without_onnx()
    {
        using var temp = new TempFolder();
        var model = temp.File("m.safetensors");

        Assert.Equal($"--output '{model}' is the model file itself; give another path", ExportCommand.Problem(new(model, model)));
        Assert.Equal($"--output '{temp.File("m.txt")}' must name a file ending in .onnx", ExportCommand.Problem(new(model, temp.File("m.txt"))));
        Assert.Equal("--model must name a saved model file", ExportCommand.Problem(new(" ", temp.File("m.onnx"))));
        Assert.Null(ExportCommand.Problem(new(model, temp.File("m.onnx"))));
    }

    [Fact]
    public void Export_refuses_an_output_below_a_file()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("blocker"), "x");
        var output = Path.Combine(temp.File("blocker"), "m.onnx");

        Assert.Equal($"--output '{output}': its folder '{temp.File("blocker")}' is a file", ExportCommand.Problem(new(temp.File("m.safetensors"), output)));
    }

    [Fact]
    public void Predict_needs_sequences_and_names_the_first_bad_argument()
    {
        PredictCommand.Request Request(string[] arguments, SequenceInput input) => new("model.safetensors", arguments, input, Json: false, Threads: 1);

        Assert.Equal(PredictionStream.NoSequences, PredictCommand.Problem(Request([], new SequenceInput.None())));
        Assert.StartsWith("predict: argument 2 ", PredictCommand.Problem(Request(["50,60,70", "50,x,70", "y"], new SequenceInput.None())));
        Assert.Null(PredictCommand.Problem(Request([], new SequenceInput.FromFile("sequences.txt"))));
        Assert.Null(PredictCommand.Problem(Request(["50,60,70"], new SequenceInput.None())));
    }

    [Fact]
    public void Bench_checks_the_adding_window_first_then_the_throughput_runs_then_the_data_file()
    {
        var small = new BenchSettings { ScaleSizes = [1000], ScaleBatches = [32] };

        Assert.Equal("--time-steps must be at least 2 for --task adding (one marker in each half), got 1",
            BenchCommand.Problem(small with { Task = SequenceTask.Adding, TimeSteps = 1, ScaleBatches = [] }));
        Assert.Equal("--scale-batches none leaves the --sizes runs nothing to do; give batch sizes or --sizes none",
            BenchCommand.Problem(small with { ScaleBatches = [], SeriesFile = "/nonexistent/series.csv" }));
        Assert.StartsWith("--data '/nonexistent/series.csv'",
            BenchCommand.Problem(small with { ScaleSizes = [], ScaleBatches = [], SeriesFile = "/nonexistent/series.csv" }));
        Assert.Null(BenchCommand.Problem(small with { Task = SequenceTask.Adding, TimeSteps = 2 }));
    }

    [Fact]
    public void Sweep_needs_a_time_step_and_a_seed_before_its_folder()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("file"), "x");
        var plan = new AddingSweepPlan { TimeSteps = [4], Cells = [CellKind.Rnn], Seeds = [1], Data = new AddingData(64, EvalCount: 8) };

        Assert.Equal("--seeds none leaves the sweep nothing to train; give at least one", SweepCommand.Problem(new(plan with { Seeds = [] }, temp.File("file"), false)));
        Assert.Equal("--time-steps none leaves the sweep nothing to train; give at least one", SweepCommand.Problem(new(plan with { TimeSteps = [], Seeds = [] }, temp.Path, false)));
        Assert.EndsWith("is a file, not a folder", SweepCommand.Problem(new(plan, temp.File("file"), false)));
        Assert.Null(SweepCommand.Problem(new(plan, temp.File("out"), false)));
    }

    [Fact]
    public void Gradients_with_a_model_refuses_training_options_after_its_folder()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("file"), "x");
        GradientsCommand.Request Measure(string output, string? trainingOption) => new([], ["absent.safetensors"], 16, output, false, trainingOption);

        Assert.EndsWith("is a file, not a folder", GradientsCommand.Problem(Measure(temp.File("file"), "--epochs")));
        Assert.StartsWith("--epochs sets up training; --model measures saved models as they are", GradientsCommand.Problem(Measure(temp.File("out"), "--epochs")));
        Assert.StartsWith("--model ", GradientsCommand.Problem(Measure(temp.File("out"), null)));
    }
}
