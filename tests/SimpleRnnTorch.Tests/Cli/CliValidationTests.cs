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
        { ["--members", "0"], "--members" },
        { ["--members", "65"], "--members" },
        { ["--values-per-step", "0"], "--values-per-step" },
        { ["--values-per-step", "2"], "--values-per-step" }, // the lesson's window of 3
        { ["--time-steps", "6", "--values-per-step", "4"], "--values-per-step" },
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
        { ["--save", "model.onnx"], "--save" },
        { ["--save", ""], "--save" },
        { ["--output", ""], "--output" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_gives_exit_2_and_one_line(string[] args, string option)
    {
        using var temp = new TempFolder();
        var output = temp.File("out");
        var (code, stdout, stderr) = InProcess.Run([.. args, "--output", output]);

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
        var (_, _, stderr) = InProcess.Run(["--validation-split", "1.5"]);
        Assert.Equal("error: --validation-split must be a number in [0, 1), got '1.5'", stderr.Trim());
    }

    [Fact]
    public void Output_that_is_a_file_is_refused_and_left_alone()
    {
        using var temp = new TempFolder();
        var file = temp.File("plots");
        File.WriteAllText(file, "keep me");

        var (code, stdout, stderr) = InProcess.Run(["--epochs", "1", "--output", file]);

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
        var (code, _, stderr) = InProcess.Run(["--epochs", "1", "--output", Path.Combine(temp.File("blocker"), "sub")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--output", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [CpuBuildFact]
    public void Cuda_on_a_cpu_build_says_why_and_how_and_creates_nothing()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = InProcess.Run(["--device", "cuda", "--epochs", "1", "--output", temp.File("out")]);
        var line = Assert.Single(InProcess.Lines(stderr));

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Contains("no CUDA libtorch", line);
        Assert.Contains("-p:TorchBackend=cuda", line);
        Assert.False(Directory.Exists(temp.File("out")), "a refused run creates nothing");
    }

    [Theory]
    [InlineData("")]
    [InlineData("train")]
    [InlineData("predict")]
    [InlineData("bench")]
    [InlineData("gradients")]
    [InlineData("sweep")]
    public void Help_lists_every_option_exactly_with_a_description_and_its_default(string name)
    {
        string[] command = name.Length == 0 ? [] : [name];
        var root = CliApp.Build(new CliConsole(TextWriter.Null, TextWriter.Null, interactive: false));
        System.CommandLine.Command target = command.Length == 0 ? root : root.Subcommands.Single(c => c.Name == command[0]);
        var (code, stdout, _) = InProcess.Run([.. command, "--help"]);
        Assert.Equal(0, code);

        // The option column of the help text, parsed: "  -o, --output <folder>  Folder for ... [default: plots]".
        var rows = stdout.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s+(?:-\w, )?(--[a-z-]+)\b(.*)$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var options = target.Options.Where(o => !o.Name.StartsWith("--help", StringComparison.Ordinal) && o.Name != "--version" && o.Name != "-?").ToList();

        Assert.Equal(options.Select(o => o.Name).Order(), rows.Keys.Where(k => k is not "--help" and not "--version").Order());
        foreach (var option in options)
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Description), option.Name);
            if (option.HasDefaultValue && option.ValueType != typeof(bool))
            {
                var shown = System.Text.RegularExpressions.Regex.Match(rows[option.Name], @"\[default: ([^\]]+)\]");
                Assert.True(shown.Success, $"{option.Name} shows no default");
                var value = option.GetDefaultValue() switch
                {
                    int[] list => string.Join('|', list),
                    double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    var other => other?.ToString(),
                };
                Assert.Equal(value, shown.Groups[1].Value);
            }
        }
    }

    /// <summary>
    /// An option whose value fails its own parse is the one line, even where the command's check of its bound
    /// options would refuse something else: the check never sees a value that did not parse.
    /// </summary>
    [Theory]
    [InlineData(new[] { "bench", "--batch", "x", "--scale-batches", "none" }, "--batch must be an integer in [1, 65536], got 'x'")]
    [InlineData(new[] { "sweep", "--epochs", "0", "--seeds", "none" }, "--epochs must be an integer in [1, 50000], got '0'")]
    [InlineData(new[] { "gradients", "--samples", "0", "--model", "absent.safetensors", "--time-steps", "4" }, "--samples must be an integer in [1, 1000000], got '0'")]
    public void An_option_that_fails_its_own_parse_is_the_only_error(string[] args, string expected)
    {
        var (code, stdout, stderr) = InProcess.Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: {expected}", Assert.Single(InProcess.Lines(stderr)));
        Assert.Equal("", stdout);
    }
}
