using System.CommandLine;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Runs;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Options that several commands take, defined once: the same instances are added to each command, so
/// their names, ranges, help and defaults cannot drift apart.
/// </summary>
internal sealed class SharedOptions
{
    private static readonly TrainJob Defaults = new();

    public Option<int> Threads { get; } = OptionKit.Int("--threads",
        "libtorch CPU threads; 1 is fastest for this small model and immune to a busy neighbour core", TrainJob.DefaultThreads, 1, 1024);

    public Option<Choice<DeviceKind>> Device { get; } = OptionKit.Choice("--device",
        "cpu (default: a 46-parameter model runs faster on the CPU than it can be launched on a GPU), cuda, or auto (cuda if this build and machine have it)",
        Defaults.Device);

    public Option<long> Seed { get; } = OptionKit.Long("--seed", "Seed for the data, the initial weights and the shuffle", Defaults.Training.Seed);

    /// <summary>Adam's rate: train starts from the program's default, bench from the lesson's (what the PyTorch reference runs).</summary>
    public static Option<double> LearningRate(string description, double defaultValue) =>
        OptionKit.Double("--lr", description, defaultValue, 0, double.PositiveInfinity, minExclusive: true, maxExclusive: false);

    /// <summary>The folder a command writes into (-o/--output); every command checks it, bound, the same way (<see cref="PathChecks.FolderProblem"/>).</summary>
    public static Option<string> OutputFolder(string description) => new("--output", "-o")
    {
        Description = description,
        DefaultValueFactory = _ => ArtifactPlan.DefaultFolder,
        HelpName = "folder",
    };
}
