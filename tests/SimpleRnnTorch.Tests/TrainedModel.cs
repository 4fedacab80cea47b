using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests;

/// <summary>A briefly trained model and its manifest, as the CLI would save them.</summary>
internal static class TrainedModel
{
    public static (SequenceRegressor Model, ModelManifest Manifest) Train(int epochs = 3, long seed = 1, ModelSpec? spec = null)
    {
        set_num_threads(1);
        spec ??= new ModelSpec();
        var dataSpec = new SequenceSpec();
        var config = new TrainingConfig { Epochs = epochs, Seed = seed };
        using var sequences = SequenceData.Generate(dataSpec, seed);
        var scaler = new SequenceScaler();
        using var data = LessonDataset.Create(sequences, scaler, config.ValidationSplit, CPU);
        var model = ModelFactory.Create(spec, seed, CPU);
        var history = Trainer.Fit(model, data, config);
        return (model, new ModelManifest(spec, dataSpec, scaler.Divisor, config, history.Epochs, "completed", ModelManifest.Producer));
    }
}
