using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Experiments;

internal enum GradientPhase
{
    /// <summary>The initial weights, before any step (the seed's, as <see cref="ModelFactory"/> makes them).</summary>
    Init,

    /// <summary>The weights training ended with.</summary>
    Trained,
}

/// <summary>‖∂L/∂x_t‖ for t = 0 .. T-1 of one model (<see cref="GradientNorms"/>).</summary>
internal sealed record GradientProfile(CellKind Cell, GradientPhase Phase, int TimeSteps, IReadOnlyList<double> Norms)
{
    /// <summary>norms[0] / norms[T-1].</summary>
    public double FirstToLast => GradientNorms.FirstToLast(Norms);
}

/// <summary>One cell at initialisation and after training, with the trained model's test score when known.</summary>
internal sealed record CellGradients(CellKind Cell, GradientProfile Init, GradientProfile Trained, AddingScore? Score, int Epochs, TimeSpan TrainingTime, string? ModelPath);

/// <summary>
/// The gradients-through-time experiment on the adding problem, console-free: a cell's norms at its
/// initial weights and at its trained ones, on the same fresh sequences. Training goes through
/// <see cref="TrainingPipeline"/>; a saved model is measured as it was saved, beside the initial weights
/// its manifest's seed gives. Norms are computed in float64 on the CPU (a copy of the weights converted
/// exactly), so that the tiny norms of a vanishing gradient are measured rather than rounded to zero.
/// </summary>
internal static class GradientStudy
{
    /// <summary>Sequences the norms are averaged over.</summary>
    public const int DefaultSamples = 512;

    /// <summary>The probe's data seed: the training's evaluation seed, so the sequences are never training data.</summary>
    public static long ProbeSeed(long trainingSeed) => TrainJob.EvaluationSeedFor(trainingSeed);

    /// <summary>Trains the job's model and measures it before and after; null when training did not end as planned.</summary>
    public static CellGradients? Train(TrainJob job, int samples, IReadOnlyList<ITrainingObserver>? observers = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Source.Features != AddingProblem.Features)
        {
            throw new ArgumentException("the gradient study probes adding-task models (two features a step)", nameof(job));
        }

        var seed = ProbeSeed(job.Training.Seed);
        GradientProfile init;
        using (var initial = ModelFactory.Create(job.Model, job.Training.Seed, CPU, job.Training.Init))
        {
            init = Profile(initial, GradientPhase.Init, job.Source.TimeSteps, samples, seed);
        }

        using var run = TrainingPipeline.Run(job, observers, cancellation);
        if (!run.Finished)
        {
            return null;
        }

        var trained = Profile(run.Model, GradientPhase.Trained, job.Source.TimeSteps, samples, seed);
        var time = run.History.Epochs.Aggregate(TimeSpan.Zero, (sum, e) => sum + e.Duration);
        return new CellGradients(job.Model.Cell, init, trained, AddingData.Score(run.Outcome), run.History.Epochs.Count, time, null);
    }

    /// <summary>
    /// A saved adding-task model as it was saved, and the initial weights of the run that trained it
    /// (<see cref="ModelFactory"/> makes them from the manifest's seed and initialiser alone).
    /// </summary>
    public static CellGradients FromFile(string path, int samples)
    {
        var (model, manifest) = ModelFile.Load(path, CPU);
        using (model)
        {
            if (manifest.Task != SequenceTask.Adding)
            {
                throw new ModelFileException($"'{path}' was trained on the {manifest.Task.Name()} task; gradients measures adding-task models");
            }

            var seed = ProbeSeed(manifest.Training.Seed);
            var timeSteps = manifest.TimeSteps;
            GradientProfile init;
            using (var initial = ModelFactory.Create(manifest.Model, manifest.Training.Seed, CPU, manifest.Training.Init))
            {
                init = Profile(initial, GradientPhase.Init, timeSteps, samples, seed);
            }

            var trained = Profile(model, GradientPhase.Trained, timeSteps, samples, seed);
            var time = manifest.History.Aggregate(TimeSpan.Zero, (sum, e) => sum + e.Duration);
            return new CellGradients(manifest.Model.Cell, init, trained, null, manifest.History.Count, time, path);
        }
    }

    /// <summary>Converts <paramref name="model"/> to float64 on the CPU (it is the caller's to dispose) and measures it.</summary>
    public static GradientProfile Profile(SequenceRegressor model, GradientPhase phase, int timeSteps, int samples, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.to(CPU).to(ScalarType.Float64);
        var (inputs, targets) = AddingProblem.Generate(samples, timeSteps, seed);
        using (inputs)
        using (targets)
        using (var x = inputs.to(ScalarType.Float64))
        using (var y = targets.to(ScalarType.Float64))
        {
            return new GradientProfile(model.Spec.Cell, phase, timeSteps, GradientNorms.Measure(model, x, y));
        }
    }

    /// <summary>
    /// Why saved models cannot be measured together, read from their manifests without loading them: a
    /// model of another task, two T, or two models of one cell. Null when they can.
    /// </summary>
    public static string? ModelsProblem(IReadOnlyList<string> paths)
    {
        var seen = new List<(string Path, ModelManifest Manifest)>();
        foreach (var path in paths)
        {
            ModelManifest manifest;
            try
            {
                manifest = ModelFile.ReadManifest(path);
            }
            catch (ModelFileException e)
            {
                return e.Message;
            }

            if (manifest.Task != SequenceTask.Adding || manifest.Model.InputSize != AddingProblem.Features)
            {
                return $"'{path}' was trained on the {manifest.Task.Name()} task ({manifest.Model.InputSize} feature(s) per step); " +
                       $"gradients measures adding-task models ({AddingProblem.Features} features): train one with `train --task adding`";
            }

            if (seen.FirstOrDefault(s => s.Manifest.TimeSteps != manifest.TimeSteps) is { Path: { } otherT } other)
            {
                return $"'{path}' has T = {manifest.TimeSteps}, '{otherT}' has T = {other.Manifest.TimeSteps}: one figure compares one T";
            }

            if (seen.FirstOrDefault(s => s.Manifest.Model.Cell == manifest.Model.Cell) is { Path: { } sameCell })
            {
                return $"'{path}' and '{sameCell}' are both {manifest.Model.Cell.ToString().ToLowerInvariant()} models: give one per cell";
            }

            seen.Add((path, manifest));
        }

        return null;
    }
}
