using System.Globalization;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;

namespace SimpleRnnTorch.Training;

/// <summary>The sizes of one training run that decide its memory: the model, the data's shape, the rows one forward pass holds.</summary>
internal sealed record TrainingShape(ModelSpec Model, long Sequences, int TimeSteps, int BatchSize, long ValidationCount = 0, long EvalCount = 0);

/// <summary>
/// Whether this machine can train a run of a given shape, decided from the options before anything is
/// allocated, so that a request past it is one line naming the limit, not libtorch's "can't allocate memory".
/// <para>
/// Two limits. <b>Parameters</b>: at most <see cref="MaxParameters"/> (64 Mi, 256 MiB of float32 weights),
/// whatever the machine: the model file of such a model stays within <see cref="InputFileCheck.MaxModelBytes"/>,
/// so every model a run saves can be loaded again, and its serialised copies within .NET's array limit.
/// <b>Memory</b>: an estimate of the run's peak, at most 3/4 of the memory this process may use
/// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: the machine's, or its container's limit), the rest
/// left to the runtime, libtorch and the machine's other work. The estimate counts, in float32:
/// </para>
/// <list type="bullet">
/// <item>the parameters 8 times: weights, gradients, Adam's two moments, the flat buffer, the checkpoint's serialised copies;</item>
/// <item>the data 4 times: generated, scaled, split, and one shuffled epoch (evaluation sets count 3 times their size);</item>
/// <item>the activations of the largest forward pass (a batch, a chunk of the validation set (<see cref="Evaluation.ChunkedForward"/>)
/// or an evaluation set in one pass): rows × T × hidden × layers × (gates + 2), twice (the states autograd keeps and their gradients).</item>
/// </list>
/// It errs high by design: a refused run would have been close to the machine's limit; an accepted one fits.
/// </summary>
internal static class ResourceBudget
{
    public const long MaxParameters = 1L << 26;

    private const long FloatBytes = 4;

    /// <summary>The memory a run may plan to use: 3/4 of what this process may use.</summary>
    public static long BudgetBytes => MachineBytes / 4 * 3;

    private static long MachineBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The estimated peak memory of a run of this shape, in bytes (in double: the options' maxima stay far below 2^63).</summary>
    public static double EstimateBytes(TrainingShape shape)
    {
        var model = shape.Model;
        double parameters = model.StoredValues * FloatBytes * 8.0;
        double data = (shape.Sequences + (3.0 * shape.EvalCount)) * shape.TimeSteps * model.InputSize * FloatBytes * 4.0;
        double rows = Math.Max(shape.BatchSize, Math.Max(Math.Min(shape.ValidationCount, Evaluation.ChunkedForward.RowsPerChunk(model, shape.TimeSteps)), shape.EvalCount));
        double activations = rows * shape.TimeSteps * model.Units * model.Layers * (model.Gates + 2.0) * FloatBytes * 2.0;
        return parameters + data + activations;
    }

    /// <summary>
    /// Null when this machine can train <paramref name="shape"/>; else one line that starts with
    /// <paramref name="request"/> (the options that set it, e.g. "--hidden 100000 (rnn, 1 layer)") and names the limit.
    /// </summary>
    public static string? Problem(TrainingShape shape, string request)
    {
        var model = shape.Model;
        if (model.StoredValues > MaxParameters)
        {
            return $"{request} makes a model of {model.StoredValues:N0} parameters; the most this program trains is {MaxParameters:N0} " +
                   $"({InputFileCheck.Size(MaxParameters * FloatBytes)} of float32 weights, so that its model file can be loaded again)";
        }

        var needed = EstimateBytes(shape);
        return needed > BudgetBytes
            ? $"{request} would need about {InputFileCheck.Size((long)needed)} of memory to train; this machine's budget is {InputFileCheck.Size(BudgetBytes)} " +
              $"(3/4 of the {InputFileCheck.Size(MachineBytes)} this process may use); use fewer or shorter sequences, a smaller batch or model"
            : null;
    }

    /// <summary>How a command names a model in <see cref="Problem"/>'s request: "--hidden 100000, --layers 1 (rnn)".</summary>
    public static string Describe(ModelSpec model) =>
        $"--hidden {model.HiddenSize.ToString(CultureInfo.InvariantCulture)}, " +
        (model.Members > 1 ? $"--members {model.Members.ToString(CultureInfo.InvariantCulture)}, " : "") +
        $"--layers {model.Layers.ToString(CultureInfo.InvariantCulture)} ({model.Cell.ToString().ToLowerInvariant()})";
}
