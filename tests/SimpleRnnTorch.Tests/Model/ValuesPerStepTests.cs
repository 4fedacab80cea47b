using System.Text;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Model;

/// <summary>
/// A model that reads k window values a step (<see cref="ModelSpec.ValuesPerStep"/>): the window's consecutive values
/// side by side, oldest first; what a network of k inputs a step computes on that input, and nothing else changes.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ValuesPerStepTests
{
    public static TheoryData<string, int, int> Cells => new() { { "Rnn", 1, 2 }, { "Lstm", 3, 3 }, { "Gru", 3, 2 }, { "Gru", 1, 6 } };

    /// <summary>The optimisation's equivalence: the folded model is a k-input network on the window laid out k values a step, by hand.</summary>
    [Theory]
    [MemberData(nameof(Cells))]
    public void A_step_holds_k_consecutive_values_oldest_first(string cell, int members, int k)
    {
        const int batch = 5, window = 6;
        var spec = new ModelSpec(HiddenSize: 4, Cell: Enum.Parse<CellKind>(cell), Members: members, ValuesPerStep: k);
        using var folded = ModelFactory.Create(spec, seed: 4, CPU);
        using var plain = new SequenceRegressor(spec with { InputSize = k, ValuesPerStep = 1 });
        plain.load_state_dict(folded.state_dict());
        using var x = randn(batch, window, 1);

        // x laid out by hand: step s holds x[s·k], ..., x[s·k + k − 1].
        var values = x.data<float>().ToArray();
        var byHand = new float[values.Length];
        for (var n = 0; n < batch; n++)
        {
            for (var s = 0; s < window / k; s++)
            {
                for (var j = 0; j < k; j++)
                {
                    byHand[(n * window) + (s * k) + j] = values[(n * window) + (s * k) + j];
                }
            }
        }

        using var steps = tensor(byHand, [batch, window / k, k]);
        using var noGrad = no_grad();
        using var expected = plain.call(steps);
        using var got = folded.call(x);
        Assert.Equal(expected.data<float>().ToArray(), got.data<float>().ToArray());
        Assert.Equal(spec.StoredValues, folded.parameters().Sum(p => p.numel()));

        // A window that is not whole steps is refused, not read as something else.
        using var odd = randn(batch, window + 1, 1);
        Assert.Throws<ArgumentException>(() => folded.call(odd));
    }

    [Theory]
    [InlineData(52, 2)]
    [InlineData(48, 2)]
    [InlineData(28, 2)]
    [InlineData(26, 1)]
    [InlineData(27, 1)]
    [InlineData(53, 1)]
    [InlineData(12, 1)]
    [InlineData(7, 1)]
    public void A_series_reads_two_values_a_step_where_its_window_is_even_and_over_26(int window, int expected)
    {
        Assert.Equal(expected, SeriesData.ValuesPerStepOf(window));
        Assert.Equal(expected, new SeriesData(new SeriesSettings("any.csv")).ValuesPerStepFor(window));
        Assert.Equal(expected, new PanelData(new PanelSettings("any.csv", new PanelLayout.Long("id", null))).ValuesPerStepFor(window));

        // The lesson and the adding problem read every value as its own step, whatever the window.
        Assert.Equal(1, new LessonData().ValuesPerStepFor(window));
        Assert.Equal(1, new AddingData().ValuesPerStepFor(window));
        Assert.Equal(expected, new TrainJob { Source = new SeriesData(new SeriesSettings("any.csv")) }.ModelFor(window).ValuesPerStep);
        Assert.Equal(3, new TrainJob { Source = new SeriesData(new SeriesSettings("any.csv")), ValuesPerStep = 3 }.ModelFor(window).ValuesPerStep);
    }

    /// <summary>A panel's window of two years of months is read two values a step; one day of hours (also 24) one a step.</summary>
    [Theory]
    [InlineData(24, true, 2)]
    [InlineData(12, true, null)]
    [InlineData(24, false, null)]
    [InlineData(48, false, null)]
    public void A_panel_reads_two_years_of_months_two_values_a_step(int window, bool yearOfMonths, int? expected) =>
        Assert.Equal(expected, PanelData.ValuesPerStepOf(window, yearOfMonths));

    [Theory]
    [InlineData(125, 12, true, 24)] // a monthly panel whose median series holds seven years
    [InlineData(84, 12, true, 24)]
    [InlineData(83, 12, true, 12)] // shorter: one season, a single series' rule (at 72 the backtest would cover 10 of 12 months)
    [InlineData(125, 12, false, 12)] // a season of 12 that is not a year of months (two-hour steps, or undated): one
    [InlineData(2_160, 24, false, 24)] // hourly: one day
    [InlineData(200, 4, false, 4)] // quarterly: one season
    [InlineData(20, null, false, 5)] // no season: 12 values, at most a quarter of the median
    [InlineData(7, null, false, 2)] // short series: 2, not 1
    [InlineData(6, null, false, 2)]
    [InlineData(5, null, false, 1)] // 2 would leave the median series too short to train on (6 values)
    public void A_panels_default_window_is_two_years_of_months_where_the_median_series_holds_seven(int median, int? season, bool yearOfMonths, int window) =>
        Assert.Equal(window, PanelData.WindowFor(median, season, yearOfMonths));

    [Fact]
    public void Only_monthly_dates_with_a_season_of_a_year_are_years_of_months()
    {
        var monthly = new TimeAxis.Dated("month", TimeFrequency.Monthly, new DateOnly(2020, 1, 1), DateFormat.YearMonth);
        var daily = new TimeAxis.Dated("day", TimeFrequency.Daily, new DateOnly(2020, 1, 1), DateFormat.IsoDate);

        Assert.True(PanelData.YearOfMonths(monthly, 12));
        Assert.False(PanelData.YearOfMonths(monthly, 6));
        Assert.False(PanelData.YearOfMonths(daily, 12));
        Assert.False(PanelData.YearOfMonths(null, 12));
    }

    /// <summary>
    /// A run on a window of 28 trains a model of two values a step, saves it with <c>values_per_step</c> and loads it back
    /// predicting the same; a window of 12 writes no such key, so its file is the one earlier versions wrote and read.
    /// </summary>
    [Fact]
    public void The_run_resolves_it_from_the_window_and_the_file_keeps_it_only_where_it_is_not_one()
    {
        using var folded = Run(window: 28);
        using var plain = Run(window: 12);
        Assert.Equal(2, folded.Model.Spec.ValuesPerStep);
        Assert.Equal(2, folded.Manifest.Model.ValuesPerStep);
        Assert.Equal(1, plain.Model.Spec.ValuesPerStep);

        var bytes = ModelFile.Serialize(folded.Model, folded.Manifest);
        Assert.Contains("values_per_step", Header(bytes));
        Assert.DoesNotContain("values_per_step", Header(ModelFile.Serialize(plain.Model, plain.Manifest)));

        var (loaded, manifest) = ModelFile.Deserialize(bytes, CPU);
        using var _ = loaded;
        Assert.Equal(folded.Model.Spec, loaded.Spec);
        double[][] windows = [[.. Enumerable.Range(0, 28).Select(i => 50.0 + (10 * Math.Sin(i)))]];
        Assert.Equal(Predictor.Predict(folded.Model, folded.Scaler, windows, CPU), Predictor.Predict(loaded, manifest.Scaler, windows, CPU));

        // A manifest whose window is not whole steps of its values is damaged: refused at load.
        var damaged = ModelFile.Encode(ModelWeights.Extract(folded.Model), folded.Manifest with { Data = folded.Manifest.Data with { TimeSteps = 27 } });
        Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(damaged, CPU));
    }

    [Fact]
    public void Values_a_step_that_do_not_divide_the_window_chosen_from_the_file_stop_the_run_before_its_folder()
    {
        using var temp = new TempFolder();
        var folder = temp.File("out");
        var job = Job(window: null) with { ValuesPerStep = 5, Artifacts = new ArtifactPlan(folder, null) };

        var error = Assert.Throws<ProgramError>(() => TrainingPipeline.Run(job));

        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Equal("--values-per-step 5 does not divide the window of 12 values: give a divisor of 12, or another --time-steps", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    private static TrainJob Job(int? window) => new()
    {
        Source = new SeriesData(new SeriesSettings(Path.Combine(TestPaths.RepoRoot, "data", "sunspots.csv"), Horizon: 2), window),
        Training = new TrainingConfig { Epochs = 1, Seed = 3 },
    };

    private static TrainingRun Run(int window) => TrainingPipeline.Run(Job(window));

    private static string Header(byte[] file) => Encoding.UTF8.GetString(file, 8, (int)BitConverter.ToUInt64(file, 0));
}
