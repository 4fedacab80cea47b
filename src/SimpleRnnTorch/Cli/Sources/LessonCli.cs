using System.CommandLine;
using System.Globalization;
using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli.Sources;

/// <summary>The lesson (<see cref="LessonData"/>) on the command line: what `dotnet run` trains when nothing else is asked for.</summary>
internal sealed class LessonCli : SourceCli
{
    public override string Selector => "--task arithmetic";

    public override bool IsAsked(ParseResult parse, TrainOptions options) => true;

    public override TrainJob Defaults { get; } = new();

    public override (DataSource? Source, string? Problem) Bind(ParseResult parse, TrainOptions o)
    {
        var spec = new SequenceSpec(parse.GetValue(o.Sequences), parse.GetValue(o.TimeSteps), parse.GetValue(o.Step), parse.GetValue(o.StartMin),
            parse.GetValue(o.StartMax), parse.GetValue(o.StepMax));
        var split = parse.GetValue(o.ValidationSplit);
        var problem =
            TrainingData.TrainCountFor(spec.Count, split) < 1 ? $"--validation-split {split} leaves no training samples out of {spec.Count} sequences; use a value in [0, 1) that keeps at least one"
            : spec.StartMax <= spec.StartMin ? $"--start-max {spec.StartMax} must be above --start-min {spec.StartMin}"
            : spec.StepMax is { } stepMax && stepMax < spec.Step ? $"--step-max {stepMax} must be at least --step {spec.Step}"
            : null;
        return problem is null ? (new LessonData(spec, parse.GetValue(o.Scale), parse.GetValue(o.EvalCount)), null) : (null, problem);
    }

    public override JobSize Size(TrainJob job)
    {
        var lesson = (LessonData)job.Source;
        return new JobSize(lesson.Spec.Count, lesson.Spec.TimeSteps, lesson.EvalCount, $"--sequences {lesson.Spec.Count}");
    }

    public override void WriteData(TextWriter output, TrainJob job, DataSummary d, string where)
    {
        var spec = ((LessonData)job.Source).Spec;
        output.WriteLine($"Generated {spec.Count} sequences of {spec.TimeSteps} steps: {spec.Describe()}, seed {d.Seed}");
        output.WriteLine($"Sample input: {SequenceText.Format(d.SampleInput)}  target: {d.SampleTarget.ToString("0.####", CultureInfo.InvariantCulture)}");
        output.WriteLine($"X shape: ({spec.Count}, {spec.TimeSteps})  y shape: ({spec.Count},)");
        output.WriteLine($"X reshaped for the RNN: ({string.Join(", ", d.InputShape)}) = (samples, time steps, features)");
        output.WriteLine($"Scaled by 1/{d.Scaler.Divisor.ToString("G", CultureInfo.InvariantCulture)}: sample input {SequenceText.Format(d.ScaledSampleInput)}");
        output.WriteLine(TrainView.Split(d, where));
    }

    public override void WriteOutcome(CliConsole console, TrainingRun run)
    {
        if (run.Outcome is not LessonOutcome lesson)
        {
            return;
        }

        console.Out.WriteLine();
        EvaluationView.Write(console.Ansi, lesson.Sets, ((LessonData)run.Job.Source).Spec, lesson.Seed);
        foreach (var plot in lesson.Written)
        {
            var (test, outOfRange) = PredictionPlot.Pick(lesson.Sets);
            console.Out.WriteLine($"Saved {plot} (predicted against true: {test.Set.Name} and {outOfRange.Set.Name})");
        }
    }
}
