using System.CommandLine;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Sources;

/// <summary>
/// A fourth data source written the way the program's three are: a DataSource (the data) and a SourceCli (its
/// options, binding, checks, narration), and nothing else. Handed to the train command, it trains, narrates, saves
/// and refuses its options elsewhere without one line of the program changing.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SineSourceTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static (int Code, string Stdout, string Stderr) Train(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr, interactive: false);
        var root = new RootCommand();
        new TrainCommand(new SharedOptions(), [new SineCli()]).AddTo(root, console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return (2, "", parse.Errors[0].Message);
        }

        try
        {
            return (parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }), stdout.ToString(), stderr.ToString());
        }
        catch (ProgramError e)
        {
            return (2, stdout.ToString(), e.Message);
        }
    }

    [Fact]
    public void A_fourth_source_trains_narrates_and_saves_through_the_unchanged_pipeline()
    {
        var (code, stdout, stderr) = Train("--sine", "--period", "8", "--time-steps", "6", "--sequences", "200", "--epochs", "2", "-v", "0", "-o", temp.Path);

        Assert.True(code == 0, stderr);
        Assert.Contains("Generated 200 sine waves of period 8", stdout);
        Assert.Contains("Sine check:", stdout);
        Assert.True(File.Exists(temp.File("model.safetensors")));
        Assert.True(File.Exists(temp.File("model.onnx")));
        Assert.False(File.Exists(temp.File("predictions.png"))); // the lesson's file: not this source's
    }

    [Fact]
    public void Its_options_are_refused_with_another_source_and_its_own_checks_run()
    {
        Assert.Equal("--period applies only with --sine", Train("--period", "8", "-o", temp.Path).Stderr);
        Assert.Equal("--period 1 is too short: a sine wave needs at least 2 steps a period", Train("--sine", "--period", "1", "-o", temp.Path).Stderr);
        Assert.Equal("--column applies only with --data FILE.csv", Train("--sine", "--column", "x", "-o", temp.Path).Stderr);
    }

    /// <summary>Sine waves of one period and random phases: T values → the next.</summary>
    private sealed record SineData(int Count, int Window, int Period) : DataSource
    {
        public override int Features => 1;

        public override int TimeSteps => Window;

        public override IReadOnlyList<string> FileNames => [];

        public override int? Samples => Count;

        public override PreparedData Prepare(long seed, double validationSplit, Device device)
        {
            var random = new Random((int)seed);
            var values = new float[Count * (Window + 1)];
            for (var i = 0; i < Count; i++)
            {
                var phase = random.NextDouble() * 2 * Math.PI;
                for (var t = 0; t <= Window; t++)
                {
                    values[(i * (Window + 1)) + t] = (float)Math.Sin(phase + (2 * Math.PI * t / Period));
                }
            }

            using var sequences = tensor(values, [Count, Window + 1]);
            var scaler = new GlobalScaler(1);
            var tensors = TrainingData.Create(sequences, scaler, validationSplit, device);
            return new PreparedData
            {
                Tensors = tensors,
                Scaler = scaler,
                Summary = DataSummary.Of(this, tensors, scaler, seed, validationSplit, DataSummary.FirstRow(sequences)),
                Spec = new SequenceSpec(Count, Window),
                Task = SequenceTask.Arithmetic,
            };
        }

        public override DataOutcome Evaluate(SequenceRegressor model, PreparedData data, EvaluationContext context)
        {
            var window = Enumerable.Range(0, Window).Select(t => Math.Sin(2 * Math.PI * t / Period)).ToArray();
            var predicted = Predictor.Predict(model, data.Scaler, [window], context.Device)[0];
            return new SineOutcome(predicted, Math.Sin(2 * Math.PI * Window / Period));
        }
    }

    private sealed record SineOutcome(double Predicted, double Actual) : DataOutcome;

    /// <summary>The sine source on the command line: `--sine` and its own `--period`.</summary>
    private sealed class SineCli : SourceCli
    {
        private readonly Option<bool> sine = new("--sine") { Description = "Train on sine waves" };
        private readonly Option<int> period = OptionKit.Int("--period", "With --sine: steps a period", 12, 1, 1000);

        public override IReadOnlyList<Option> OwnOptions => [sine, period];

        public override string Selector => "--sine";

        public override bool IsAsked(ParseResult parse, TrainOptions options) => parse.Given(sine);

        public override TrainJob Defaults { get; } = new();

        public override (DataSource? Source, string? Problem) Bind(ParseResult parse, TrainOptions o) =>
            parse.GetValue(period) is var p && p < 2
                ? (null, $"--period {p} is too short: a sine wave needs at least 2 steps a period")
                : (new SineData(parse.GetValue(o.Sequences), parse.GetValue(o.TimeSteps), p), null);

        public override JobSize Size(TrainJob job) => new(job.Source.Samples ?? 0, job.Source.TimeSteps, 0, $"--sequences {job.Source.Samples}");

        public override void WriteData(TextWriter output, TrainJob job, DataSummary data, string where)
        {
            var source = (SineData)job.Source;
            output.WriteLine($"Generated {source.Count} sine waves of period {source.Period}, {source.Window} steps each; {where}");
        }

        public override void WriteOutcome(CliConsole console, TrainingRun run)
        {
            if (run.Outcome is SineOutcome outcome)
            {
                console.Out.WriteLine($"Sine check: predicted {outcome.Predicted:F3}, actual {outcome.Actual:F3}");
            }
        }
    }
}
