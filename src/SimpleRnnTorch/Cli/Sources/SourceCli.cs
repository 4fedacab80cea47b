using System.CommandLine;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;

namespace SimpleRnnTorch.Cli.Sources;

/// <summary>
/// One data source as the command line sees it, the whole of it in one file beside the source's own
/// (Data/): which options are its own, when the command line asks for it, how its options bind (checked as they
/// are read: a value that cannot make a source is refused there, once), what it checks of the bound job, how big a
/// job it makes for the resource budget, and how its data and its outcome are told. <see cref="TrainCommand"/>
/// asks its list of these, in order, which one the options ask for, and from then on talks only to that one:
/// nothing else asks which source a job has. A fourth source is one more of these beside its DataSource.
/// </summary>
internal abstract class SourceCli
{
    /// <summary>The options only this source reads; any other source refuses them ("applies only with <see cref="Selector"/>").</summary>
    public virtual IReadOnlyList<Option> OwnOptions => [];

    /// <summary>How messages name what asks for this source, e.g. "--data FILE.csv".</summary>
    public abstract string Selector { get; }

    /// <summary>Whether the command line asks for this source; asked in the command's order, the last (the lesson) always answers yes.</summary>
    public abstract bool IsAsked(ParseResult parse, TrainOptions options);

    /// <summary>The job this source starts from when an option is left out: its model and training (a preset) and its source's defaults.</summary>
    public abstract TrainJob Defaults { get; }

    /// <summary>Options of the shared set that this source does not read, each with why: given, they are refused.</summary>
    public virtual IEnumerable<(Option Option, string Why)> Refuses(ParseResult parse, TrainOptions options) => [];

    /// <summary>The source the options ask for, or the one line that says why they cannot make one. Reads no file.</summary>
    public abstract (DataSource? Source, string? Problem) Bind(ParseResult parse, TrainOptions options);

    /// <summary>What is wrong with the bound job for this source (a file it reads, its samples); null when nothing. May look at the file system.</summary>
    public virtual string? Problem(TrainJob job) => null;

    /// <summary>What the resource budget counts; null when the source's own reading will refuse the job first.</summary>
    public abstract JobSize? Size(TrainJob job);

    /// <summary>A file the run reads, which none of its outputs may be (--data).</summary>
    public virtual string? ReadPath(TrainJob job) => null;

    /// <summary>Tells the data as the run prepared it (the lesson's narration: samples, shapes, split, scaling).</summary>
    public abstract void WriteData(TextWriter output, TrainJob job, DataSummary data, string where);

    /// <summary>One line said as the source's evaluation begins, so a long one (a large panel's backtests) is not silence; null: nothing.</summary>
    public virtual string? EvaluationNote(DataSummary data) => null;

    /// <summary>Tells what the source's evaluation found, after the predictions; nothing when it has no outcome.</summary>
    public abstract void WriteOutcome(CliConsole console, TrainingRun run);
}

/// <summary>The size of a training job as the resource budget counts it.</summary>
/// <param name="What">How a message names the samples (e.g. "--sequences 1000").</param>
internal sealed record JobSize(long Samples, int TimeSteps, int EvalCount, string What);
