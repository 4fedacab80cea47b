using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// Replaces the model file after every completed epoch with the new weights and the history so far, so
/// a crash or a kill never costs a completed epoch. Atomic (a complete old or a complete new file) but
/// not flushed to the disk: that costs milliseconds, too much after every 8 ms epoch, and only a power
/// cut needs it; the final save at the end of the run is durable, and so is the first checkpoint.
/// <para>
/// The first checkpoint also takes over the <paramref name="folder"/>: the folder records what this run
/// writes; the new model is written in full beside the old one; the previous run's files but its model are
/// removed; the new model replaces the old one (a rename); then an old model at another path is removed. A
/// failure (a full disk) or a kill at any moment leaves the previous run's model or this run's, never neither.
/// </para>
/// </summary>
internal sealed class CheckpointWriter(string path, SequenceRegressor model, ModelManifest manifest, RunFolder? folder = null) : ITrainingObserver
{
    private readonly List<EpochResult> completed = [];

    /// <summary>How a checkpoint is written (path, model, manifest, durable, before the replace): <see cref="ModelFile.Save"/>, or a test's failing one.</summary>
    internal Action<string, SequenceRegressor, ModelManifest, bool, Action?> Save { get; init; } = ModelFile.Save;

    /// <summary>
    /// The model's other formats (.pt, .onnx) with the first checkpoint: given the model, its manifest, the paths it writes and
    /// what to run once they are complete (the checkpoint's own save), it writes each in full first; the previous run's go with
    /// its other files just before the checkpoint replaces its model, and the new ones are renamed in right after it. The
    /// folder never holds two runs' files, and lacks an export only between those renames (well under a millisecond). Null: none.
    /// </summary>
    internal (IReadOnlyList<string> Paths, Action<SequenceRegressor, ModelManifest, Action> Write)? Exports { get; init; }

    public void Observe(TrainingEvent e)
    {
        if (e is EpochCompleted done)
        {
            completed.Add(done.Result);
            var checkpoint = manifest with { History = completed.ToList() };
            if (completed.Count > 1 || folder is null)
            {
                Save(path, model, checkpoint, false, null);
                return;
            }

            folder.BeginWriting();
            List<string> written = [path, .. Exports?.Paths ?? []];
            void First() => Save(path, model, checkpoint, true, () => folder.ClearPrevious([path], keepModels: true));
            if (Exports is { } exports)
            {
                // Every new file complete first; then the old run's other files go, and the renames follow one another.
                exports.Write(model, checkpoint, First);
            }
            else
            {
                First();
            }

            folder.ClearPrevious(written);
        }
    }
}
