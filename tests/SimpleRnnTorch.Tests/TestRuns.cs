using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
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
/// One briefly trained model (3 epochs, seed 1) and its saved file, trained once for the whole test
/// run and shared by every class that asks for it; nobody may change its weights.
/// </summary>
public sealed class TrainedModelFixture
{
    private static readonly Lazy<(TrainingRun Run, string Path)> Shared = new(() =>
    {
        var run = TestRuns.Train(new TrainingConfig { Epochs = 3, Seed = 1 });
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("simplernn-fixture-").FullName, RunFiles.ModelFileName);
        ModelFile.Save(path, run.Model, run.Manifest);
        return (run, path);
    });

    internal SequenceRegressor Model => Shared.Value.Run.Model;

    internal ModelManifest Manifest => Shared.Value.Run.Manifest;

    /// <summary>The model as a training run saves it: read it, never write it.</summary>
    public string ModelPath => Shared.Value.Path;
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

    /// <summary>The lines of stderr: the program promises exactly one for every error.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
