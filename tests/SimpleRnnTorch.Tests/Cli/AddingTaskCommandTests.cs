using System.Text.Json;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>One small adding-task model (gru, T = 6), trained once through `train --task adding` and saved.</summary>
public sealed class AddingModelFixture : IDisposable
{
    private readonly TempFolder temp = new();

    public AddingModelFixture()
    {
        Path = temp.File("adding/model.safetensors");
        var (code, stdout, stderr) = InProcess.Run(["train", "--task", "adding", "--time-steps", "6", "--cell", "gru", "--hidden", "4", "--sequences", "300",
            "--epochs", "2", "--eval-count", "100", "--seed", "3", "--verbose", "0", "--output", temp.File("adding")]);
        Code = code;
        Stdout = stdout;
        Stderr = stderr;
    }

    public string Path { get; }

    public int Code { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public void Dispose() => temp.Dispose();
}

/// <summary>The adding task on the command line: train and predict follow its two features, and what it cannot use is refused at parse time.</summary>
[Collection(TorchCollection.Name)]
public sealed class AddingTaskCommandTests(AddingModelFixture adding) : IClassFixture<AddingModelFixture>
{
    [Fact]
    public void Train_task_adding_narrates_two_features_scores_against_the_constant_guess_and_saves_a_two_feature_model()
    {
        Assert.True(adding.Code == 0, adding.Stderr);
        Assert.Contains("Generated 300 adding-problem sequences of 6 steps", adding.Stdout);
        Assert.Contains("(300, 6, 2) = (samples, time steps, features)", adding.Stdout);
        Assert.Matches(@"Sample: marked steps [0-2] and [3-5]: 0\.\d+ \+ 0\.\d+ = target \d\.\d+", adding.Stdout);
        Assert.Contains("Optimizer: Adam (lr 0.01, constant schedule), loss: MSE, 2 epochs, batch 64", adding.Stdout); // the adding task's defaults
        Assert.Matches(@"Test MSE on 100 fresh sequences \(seed 1003\): [\d.e+-]+; the constant guess 1 scores \d\.\d+ on them", adding.Stdout);
        Assert.DoesNotContain("Predicted next value", adding.Stdout);
        Assert.False(File.Exists(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(adding.Path)!, "predictions.png")));

        var manifest = ModelFile.ReadManifest(adding.Path);
        Assert.Equal(SequenceTask.Adding, manifest.Task);
        Assert.Equal(new ModelSpec(InputSize: 2, HiddenSize: 4, Cell: CellKind.Gru), manifest.Model);
        Assert.Equal(1.0, manifest.ScaleDivisor);
    }

    public static TheoryData<string[], string> BadTrainOptions => new()
    {
        { ["--task", "sum"], "--task must be one of arithmetic, adding, got 'sum'" },
        { ["--task", "adding", "--time-steps", "1"], "--time-steps must be at least 2 for --task adding" },
        { ["--task", "adding", "--scale", "10"], "--scale applies to the arithmetic task only" },
        { ["--task", "adding", "--start-max", "5"], "--start-max applies to the arithmetic task only" },
        { ["--task", "adding", "--step", "3"], "--step applies to the arithmetic task only" },
        { ["--task", "adding", "--predict", "0.5,1,0.2,1"], "--predict applies to the arithmetic task only" },
        { ["--task", "adding", "--lesson"], "--lesson is the arithmetic lesson's optimiser" },
        { ["--task", "adding", "--data", "data/sunspots.csv"], "--data trains on a CSV series; it does not combine with --task adding" },
    };

    [Theory]
    [MemberData(nameof(BadTrainOptions))]
    public void Train_refuses_what_the_task_cannot_use_in_one_line_writing_nothing(string[] args, string expected)
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = InProcess.Run(["train", .. args, "--output", temp.File("out")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith($"error: {expected}", Assert.Single(InProcess.Lines(stderr)));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(temp.File("out")));
    }

    [Fact]
    public void Predict_reads_value_marker_pairs_step_by_step_for_an_adding_model()
    {
        double[] sequence = [0.1, 0, 0.5, 1, 0.2, 0, 0.9, 0, 0.3, 1, 0.7, 0];
        var (model, manifest) = ModelFile.Load(adding.Path, CPU);
        using var _ = model;
        var expected = Predictor.Predict(model, manifest.Scaler, [sequence], CPU)[0];

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", adding.Path, "--json", string.Join(',', sequence)]);
        var text = InProcess.Run(["predict", "--model", adding.Path, string.Join(',', sequence)]);
        var wrong = InProcess.Run(["predict", "--model", adding.Path, "0.1,0,0.5,1,0.2,0"]);

        Assert.True(code == 0, stderr);
        Assert.Equal(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("prediction").GetDouble());
        Assert.Contains("Prediction: ", text.Stdout);
        Assert.Equal(ExitCodes.Usage, wrong.Code);
        Assert.Contains("has 6 values; the model reads 6 time steps of 2 features, 12 values step by step", Assert.Single(InProcess.Lines(wrong.Stderr)));
    }
}
