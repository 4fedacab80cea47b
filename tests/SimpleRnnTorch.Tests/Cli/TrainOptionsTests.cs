using System.CommandLine;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Cli;

public sealed class TrainOptionsTests
{
    private static TrainSettings Bind(params string[] args)
    {
        var options = new TrainOptions();
        var root = new RootCommand();
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }

        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return options.Bind(parse);
    }

    [Fact]
    public void Defaults_are_the_records_defaults()
    {
        var settings = Bind();
        Assert.Equal(new ModelSpec(), settings.Model);
        Assert.Equal(new TrainingConfig { Seed = 42 }, settings.Training);
        Assert.Equal(new SimpleRnnTorch.Data.SequenceSpec(), settings.Data);
        Assert.Equal([50.0, 60, 70], Assert.Single(settings.Predict));
        Assert.Equal(Path.Combine("plots", "model.safetensors"), settings.SavePath);
    }

    [Fact]
    public void Lesson_gives_the_lessons_optimiser_and_explicit_options_win()
    {
        var lesson = Bind("--lesson").Training;
        Assert.Equal((0.001, LearningRateSchedule.Constant, 30), (lesson.LearningRate, lesson.Schedule, lesson.Epochs));

        var mixed = Bind("--lesson", "--lr", "0.01").Training;
        Assert.Equal((0.01, LearningRateSchedule.Constant), (mixed.LearningRate, mixed.Schedule));
    }

    [Fact]
    public void Time_steps_stretch_the_default_question_and_no_save_clears_the_path()
    {
        var settings = Bind("--time-steps", "5", "--no-save", "-o", "out");
        Assert.Equal([50.0, 60, 70, 80, 90], Assert.Single(settings.Predict));
        Assert.Null(settings.SavePath);
        Assert.Equal("out", settings.OutputFolder);
    }
}
