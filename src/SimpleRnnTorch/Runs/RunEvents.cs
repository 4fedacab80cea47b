using SimpleRnnTorch.Model;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Runs;

// The pipeline's own events, told to the same observers as the fit's (TrainingEvent).

/// <summary>The data is generated, scaled and split (see <see cref="DataSummary"/>).</summary>
internal sealed record DataPrepared(DataSummary Data, string Device, int Threads) : TrainingEvent;

/// <summary>The model is built and initialised on its device; training starts next.</summary>
internal sealed record ModelCreated(ModelSpec Spec, string Name, TrainingConfig Training) : TrainingEvent;
