using SimpleRnnTorch.Data;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Sources;

/// <summary>
/// What a job's data looks like once made, scaled and split: enough for the lesson's narration
/// ("Sample input: [42 52 62] target: 72", the shapes, the split) without handing tensors around.
/// The first sample is taken before any shuffling, in original units and scaled. What a source knows beyond
/// that (where a series' values came from and how they were cut) is its own <see cref="Facts"/>.
/// </summary>
internal sealed record DataSummary(
    DataSource Source,
    long Seed,
    double[] SampleInput,
    double SampleTarget,
    double[] ScaledSampleInput,
    SequenceScaler Scaler,
    long TrainCount,
    long ValidationCount,
    double ValidationSplit,
    DataFacts Facts)
{
    /// <summary>(samples, time steps, features), the shape the recurrent layer reads.</summary>
    public long[] InputShape { get; init; } = [];

    /// <summary>
    /// The summary of split tensors; the sample is their first row (the training part starts with it), scaled as
    /// the tensors hold it and in original units as the source read or made it (<paramref name="original"/>).
    /// </summary>
    public static DataSummary Of(DataSource source, TrainingData tensors, SequenceScaler scaler, long seed, double validationSplit,
        (double[] Input, double Target) original, DataFacts? facts = null)
    {
        var scaled = Row(tensors.TrainInputs);
        var (input, target) = original;
        return new DataSummary(source, seed, input, target, scaled, scaler, tensors.TrainCount, tensors.ValidationCount, validationSplit, facts ?? DataFacts.None)
        {
            InputShape = [tensors.TrainCount + tensors.ValidationCount, tensors.TrainInputs.shape[1], tensors.TrainInputs.shape[2]],
        };
    }

    /// <summary>The first sequence (N, T + 1) as its inputs and target, in doubles.</summary>
    public static (double[] Input, double Target) FirstRow(Tensor sequences)
    {
        var row = Row(sequences);
        return (row[..^1], row[^1]);
    }

    /// <summary>The first sample of inputs (N, T[, F]) and targets (N[, 1]), in doubles.</summary>
    public static (double[] Input, double Target) FirstRow(Tensor inputs, Tensor targets) => (Row(inputs), Row(targets)[0]);

    private static double[] Row(Tensor t)
    {
        using var row = t[0].to(CPU);
        using var flat = row.flatten().to_type(TorchSharp.torch.ScalarType.Float64);
        return flat.data<double>().ToArray();
    }
}

/// <summary>What a source knows of its prepared data beyond the common summary; each source that has more has its own case.</summary>
internal record DataFacts
{
    /// <summary>Nothing beyond the summary (generated data).</summary>
    public static DataFacts None { get; } = new();
}

/// <summary>A series run's data: the values read, their windows and split, how long the reading took, and how far it forecasts.</summary>
internal sealed record SeriesSummary(Series Series, SeriesWindows Windows, TimeSpan ReadTime, int Horizon) : DataFacts;
