using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>What the train command's options become: a <see cref="TrainJob"/>, whose defaults are the records'.</summary>
public sealed class TrainCommandTests
{
    private static (TrainJob Job, int Verbosity) Bind(params string[] args)
    {
        var train = new TrainCommand(new SharedOptions());
        var root = new System.CommandLine.RootCommand();
        train.AddTo(root, new CliConsole(TextWriter.Null, TextWriter.Null, interactive: false));
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return train.Bind(parse);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--scaling", "auto" }, null)]
    [InlineData(new[] { "--scaling", "AUTO" }, null)]
    [InlineData(new[] { "--scaling", "seasonal" }, "seasonal")]
    [InlineData(new[] { "--scaling", "Ratio" }, "ratio")]
    public void A_series_scaling_left_to_the_program_binds_to_none(string[] scaling, string? expected)
    {
        var (job, _) = Bind(["--data", "some.csv", .. scaling]);

        Assert.Equal(expected, Assert.IsType<SeriesData>(job.Source).Settings.Scaling?.ToString().ToLowerInvariant());
    }

    [Fact]
    public void No_options_give_the_default_job_writing_into_plots()
    {
        var (job, verbosity) = Bind();
        var expected = new TrainJob
        {
            Source = new LessonData(new SequenceSpec(), EvalCount: 1000),
            Artifacts = new ArtifactPlan("plots", Path.Combine("plots", "model.safetensors"), LossScale.Auto) { Labels = ("--output", "--save") },
        };

        Assert.Equal(expected, job);
        Assert.Equal([50.0, 60, 70], Assert.Single(job.Predict));
        Assert.Equal(1, verbosity);
        Assert.Equal(42, job.Training.Seed);
    }

    [Fact]
    public void Lesson_gives_the_lessons_optimiser_and_explicit_options_win()
    {
        var lesson = Bind("--lesson").Job.Training;
        Assert.Equal((0.001, LearningRateSchedule.Constant, 30), (lesson.LearningRate, lesson.Schedule, lesson.Epochs));

        var mixed = Bind("--lesson", "--lr", "0.01").Job.Training;
        Assert.Equal((0.01, LearningRateSchedule.Constant), (mixed.LearningRate, mixed.Schedule));
    }

    [Fact]
    public void Choices_arrive_typed()
    {
        var job = Bind("--cell", "GRU", "--init", "keras", "--schedule", "plateau", "--device", "auto", "--loss-scale", "linear").Job;

        Assert.Equal(CellKind.Gru, job.Model.Cell);
        Assert.Equal(WeightInit.Keras, job.Training.Init);
        Assert.Equal(LearningRateSchedule.Plateau, job.Training.Schedule);
        Assert.Equal(DeviceKind.Auto, job.Device);
        Assert.Equal(LossScale.Linear, job.Artifacts!.LossScale);
    }

    [Fact]
    public void Time_steps_stretch_the_default_question_and_no_save_clears_the_path()
    {
        var job = Bind("--time-steps", "5", "--no-save", "-o", "out").Job;
        Assert.Equal([50.0, 60, 70, 80, 90], Assert.Single(job.Predict));
        Assert.Null(job.Artifacts!.ModelPath);
        Assert.Equal("out", job.Artifacts.Folder);
    }

    [Fact]
    public void Data_gives_a_series_job_without_the_lessons_question_or_evaluation()
    {
        var file = Path.Combine(TestPaths.RepoRoot, "data", "sunspots.csv");
        var job = Bind("--data", file, "--time-column", "YEAR", "--season", "11", "--fill", "linear", "--horizon", "5").Job;

        Assert.Equal(new SeriesData(new SeriesSettings(file, null, "YEAR", FillMethod.Linear, 11, 5) { Labels = SeriesCli.Labels }), job.Source);
        Assert.Empty(job.Predict);
        Assert.Equal(new SeriesData(new SeriesSettings(file) { Labels = SeriesCli.Labels }), Bind("--data", file).Job.Source);
        Assert.IsType<LessonData>(Bind().Job.Source);
    }

    /// <summary>A series' batch grows with its training part unless --batch-size fixes it; the lesson's never does.</summary>
    [Fact]
    public void A_series_batch_grows_with_the_file_unless_batch_size_is_given()
    {
        var series = Bind("--data", "some.csv").Job.Training;
        var fixedBatch = Bind("--data", "some.csv", "--batch-size", "8").Job.Training;

        Assert.Equal(TrainJob.Series(new SeriesSettings("x.csv")).Training.MaxStepsPerEpoch, series.MaxStepsPerEpoch);
        Assert.NotNull(series.MaxStepsPerEpoch);
        Assert.Equal((8, null), (fixedBatch.BatchSize, fixedBatch.MaxStepsPerEpoch));
        Assert.Null(Bind().Job.Training.MaxStepsPerEpoch);
    }

    /// <summary>A series is an ensemble by default, the lesson one network; --members sets either.</summary>
    [Fact]
    public void Members_default_by_source_and_the_option_wins()
    {
        Assert.Equal(TrainJob.SeriesMembers, Bind("--data", "some.csv").Job.Model.Members);
        Assert.Equal(1, Bind().Job.Model.Members);
        Assert.Equal(5, Bind("--data", "some.csv", "--members", "5").Job.Model.Members);
        Assert.Equal(2, Bind("--members", "2").Job.Model.Members);
    }
}
