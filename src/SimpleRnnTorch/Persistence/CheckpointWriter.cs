using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// Replaces the model file after every completed epoch with the new weights and the history so far, so
/// a crash or a kill never costs a completed epoch. Atomic (a complete old or a complete new file) but
/// not flushed to the disk: that costs milliseconds, too much after every 8 ms epoch, and only a power
/// cut needs it; the final save at the end of the run is durable. <paramref name="beforeFirstSave"/> runs
/// once, before the first file is written (the run folder removes the earlier run's files).
/// </summary>
internal sealed class CheckpointWriter(string path, SequenceRegressor model, ModelManifest manifest, Action? beforeFirstSave = null) : ITrainingObserver
{
    private readonly List<EpochResult> completed = [];

    public void Observe(TrainingEvent e)
    {
        if (e is EpochCompleted done)
        {
            if (completed.Count == 0)
            {
                beforeFirstSave?.Invoke();
            }

            completed.Add(done.Result);
            ModelFile.Save(path, model, manifest with { History = completed.ToList() }, durable: false);
        }
    }
}
