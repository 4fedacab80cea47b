using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests;

/// <summary>Training jobs for tests, through the same pipeline the train command and the bench use.</summary>
internal static class TestRuns
{
    /// <summary>The lesson's job with the given changes, keeping nothing on disk unless told where.</summary>
    public static TrainingRun Train(
        TrainingConfig? training = null,
        ModelSpec? model = null,
        SequenceSpec? data = null,
        IReadOnlyList<ITrainingObserver>? observers = null,
        ArtifactPlan? artifacts = null,
        int evalCount = 0,
        IReadOnlyList<double[]>? predict = null) =>
        TrainingPipeline.Run(new TrainJob
        {
            Training = training ?? new TrainingConfig(),
            Model = model ?? new ModelSpec(),
            Source = new LessonData(data ?? new SequenceSpec(), EvalCount: evalCount),
            Artifacts = artifacts,
            Predict = predict ?? [],
        }, observers);
}

/// <summary>
/// One briefly trained model (3 epochs, seed 1), trained once for the whole test run and shared by every
/// class that asks for it; nobody may change its weights. Each class gets the model saved in a folder of
/// its own, which the fixture deletes once the class is done.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    private static readonly Lazy<TrainingRun> Shared = new(() => TestRuns.Train(new TrainingConfig { Epochs = 3, Seed = 1 }));

    private readonly TempFolder temp = new();
    private readonly Lazy<string> path;

    public TrainedModelFixture()
    {
        path = new(() =>
        {
            var file = temp.File(RunFiles.ModelFileName);
            ModelFile.Save(file, Model, Manifest);
            return file;
        });
    }

    internal SequenceRegressor Model => Shared.Value.Model;

    internal ModelManifest Manifest => Shared.Value.Manifest;

    /// <summary>The model as a training run saves it: read it, never write it.</summary>
    public string ModelPath => path.Value;

    public void Dispose() => temp.Dispose();
}

/// <summary>The program run in this process, its output captured: what a user would see, without a child process.</summary>
internal static class InProcess
{
    public static (int Code, string Stdout, string Stderr) Run(string[] args, string stdin = "")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, new CliConsole(stdout, stderr, interactive: false, new StringReader(stdin)));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The one line on stderr of a run that must end with <paramref name="expectedCode"/>.</summary>
    public static string OneLine(int expectedCode, string[] args)
    {
        var (code, _, stderr) = Run(args);
        Assert.True(code == expectedCode, $"exit {code}: {stderr}");
        return Assert.Single(Lines(stderr));
    }

    /// <summary>The lines of stderr: the program promises exactly one for every error.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
