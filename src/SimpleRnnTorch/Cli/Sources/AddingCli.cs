using System.CommandLine;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli.Sources;

/// <summary>The adding problem (<see cref="AddingData"/>) on the command line: `--task adding`, with its own defaults.</summary>
internal sealed class AddingCli : SourceCli
{
    /// <summary>The adding task's job: its preset (<see cref="TrainJob.Adding"/>), what options left out take.</summary>
    public static TrainJob Preset { get; } = TrainJob.Adding();

    /// <summary>The adding problem with its defaults (8,000 sequences of T = 50).</summary>
    public static AddingData Source { get; } = new();

    public override string Selector => "--task adding";

    public override bool IsAsked(ParseResult parse, TrainOptions options) => parse.GetValue(options.Task).Value == SequenceTask.Adding;

    public override TrainJob Defaults => Preset;

    public override IEnumerable<(Option Option, string Why)> Refuses(ParseResult parse, TrainOptions o) =>
    [
        (o.Lesson, "--lesson is the arithmetic lesson's optimiser (Adam 0.001, constant); --task adding has its own defaults (see --help), and --lr/--schedule set it"),
        .. new Option[] { o.StartMin, o.StartMax, o.Step, o.StepMax, o.Scale, o.Predict }.Select(option => (option,
            $"{option.Name} applies to the arithmetic task only: --task adding draws its values uniformly from [0, 1), does not scale them, and evaluates on fresh sequences")),
    ];

    public override (DataSource? Source, string? Problem) Bind(ParseResult parse, TrainOptions o)
    {
        var count = parse.Given(o.Sequences) ? parse.GetValue(o.Sequences) : Source.Count;
        var timeSteps = parse.Given(o.TimeSteps) ? parse.GetValue(o.TimeSteps) : Source.TimeSteps;
        var split = parse.GetValue(o.ValidationSplit);
        var problem =
            timeSteps < AddingProblem.MinTimeSteps ? $"--time-steps must be at least {AddingProblem.MinTimeSteps} for --task adding (one marker in each half), got {timeSteps}"
            : TrainingData.TrainCountFor(count, split) < 1 ? $"--validation-split {split} leaves no training samples out of {count} sequences; use a value in [0, 1) that keeps at least one"
            : null;
        return problem is null ? (new AddingData(count, timeSteps, parse.GetValue(o.EvalCount)), null) : (null, problem);
    }

    public override JobSize Size(TrainJob job)
    {
        var adding = (AddingData)job.Source;
        return new JobSize(adding.Count, adding.TimeSteps, adding.EvalCount, $"--sequences {adding.Count}");
    }

    /// <summary>What a sequence holds, where its markers are, the shapes and the split.</summary>
    public override void WriteData(TextWriter output, TrainJob job, DataSummary d, string where)
    {
        var adding = (AddingData)job.Source;
        output.WriteLine($"Generated {adding.Count} adding-problem sequences of {adding.TimeSteps} steps, seed {d.Seed}: each step is (value uniform in [0, 1), marker),");
        output.WriteLine($"  the marker 1 at one step of the first half and one of the second; the target is the sum of the two marked values");
        var marked = Enumerable.Range(0, adding.TimeSteps).Where(t => d.SampleInput[(2 * t) + 1] == 1).ToArray();
        output.WriteLine($"Sample: marked steps {string.Join(" and ", marked)}: " +
                         $"{string.Join(" + ", marked.Select(t => TrainView.N4(d.SampleInput[2 * t])))} = target {TrainView.N4(d.SampleTarget)}");
        output.WriteLine($"X shape: ({string.Join(", ", d.InputShape)}) = (samples, time steps, features)  y shape: ({adding.Count}, 1); not scaled");
        output.WriteLine($"Predicting the constant 1 scores MSE {TrainView.N4(AddingProblem.ConstantGuessMse)}; below {TrainView.N(AddingProblem.LearnedMse)} the network remembers");
        output.WriteLine(TrainView.Split(d, where));
    }

    public override void WriteOutcome(CliConsole console, TrainingRun run)
    {
        if (AddingData.Score(run.Outcome) is not { } score)
        {
            return;
        }

        console.Out.WriteLine($"Test MSE on {score.Count} fresh sequences (seed {score.Seed}): {KerasProgress.Loss(score.Mse)}; " +
                              $"the constant guess 1 scores {KerasProgress.Loss(score.ConstantGuessMse)} on them");
        console.Out.WriteLine(score.Learned
            ? $"Below {TrainView.N(AddingProblem.LearnedMse)}: the network remembers the marked values across {score.TimeSteps} steps."
            : $"Not below {TrainView.N(AddingProblem.LearnedMse)}: the network has not learned to remember the marked values across {score.TimeSteps} steps.");
    }
}
