using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Evaluation;

[Collection(TorchCollection.Name)]
public sealed class EvaluatorTests(ITestOutputHelper output)
{
    private const long TrainingSeed = 1;
    private const long EvaluationSeed = 1001;

    [Fact]
    public void A_trained_model_fits_the_test_set_and_fails_far_outside_it()
    {
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 30, Seed = TrainingSeed });
        var results = Evaluator.RunAll(run.Model, run.Scaler, EvaluationSet.Standard(((LessonData)run.Job.Source).Spec), EvaluationSeed, CPU);

        output.WriteLine("set               MSE         MAE       worst      ±0.5    ±1");
        foreach (var r in results)
        {
            var m = r.Metrics;
            output.WriteLine($"{r.Set.Name,-16} {m.Mse,10:G4} {m.Mae,10:G4} {m.WorstAbsError,10:G4} {m.WithinHalf,6:P0} {m.WithinOne,6:P0}" +
                $"   worst: [{string.Join(" ", m.WorstInput)}] -> {m.WorstPrediction:0.##} (true {m.WorstTarget})");
        }

        var byName = results.ToDictionary(r => r.Set.Name);
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(1000, r.Metrics.Count));
        Assert.True(byName["test"].Metrics.Mae < 1, $"test MAE {byName["test"].Metrics.Mae}");
        Assert.True(byName["starts 500-1000"].Metrics.Mae > 5, $"starts 500-1000 MAE {byName["starts 500-1000"].Metrics.Mae}");
    }

    [Fact]
    public void Run_keeps_targets_and_predictions_per_sample_in_original_units()
    {
        set_num_threads(1);
        using var model = ModelFactory.Create(new ModelSpec(), 5, CPU);
        var scaler = new GlobalScaler();
        var set = new EvaluationSet("step 20", EvaluationSetKind.OtherStep, new SequenceSpec(Count: 64, Step: 20));

        var result = Evaluator.Run(model, scaler, set, seed: 7, CPU);

        using var expected = SequenceData.Generate(set.Spec, 7);
        var rows = expected.data<float>().ToArray();
        var targets = Enumerable.Range(0, 64).Select(i => (double)rows[(i * 4) + 3]).ToArray();
        var inputs = Enumerable.Range(0, 64).Select(i => rows.Skip(i * 4).Take(3).Select(v => (double)v).ToArray()).ToArray();
        Assert.Same(set, result.Set);
        Assert.Equal(targets, result.Targets);
        // The batched call must agree with predicting the same sequences through the public path.
        Assert.Equal(Predictor.Predict(model, scaler, inputs, CPU), result.Predictions);
        Assert.Equal(EvaluationMetrics.Compute(inputs, targets, result.Predictions).Mse, result.Metrics.Mse);
    }
}
