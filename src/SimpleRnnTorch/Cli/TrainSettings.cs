using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Cli;

/// <summary>Everything one training session was asked to do, after parsing and validation.</summary>
public sealed record TrainSettings(
    SequenceSpec Data,
    ModelSpec Model,
    TrainingConfig Training,
    double Scale,
    int EvalCount,
    int Verbosity,
    DeviceKind Device,
    int Threads,
    string OutputFolder,
    string? SavePath,
    IReadOnlyList<double[]> Predict);
