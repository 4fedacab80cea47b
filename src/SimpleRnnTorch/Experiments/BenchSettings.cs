using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Experiments;

/// <summary>What the benchmark measures; every part runs the real <see cref="Training.Trainer"/>.</summary>
internal sealed record BenchSettings
{
    /// <summary>Batch size of the step timing (the lesson's 32 by default).</summary>
    public int Batch { get; init; } = 32;

    /// <summary>Timed steps, after the warm-up; the PyTorch anchor times 1000.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Untimed steps before the timed ones (the anchor skips 20).</summary>
    public int WarmupSteps { get; init; } = 20;

    /// <summary>Sequence counts for the one-epoch throughput runs; empty skips them.</summary>
    public IReadOnlyList<int> ScaleSizes { get; init; } = [10_000, 100_000, 1_000_000];

    /// <summary>Batch sizes for the throughput runs.</summary>
    public IReadOnlyList<int> ScaleBatches { get; init; } = [32, 1024];

    /// <summary>Steps of the memory soak (RSS after 1000 steps vs after this many); 0 skips it.</summary>
    public int SoakSteps { get; init; }

    /// <summary>
    /// Adam's learning rate, constant, in every part: by default the lesson's, which the PyTorch
    /// reference (scripts/torch_reference.py) runs too, so that both sides do the same work. The rate
    /// does change the time a little: values decide how fast some kernels run (tanh, for one).
    /// </summary>
    public double LearningRate { get; init; } = TrainingConfig.Lesson.LearningRate;

    /// <summary>A CSV series to time: its reading, then one epoch on its windows beside as many generated sequences; null skips it.</summary>
    public string? SeriesFile { get; init; }

    public long Seed { get; init; } = new TrainingConfig().Seed;

    /// <summary>
    /// What every part trains on: the lesson's sequences, or the adding problem (two features, no scaling),
    /// with the same structure (1000 sequences, epochs of 25 steps at batch 32 plus validation), so that
    /// `scripts/torch_reference.py --task adding` does the same work.
    /// </summary>
    public SequenceTask Task { get; init; } = SequenceTask.Arithmetic;

    public CellKind Cell { get; init; } = new ModelSpec().Cell;

    /// <summary>Sequence length T; null: the task's own (the lesson's 3, the adding task's <see cref="TrainJob.AddingTimeSteps"/>).</summary>
    public int? TimeSteps { get; init; }

    /// <summary>Hidden units; null: the task's own (the lesson's 5, the adding task's 16).</summary>
    public int? Hidden { get; init; }

    public int Threads { get; init; } = TrainJob.DefaultThreads;

    public DeviceKind Device { get; init; } = DeviceKind.Cpu;
}
