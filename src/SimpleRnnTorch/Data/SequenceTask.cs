namespace SimpleRnnTorch.Data;

/// <summary>What a job learns: the lesson's next number, or the adding problem, which needs memory.</summary>
internal enum SequenceTask
{
    /// <summary>The lesson: [s, s+d, ..., s+(T-1)d] → s+Td, one feature per step (<see cref="SequenceData"/>).</summary>
    Arithmetic,

    /// <summary>The adding problem: T steps of (value, marker), the target the sum of the two marked values (<see cref="AddingProblem"/>).</summary>
    Adding,
}

internal static class SequenceTasks
{
    /// <summary>Features per time step: the model's input size and the width of every input the task reads.</summary>
    public static int Features(this SequenceTask task) => task switch
    {
        SequenceTask.Adding => AddingProblem.Features,
        _ => 1,
    };

    /// <summary>The shortest sequence the task is defined for.</summary>
    public static int MinTimeSteps(this SequenceTask task) => task switch
    {
        SequenceTask.Adding => AddingProblem.MinTimeSteps,
        _ => 1,
    };

    /// <summary>The task as the command line and the manifest spell it.</summary>
    public static string Name(this SequenceTask task) => task.ToString().ToLowerInvariant();
}
