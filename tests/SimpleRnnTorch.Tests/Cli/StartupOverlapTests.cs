using SimpleRnnTorch.Cli;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>The start-up work runs for the commands that gain from it, and the work itself succeeds.</summary>
[Collection(TorchCollection.Name)]
public sealed class StartupOverlapTests
{
    [Theory]
    [InlineData("", StartupPlanName.LoadLibTorchAndWarm)]
    [InlineData("--epochs 3", StartupPlanName.LoadLibTorchAndWarm)]
    [InlineData("train --epochs 3", StartupPlanName.LoadLibTorchAndWarm)]
    [InlineData("predict 50,60,70", StartupPlanName.LoadLibTorch)]
    [InlineData("predict --model m.onnx 50,60,70", StartupPlanName.None)]
    [InlineData("bench", StartupPlanName.None)]
    [InlineData("--help", StartupPlanName.None)]
    [InlineData("predict --help", StartupPlanName.None)]
    [InlineData("--version", StartupPlanName.None)]
    [InlineData("--epochs 0", StartupPlanName.None)]
    [InlineData("--save m.safetensors --no-save", StartupPlanName.None)]
    public void The_plan_follows_the_command_and_never_runs_for_help_or_errors(string args, StartupPlanName expected)
    {
        var parse = CliApp.Build(new CliConsole(TextWriter.Null, TextWriter.Null, interactive: false))
            .Parse(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(expected.ToString(), StartupOverlap.PlanFor(parse).ToString());
    }

    [Theory]
    [InlineData(StartupPlanName.None)]
    [InlineData(StartupPlanName.LoadLibTorch)]
    [InlineData(StartupPlanName.LoadLibTorchAndWarm)]
    public async Task Each_plan_runs_the_real_code_and_completes_successfully(StartupPlanName name)
    {
        var plan = Enum.Parse<StartupPlan>(name.ToString());

        var work = StartupOverlap.Begin(plan);
        if (plan == StartupPlan.None)
        {
            Assert.True(work.IsCompletedSuccessfully, "the empty plan must not start any work");
        }

        // A failure in the work faults the task and is rethrown here; in the program, the main thread would meet it later.
        await work.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(work.IsCompletedSuccessfully, $"{plan}: {work.Status}");
    }

    /// <summary>StartupPlan is internal; the theory's data names its members.</summary>
    public enum StartupPlanName
    {
        None,
        LoadLibTorch,
        LoadLibTorchAndWarm,
    }
}
