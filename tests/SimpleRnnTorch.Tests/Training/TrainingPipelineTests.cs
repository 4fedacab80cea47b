using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Training;

/// <summary>The one seam that runs a whole job: what it tells, what it writes, and that it adds nothing to the fit.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingPipelineTests
{
    /// <summary>
    /// The pipeline against the parts assembled by hand (data, scaler, split, model, Trainer.Fit):
    /// same seed, same history bit for bit, so moving the setup into the pipeline changed no result.
    /// </summary>
    [Fact]
    public void A_job_trains_exactly_as_the_parts_assembled_by_hand()
    {
        var config = new TrainingConfig { Epochs = 4, Seed = 13 };
        using var run = TestRuns.Train(config);

        set_num_threads(1);
        using var sequences = SequenceData.Generate(new SequenceSpec(), config.Seed);
        using var data = TrainingData.Create(sequences, new GlobalScaler(), config.ValidationSplit, CPU);
        using var model = ModelFactory.Create(new ModelSpec(), config.Seed, CPU);
        var byHand = Trainer.Fit(model, data, config);

        Assert.Equal(byHand.Loss, run.History.Loss);
        Assert.Equal(byHand.ValidationLoss, run.History.ValidationLoss);
        Assert.Equal(byHand.Epochs.Select(e => e.LearningRate), run.History.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Observers_hear_data_then_model_then_epochs_then_the_end_of_the_fit_and_of_the_evaluation()
    {
        var events = new List<TrainingEvent>();
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1 }, observers: [new TrainingObserver(events.Add)]);

        Assert.IsType<DataPrepared>(events[0]);
        Assert.IsType<ModelCreated>(events[1]);
        Assert.IsType<FitEnded>(events[^3]);
        Assert.IsType<EvaluationStarted>(events[^2]);
        Assert.False(Assert.IsType<EvaluationEnded>(events[^1]).Stopped);
        Assert.Equal(2, events.OfType<EpochCompleted>().Count());

        var data = ((DataPrepared)events[0]).Data;
        Assert.Equal((800L, 200L), (data.TrainCount, data.ValidationCount));
        Assert.Equal([1000L, 3, 1], data.InputShape);
        // The sample is an arithmetic sequence in original units, and the same row scaled.
        Assert.Equal(data.SampleInput[0] + 30, data.SampleTarget, 4);
        Assert.Equal(data.SampleInput.Select(v => v / 100), data.ScaledSampleInput, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void With_artifacts_it_writes_history_plot_model_export_and_evaluation_plot()
    {
        using var temp = new TempFolder();
        var plan = new ArtifactPlan(temp.File("out"), temp.File("out/model.safetensors"));
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1 }, artifacts: plan, evalCount: 50, predict: [[50, 60, 70]]);

        var files = run.Job.Files!;
        Assert.Equal([files.History, files.LossPlot, plan.ModelPath!, temp.File("out/model.pt"), temp.File("out/model.onnx"), temp.File("out/predictions.png")], run.Written);
        Assert.Equal(files.All, run.Written); // the one list of a run's files is what the run wrote
        Assert.All(run.Written, f => Assert.True(new FileInfo(f).Length > 0, f));
        Assert.Equal(3, File.ReadAllLines(files.History).Length);
        var (saved, manifest) = ModelFile.Load(plan.ModelPath!, CPU);
        saved.Dispose();
        Assert.Equal(run.History.Epochs, manifest.History);
        Assert.Equal("completed", manifest.StoppedBy);
        Assert.Equal(5, run.Evaluation.Count);
        Assert.Single(run.Predictions);
    }

    [Fact]
    public void Without_artifacts_nothing_is_written_and_a_refused_folder_costs_no_training()
    {
        using var temp = new TempFolder();
        using (var run = TestRuns.Train(new TrainingConfig { Epochs = 1, Seed = 1 }))
        {
            Assert.Empty(run.Written);
        }

        // A folder held by another run: refused before any data or model exists.
        var folder = temp.File("busy");
        using var held = OutputFolderLock.Acquire(folder, "--output", "a test");
        var events = new List<TrainingEvent>();
        var error = Assert.Throws<OutputFolderException>(() =>
            TestRuns.Train(new TrainingConfig { Epochs = 1 }, observers: [new TrainingObserver(events.Add)], artifacts: new ArtifactPlan(folder, null)));

        Assert.True(error.Busy);
        Assert.Empty(events);
        Assert.Equal([OutputFolderLock.FileName], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void An_adding_task_job_trains_on_two_features_and_scores_against_the_constant_guess()
    {
        var events = new List<TrainingEvent>();
        using var run = TrainingPipeline.Run(TrainJob.Adding(8) with
        {
            Source = new AddingData(Count: 500, TimeSteps: 8, EvalCount: 2000),
            Training = TrainJob.Adding().Training with { Epochs = 1, Seed = 2 },
        }, [new TrainingObserver(events.Add)]);

        var data = events.OfType<DataPrepared>().Single().Data;
        Assert.Equal([500L, 8, 2], data.InputShape);
        Assert.Equal([400L, 8, 2], run.Data.Tensors.TrainInputs.shape);
        Assert.Equal(2, run.Model.Spec.InputSize);
        Assert.Equal(SequenceTask.Adding, run.Manifest.Task);
        Assert.Empty(run.Evaluation); // the lesson's sets are for arithmetic sequences
        var score = Assert.IsType<SimpleRnnTorch.Evaluation.AddingScore>(run.AddingScore);
        Assert.Equal((2000, 8, 1002L), (score.Count, score.TimeSteps, score.Seed));
        Assert.InRange(score.ConstantGuessMse, 0.15, 0.185); // 1/6 on 2000 fresh sums
        Assert.True(score.Mse > 0);
    }

    [Fact]
    public void A_job_that_means_nothing_cannot_be_built()
    {
        // The model reads what the source gives: a lesson-sized model on the adding task is an adding model.
        Assert.Equal(2, (TrainJob.Adding(8) with { Model = new ModelSpec(InputSize: 1, HiddenSize: 4) }).Model.InputSize);
        Assert.Equal(1, new TrainJob { Model = new ModelSpec(InputSize: 2) }.Model.InputSize);

        // Sources check themselves, `with` included; the adding task has no divisor to set, a series no evaluation count.
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddingData(Count: 100, TimeSteps: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LessonData() with { Divisor = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LessonData() with { Spec = new SequenceSpec(StartMin: 5, StartMax: 5) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeriesData(new SeriesSettings("x.csv"), Window: 0));
    }

    /// <summary>
    /// The chapter's point in miniature: at T = 5 a GRU learns to add the two marked values well below the
    /// constant guess within a few hundred steps. Needs memory across at most 4 steps, so it must work.
    /// </summary>
    [Fact]
    public void A_gru_learns_the_adding_problem_at_t_5()
    {
        using var run = TrainingPipeline.Run(TrainJob.Adding(5) with
        {
            Source = new AddingData(Count: 4000, TimeSteps: 5, EvalCount: 1000),
            Training = TrainJob.Adding().Training with { Epochs = 8, Seed = 1 },
            Model = TrainJob.Adding().Model with { Cell = CellKind.Gru, HiddenSize = 8 },
        });

        var score = run.AddingScore!;
        Assert.True(score.Mse < 0.02, $"test MSE {score.Mse} after 400 steps at T = 5");
    }

    [Fact]
    public void A_signal_during_a_series_evaluation_stops_it_and_keeps_the_model_in_every_format()
    {
        // The cancellation comes once the fit is over: the backtest stops at its first check, and the model is still written whole.
        using var cancel = new CancellationTokenSource();
        var exportsAfterFirstEpoch = new List<string>();
        using var temp = new TempFolder();
        var plan = new ArtifactPlan(temp.Path, temp.File("model.safetensors"), LossScale.Linear);
        var observer = new TrainingObserver(e =>
        {
            if (e is EpochCompleted { Result.Epoch: 2 }) // heard before its own checkpoint: the first one's files are there
            {
                exportsAfterFirstEpoch.AddRange(new[] { "model.pt", "model.onnx" }.Where(n => File.Exists(temp.File(n))));
            }

            if (e is FitEnded)
            {
                cancel.Cancel();
            }
        });
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Source = new SeriesData(new SeriesSettings(Path.Combine(TestPaths.RepoRoot, "data", "nile.csv"), TimeColumn: "year")),
            Training = new TrainingConfig { Epochs = 2, Seed = 1 },
            Artifacts = plan,
        }, [observer], cancel.Token);

        Assert.True(run.EvaluationStopped);
        Assert.Null(run.Outcome);
        Assert.Equal(2, run.History.Epochs.Count);
        Assert.Equal("interrupted", run.Manifest.StoppedBy);
        Assert.Equal(["model.pt", "model.onnx"], exportsAfterFirstEpoch); // the exports came with the first checkpoint
        Assert.Equal("interrupted", ModelFile.ReadManifest(temp.File("model.safetensors")).StoppedBy);
        Assert.True(File.Exists(temp.File("model.pt")) && File.Exists(temp.File("model.onnx")));
        Assert.False(File.Exists(temp.File("forecast.csv")));

        // Its export has a network but no interval: predict --horizon says why it cannot forecast.
        var nile = string.Join(',', File.ReadLines(Path.Combine(TestPaths.RepoRoot, "data", "nile.csv")).Skip(1).Select(l => l.Split(',')[1]));
        Assert.Contains("stopped before its backtest measured the interval", InProcess.OneLine(2, ["predict", "--model", temp.File("model.onnx"), "--horizon", "2", nile]));
    }

    [Fact]
    public void A_cancelled_job_keeps_the_completed_epochs_and_skips_prediction_and_evaluation()
    {
        using var cancel = new CancellationTokenSource();
        var stopInEpoch3 = new TrainingObserver(e =>
        {
            if (e is EpochStarted { Epoch: 3 })
            {
                cancel.Cancel();
            }
        });
        using var temp = new TempFolder();
        var plan = new ArtifactPlan(temp.Path, temp.File("model.safetensors"), LossScale.Linear);
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Training = new TrainingConfig { Epochs = 10, Seed = 1 },
            Source = new LessonData(new SequenceSpec(), EvalCount: 100),
            Artifacts = plan,
            Predict = [[50, 60, 70]],
        }, [stopInEpoch3], cancel.Token);

        Assert.Equal(StopReason.Interrupted, run.History.Stop.Reason);
        Assert.Equal(2, run.History.Epochs.Count);
        Assert.False(run.Finished);
        Assert.Empty(run.Predictions);
        Assert.Empty(run.Evaluation);
        Assert.DoesNotContain(run.Job.Files!.Path(PredictionPlot.FileName), run.Written);
        Assert.Equal("interrupted", run.Manifest.StoppedBy);
    }
}
