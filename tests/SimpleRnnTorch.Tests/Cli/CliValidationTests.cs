using SimpleRnnTorch.Cli;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>Every bad option: exit code 2, one line on stderr naming the option, nothing on stdout, nothing written.</summary>
[Collection(TorchCollection.Name)]
public sealed class CliValidationTests
{
    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["--epochs", "0"], "--epochs" },
        { ["--epochs", "-3"], "--epochs" },
        { ["--epochs", "ten"], "--epochs" },
        { ["--epochs", "1.5"], "--epochs" },
        { ["--batch-size", "0"], "--batch-size" },
        { ["--validation-split", "1"], "--validation-split" },
        { ["--validation-split", "-0.1"], "--validation-split" },
        { ["--validation-split", "NaN"], "--validation-split" },
        { ["--sequences", "2", "--validation-split", "0.6"], "--validation-split" },
        { ["--lr", "0"], "--lr" },
        { ["--lr", "-0.01"], "--lr" },
        { ["--lr", "NaN"], "--lr" },
        { ["--lr", "Infinity"], "--lr" },
        { ["--lr", "abc"], "--lr" },
        { ["--sequences", "1"], "--sequences" },
        { ["--time-steps", "0"], "--time-steps" },
        { ["--hidden", "0"], "--hidden" },
        { ["--threads", "0"], "--threads" },
        { ["--verbose", "3"], "--verbose" },
        { ["--seed", "1e3"], "--seed" },
        { ["--device", "tpu"], "--device" },
        { ["--schedule", "step"], "--schedule" },
        { ["--predict", "50,60"], "--predict" },
        { ["--predict", "50,60,70,80"], "--predict" },
        { ["--predict", "50,sixty,70"], "--predict" },
        { ["--time-steps", "4", "--predict", "50,60,70"], "--predict" },
        { ["--start-min", "100", "--start-max", "100"], "--start-max" },
        { ["--step", "10", "--step-max", "5"], "--step-max" },
        { ["--scale", "0"], "--scale" },
        { ["--cell", "transformer"], "--cell" },
        { ["--init", "xavier"], "--init" },
        { ["--layers", "0"], "--layers" },
        { ["--patience", "-1"], "--patience" },
        { ["--plateau-factor", "1"], "--plateau-factor" },
        { ["--eval-count", "-5"], "--eval-count" },
        { ["--save", "a.safetensors", "--no-save"], "--save" },
        { ["--save", "model.pt"], "--save" },
        { ["--save", ""], "--save" },
        { ["--output", ""], "--output" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_gives_exit_2_and_one_line(string[] args, string option)
    {
        using var temp = new TempFolder();
        var output = temp.File("out");
        var (code, stdout, stderr) = Run([.. args, "--output", output]);

        Assert.Equal(ExitCodes.Usage, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The option at fault comes first (or quoted, in System.CommandLine's own arity messages).
        Assert.Matches($@"^error: (Option ')?{System.Text.RegularExpressions.Regex.Escape(option)}['\s]", line);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output), "nothing may be written for a bad option");
    }

    [Fact]
    public void Range_is_named_in_the_message()
    {
        var (_, _, stderr) = Run(["--validation-split", "1.5"]);
        Assert.Equal("error: --validation-split must be a number in [0, 1), got '1.5'", stderr.Trim());
    }

    [Fact]
    public void Output_that_is_a_file_is_refused_and_left_alone()
    {
        using var temp = new TempFolder();
        var file = temp.File("plots");
        File.WriteAllText(file, "keep me");

        var (code, stdout, stderr) = Run(["--epochs", "1", "--output", file]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("is a file, not a folder", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void Output_below_a_file_is_not_writable()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("blocker"), "x");
        var (code, _, stderr) = Run(["--epochs", "1", "--output", Path.Combine(temp.File("blocker"), "sub")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--output", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Cuda_without_cuda_says_why_and_how()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = Run(["--device", "cuda", "--epochs", "1", "--output", temp.File("out")]);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        if (DeviceChoice.BuildBackend == "cpu")
        {
            Assert.Equal(ExitCodes.Unavailable, code);
            Assert.Contains("no CUDA libtorch", line);
            Assert.Contains("-p:TorchBackend=cuda", line);
            Assert.False(Directory.Exists(temp.File("out")), "a refused run creates nothing");
        }
        else
        {
            // A CUDA build on a machine without a usable GPU.
            Assert.True(TorchSharp.torch.cuda.is_available() || (code == ExitCodes.Unavailable && line.Contains("no CUDA GPU")), line);
        }
    }

    [Fact]
    public void Help_lists_every_option_with_its_default()
    {
        var (code, stdout, _) = Run(["--help"]);
        Assert.Equal(0, code);
        foreach (var option in new TrainOptions().All)
        {
            Assert.Contains(option.Name, stdout);
            Assert.False(string.IsNullOrWhiteSpace(option.Description), option.Name);
        }

        Assert.Contains("[default: 0.2]", stdout);
        Assert.Contains("[default: 42]", stdout);
    }

    private static (int Code, string Stdout, string Stderr) Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, new CliConsole(stdout, stderr, interactive: false));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
