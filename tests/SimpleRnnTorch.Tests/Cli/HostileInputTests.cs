using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Prediction;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// What a user types may not cost memory, data or a stack trace: inputs that never end, huge lines, values
/// beyond float32, binary bytes, output paths onto the run's own files. Each one is refused with exit 2 and
/// one short, printable line, and creates nothing. The slow ones (a real /dev/zero read, a 20 MB line, 100
/// million values on stdin, kills) are in scripts/hostile.sh.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class HostileInputTests(TrainedModelFixture trained) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Runs the command and returns its one line of stderr, after checking exit 2 and that the line is short and printable.</summary>
    private static string Refused(string[] args, string stdin = "")
    {
        var (code, stdout, stderr) = InProcess.Run(args, stdin);
        Assert.True(code == 2, $"exit {code}: {stderr}");
        Assert.Equal("", stdout);
        var line = Assert.Single(InProcess.Lines(stderr));
        Assert.StartsWith("error: ", line);
        Assert.True(line.Length < 400, $"{line.Length} characters: {line[..Math.Min(line.Length, 400)]}");
        Assert.DoesNotContain(line, c => char.IsControl(c));
        return line;
    }

    [LinuxTheory]
    [InlineData("predict")]
    [InlineData("export")]
    public void A_device_as_the_model_is_refused_before_it_is_read(string command)
    {
        var line = Refused(command == "predict" ? ["predict", "-m", "/dev/zero", "1,2,3"] : ["export", "-m", "/dev/zero", "-o", temp.File("x.onnx")]);

        Assert.Equal("error: '/dev/zero' is a character device, not a regular file", line);
        Assert.False(File.Exists(temp.File("x.onnx")));
    }

    [LinuxTheory]
    [Trait("Category", "Integration")] // mkfifo is a child process
    [InlineData("model.safetensors")]
    [InlineData("model.onnx")]
    public void A_fifo_as_the_model_is_refused_without_blocking(string name)
    {
        var fifo = temp.File(name);
        Assert.Equal(0, ProcessRunner.Run("mkfifo", [fifo]).ExitCode);

        Assert.Equal($"error: '{fifo}' is a FIFO (a named pipe), not a regular file", Refused(["predict", "-m", fifo, "1,2,3"]));
    }

    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("model.onnx")]
    public void A_model_file_past_the_bound_is_refused_by_its_size(string name)
    {
        var path = temp.File(name);
        using (var stream = File.Create(path))
        {
            stream.SetLength(Inference.InputFileCheck.MaxModelBytes + 1); // sparse: costs no disk
        }

        Assert.Equal($"error: '{path}' is 512 MiB, more than the 512 MiB a model file may be", Refused(["predict", "-m", path, "1,2,3"]));
    }

    [LinuxFact]
    public void A_device_or_a_fifo_as_the_input_file_is_refused()
    {
        Assert.Equal("error: --file '/dev/zero' is a character device, not a regular file; give '-' to read standard input",
            Refused(["predict", "-m", trained.ModelPath, "--file", "/dev/zero"]));
    }

    [Fact]
    public void A_line_past_the_bound_is_refused_after_reading_the_bound_only()
    {
        var file = temp.File("long.txt");
        File.WriteAllText(file, "1,2,3\n" + string.Join(',', Enumerable.Repeat("12.5", (SequenceLines.MaxLineChars / 5) + 10)) + "\n");

        var line = Refused(["predict", "-m", trained.ModelPath, "--file", file]);
        Assert.Equal($"error: predict: {file} line 2 is longer than 640,000 characters, the longest sequence a model reads; it starts '12.5,12.5,12.5,12.5,12.5,12.5,12.5,12.5,…'", line);

        // Standard input, and a line with no line end at all.
        var fromStdin = Refused(["predict", "-m", trained.ModelPath, "--file", "-"], new string('7', SequenceLines.MaxLineChars + 1));
        Assert.StartsWith("error: predict: stdin line 1 is longer than 640,000 characters", fromStdin);
    }

    [Fact]
    public void A_line_at_the_bound_is_read()
    {
        var values = Enumerable.Repeat("10", 3).ToList();
        var padded = string.Join(',', values).PadRight(SequenceLines.MaxLineChars); // trailing spaces are trimmed
        var (code, stdout, stderr) = InProcess.Run(["predict", "-m", trained.ModelPath, "--file", "-"], padded + "\r\n20,30,40");

        Assert.True(code == 0, stderr);
        Assert.Equal(2, InProcess.Lines(stdout).Length);
    }

    [Theory]
    [InlineData("1e39,1,1")]
    [InlineData("1,-4e38,1")]
    [InlineData("1,1,-1e400")]
    public void Values_beyond_float32_are_refused(string sequence)
    {
        Assert.Contains("beyond float32's range (±3.4e38)", Refused(["predict", "-m", trained.ModelPath, sequence]));
        Assert.Contains("beyond float32's range", Refused(["predict", "-m", trained.ModelPath, "--file", "-"], $"1,2,3\n{sequence}\n"));
        Assert.Contains("beyond float32's range", Refused(["--predict", sequence, "-o", temp.File("out")]));
        Assert.False(Directory.Exists(temp.File("out")));
    }

    [Fact]
    public void Largest_float32_values_are_accepted()
    {
        var (code, _, stderr) = InProcess.Run(["predict", "-m", trained.ModelPath, "3.4e38,-3.4e38,0"]);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void Binary_bytes_and_newlines_are_escaped_and_cut()
    {
        var file = temp.File("binary.txt");
        File.WriteAllBytes(file, [0x31, 0x2C, 0x00, 0x1B, (byte)'[', (byte)'3', (byte)'1', (byte)'m', 0xFF, 0xFE, .. Enumerable.Repeat((byte)'x', 500), (byte)'\n']);

        var line = Refused(["predict", "-m", trained.ModelPath, "--file", file]);
        Assert.Equal($"error: predict: {file} line 1 '1,\\x00\\x1b[31m\\uFFFD\\uFFFDxxxxxxxxxxxxxx…' is not a sequence of numbers such as 50,60,70", line);

        var argument = Refused(["predict", "-m", trained.ModelPath, "1,2\nrm -rf,3"]);
        Assert.Equal("error: predict: argument 1 '1,2\\nrm -rf,3' is not a sequence of numbers such as 50,60,70", argument);
    }

    [Fact]
    public void A_wrong_length_names_a_few_values_not_all()
    {
        var line = Refused(["predict", "-m", trained.ModelPath, string.Join(',', Enumerable.Range(1, 5000))]);
        Assert.Equal("error: predict: argument 1 [1 2 3 4 5 6 7 8 …] has 5000 values; the model was trained on sequences of 3", line);
    }

    [Theory]
    [InlineData("history.csv", "is history.csv")]
    [InlineData("loss.png", "is loss.png")]
    [InlineData("predictions.png", "is predictions.png")]
    [InlineData("forecast.png", "is forecast.png (a previous run's, which this run removes)")]
    [InlineData(".simplernntorch.lock", "is the folder's lock file")]
    public void Save_onto_a_file_of_the_run_is_refused_and_creates_nothing(string name, string why)
    {
        var output = temp.File("out");
        var save = Path.Combine(output, name);

        var line = Refused(["-o", output, "--save", save]);
        Assert.Equal($"error: --save '{save}' {why}, a file this run writes or removes; give another name, such as {RunFiles.ModelFileName}", line);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Data_onto_a_file_of_the_run_and_save_onto_the_data_are_refused()
    {
        var output = temp.File("out");
        Directory.CreateDirectory(output);
        foreach (var name in new[] { "model.onnx", "model.pt", "model.safetensors", "predictions.png", "history.csv" })
        {
            var data = Path.Combine(output, name);
            File.WriteAllText(data, "value\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
            var before = File.ReadAllBytes(data);

            var line = Refused(["-o", output, "--data", data]);
            Assert.StartsWith($"error: --data '{data}' is ", line);
            Assert.EndsWith(", a file this run writes or removes; copy the data elsewhere or choose another --output", line);
            Assert.Equal(before, File.ReadAllBytes(data));
        }

        var csv = temp.File("series.csv");
        File.WriteAllText(csv, "value\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
        Assert.Equal($"error: --data '{csv}' is --save, a file this run writes or removes; copy the data elsewhere or choose another --save",
            Refused(["-o", output, "--data", csv, "--save", csv])); // the --save given, not the folder, is what to change
    }

    [Fact]
    public void A_save_whose_export_lands_on_a_run_file_is_refused()
    {
        var output = temp.File("out");
        // --save out/history has its .onnx export at out/history.onnx: fine; out/loss has out/loss.pt: fine.
        Assert.Null(new RunFiles(output, Path.Combine(output, "history"), []).Clash());
        // A model saved as out/loss.png.safetensors is fine too; one saved as out/model (no extension) exports beside itself.
        Assert.Null(new RunFiles(output, Path.Combine(output, "model"), []).Clash());
        Assert.Contains("is history.csv", new RunFiles(output, Path.Combine(output, "history.csv"), []).Clash());
    }

    [Theory]
    [InlineData("sweep")]
    [InlineData("gradients")]
    public void An_output_folder_inside_a_file_is_refused_at_parse_time(string command)
    {
        var file = temp.File("model.pt");
        File.WriteAllText(file, "not a folder");

        Assert.Equal($"error: --output '{file}/x' is not a writable folder: '{file}' is a file", Refused([command, "-o", file + "/x"]));
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Theory]
    [InlineData(new[] { "--hidden", "100000" }, "--hidden 100000, --layers 1 (rnn), --time-steps 3, --sequences 1000, --batch-size 32 makes a model of 10,000,400,001 parameters; the most this program trains is 67,108,864")]
    [InlineData(new[] { "--hidden", "3000", "--layers", "100", "--cell", "lstm" }, "makes a model of 7,166,415,001 parameters")]
    [InlineData(new[] { "--sequences", "50000000", "--time-steps", "10000" }, "--sequences 50000000, --batch-size 32 would need about 7.3 TiB of memory to train; this machine's budget is ")] // the validation set counts one chunk
    [InlineData(new[] { "--sequences", "50000000", "--batch-size", "50000000", "--time-steps", "500", "--hidden", "64" }, "of memory to train; this machine's budget is ")]
    [InlineData(new[] { "gradients", "--hidden", "100000" }, "--hidden 100000, --layers 1 (rnn), --time-steps 50, --sequences 8000, --batch-size 64 makes a model of")]
    [InlineData(new[] { "sweep", "--time-steps", "10000", "--sequences", "50000000" }, "--time-steps 10000, --sequences 50000000, --batch-size 64 would need about")]
    [InlineData(new[] { "bench", "--hidden", "100000" }, "--hidden 100000 (rnn), --time-steps 3, --batch 32 makes a model of")]
    public void A_run_past_what_the_machine_can_allocate_is_refused_with_the_limit(string[] args, string expected)
    {
        var output = temp.File("out");
        var line = Refused([.. args, .. args[0] == "bench" ? Array.Empty<string>() : ["-o", output]]);

        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void The_budget_counts_what_grows_with_each_option()
    {
        var small = new TrainingShape(new ModelSpec(), 1000, 3, 32, 200);
        var baseline = ResourceBudget.EstimateBytes(small);
        Assert.True(baseline < 1 << 20, $"{baseline} bytes for the lesson");
        Assert.True(ResourceBudget.EstimateBytes(small with { Sequences = 1_000_000 }) > 100 * baseline);
        Assert.True(ResourceBudget.EstimateBytes(small with { TimeSteps = 3000 }) > 100 * baseline);
        Assert.True(ResourceBudget.EstimateBytes(small with { Model = new ModelSpec(HiddenSize: 5000) }) > 100 * baseline);
        Assert.True(ResourceBudget.EstimateBytes(small with { BatchSize = 1_000_000 }) > 100 * baseline);
        Assert.Null(ResourceBudget.Problem(small, "the lesson"));

        // The validation set is evaluated in chunks: past one chunk, its size no longer adds activations.
        var chunk = SimpleRnnTorch.Evaluation.ChunkedForward.RowsPerChunk(small.Model, small.TimeSteps);
        Assert.True(ResourceBudget.EstimateBytes(small with { ValidationCount = chunk }) > ResourceBudget.EstimateBytes(small with { ValidationCount = chunk / 2 }));
        Assert.Equal(ResourceBudget.EstimateBytes(small with { ValidationCount = chunk }), ResourceBudget.EstimateBytes(small with { ValidationCount = 50 * chunk }));
    }

    [LinuxFact]
    public void A_series_file_must_be_a_regular_file_of_bounded_lines()
    {
        Assert.Equal("error: --data '/dev/zero' is a character device, not a regular file", Refused(["--data", "/dev/zero", "-o", temp.File("out")]));

        var csv = temp.File("long.csv");
        File.WriteAllText(csv, "value\n1\n2\n" + new string('9', (int)SeriesFile.MaxLineBytes + 1) + "\n4\n");
        Assert.Equal($"error: --data '{csv}' line 4 is longer than 1 MiB, the longest line read", Refused(["--data", csv, "-o", temp.File("out")]));
        Assert.False(Directory.Exists(temp.File("out")));
    }

    /// <summary>Inputs a series file could be silently changed by: each refused, naming the real problem, before any folder exists.</summary>
    [Theory]
    [InlineData("year,value\n1900,1e-300\n1901,2\n", "", "line 2: value holds 1e-300, too small for float32")]
    [InlineData("year,value\n1900,1e300\n1901,2\n", "", "line 2: value holds 1e300, beyond float32's range")]
    [InlineData("value\n1e300\n2\n", "", "line 2: value holds 1e300, beyond float32's range")]
    [InlineData("value\n5\n-1e39\n", "", "line 3: value holds -1e39, beyond float32's range")]
    [InlineData("value,value\n1,2\n3,4\n", "", "the column read by default is one of 2 columns named 'value'")]
    [InlineData("value,value\n1,2\n3,4\n", "--column value", "error: --column 'value' is ambiguous")]
    [InlineData("value\nNA\n\nNA\n", "--fill linear", "value has no values, only missing ones")]
    [InlineData("quarter,value\n1945Q1,\n1945Q2,5\n", "--time-column quarter", "line 2: value is missing (an empty cell); give --fill linear")]
    [InlineData("Datum;Wert\n01.01.2015;100,00\n02.01.2015;104,51\n", "", "line 2 holds '100,00', a number written with a comma (a decimal comma or a thousands separator): numbers are read with '.' as the decimal point and no separators (12.5, 2000), so save the file that way")]
    [InlineData("Datum;Wert\n01.01.2015;100,00\n02.01.2015;104,51\n", "--column Wert", "line 2: Wert holds '100,00', not a number (numbers are read with '.' as the decimal point, e.g. 12.5 or 1e3); save the file with '.' decimals and no separators")]
    [InlineData("Jahr;Wert\n1950;100,00\n1951;104,51\n", "", "line 2 holds '100,00', a number written with a comma")] // not the years as the series
    [InlineData("Datum;Wert\n01.01.2015;2.000,0\n02.01.2015;2.104,5\n", "", "line 2 holds '2.000,0', a number written with a comma")]
    [InlineData("date,value\n2015-01-01,\"2,000\"\n2015-01-02,\"2,104\"\n", "", "line 2 holds '2,000', a number written with a comma (a decimal comma or a thousands separator)")]
    [InlineData("date,value\n2010-01,$100\n2010-02,$101\n", "--time-column date --column value", "line 2: value holds '$100', not a number (numbers are read with '.' as the decimal point, e.g. 12.5 or 1e3); save the column as plain numbers, without units or spaces")] // not "it has no header"
    [InlineData("date,rate\n2010-01,1.5%\n2010-02,1.6%\n", "--time-column date --column rate", "line 2: rate holds '1.5%', not a number")]
    [InlineData("date,value\n2010-01,100 000\n2010-02,100 500\n", "--time-column date", "line 2 has no numeric column")]
    [InlineData("2010-01,5%\n2010-02,6%\n", "--column 1", "line 1: column 1 holds '5%', not a number")] // no header: the first row stays data
    public void Series_values_and_columns_are_refused_rather_than_changed(string text, string options, string expected)
    {
        var csv = temp.File($"series-{Guid.NewGuid():N}.csv");
        File.WriteAllText(csv, text);
        var line = Refused(["--data", csv, .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), "-o", temp.File("out")]);
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(temp.File("out")));
    }

    /// <summary>
    /// Values float32 holds, but too large or too finely spread for the model to compute in it: refused as data (exit 2),
    /// not a training failure that blames the rate, a run that fails after training, or a saved model `predict` refuses.
    /// </summary>
    [Fact]
    public void A_series_too_large_or_too_fine_for_float32_is_refused_before_training()
    {
        var csv = temp.File("wide-apart.csv");
        File.WriteAllText(csv, "value\n" + string.Concat(Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? "-2.5e38\n" : "2.5e38\n")));
        Assert.Equal($"error: value in '{csv}' reaches 2.5e38 in size: above 1e30 its changes and its forecast near float32's 3.4E+38, in which the model computes; divide the column by a power of ten (the forecast comes back divided by the same)",
            Refused(["--data", csv, "-o", temp.File("out")]));

        // Near float32's largest and rising: the forecast would overflow after training.
        File.WriteAllText(csv, "value\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{3.3e38 + (i * 1e35):R}\n")));
        Assert.StartsWith($"error: value in '{csv}' reaches 3.3", Refused(["--data", csv, "-o", temp.File("out")]));

        // Changes of 1e-39: a divisor float32 holds only as a subnormal.
        File.WriteAllText(csv, "value\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{1.4e-38 + ((i % 3) * 1e-39):R}\n")));
        Assert.Contains("changes by too little for float32: its windows' spread is", Refused(["--data", csv, "-o", temp.File("out")]));
        Assert.False(Directory.Exists(temp.File("out")));

        // Far apart, yet within the bound: trained as any series.
        File.WriteAllText(csv, "value\n" + string.Concat(Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? "-1e29\n" : "1e29\n")));
        var (code, _, stderr) = InProcess.Run(["--data", csv, "--epochs", "1", "-v", "0", "--no-save", "-o", temp.File("out2")]);
        Assert.True(code == 0, stderr);
    }

    /// <summary>A number written with a comma left of the column read (a product code) is not the default column's business: read as before.</summary>
    [Fact]
    public void A_comma_number_left_of_the_values_does_not_refuse_the_file()
    {
        var csv = temp.File("codes.csv");
        File.WriteAllText(csv, "code;value\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"10,{i % 10};{100 + (i % 7)}\n")));
        var (code, _, stderr) = InProcess.Run(["--data", csv, "--epochs", "1", "-v", "0", "--no-save", "-o", temp.File("codes-out")]);
        Assert.True(code == 0, stderr);

        // Commas between thousands right of it (a population beside the cases) are not a file of decimal commas either.
        File.WriteAllText(csv, "date,cases,population\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{100 + (i % 7)},\"5,150,233\"\n")));
        (code, _, stderr) = InProcess.Run(["--data", csv, "--time-column", "date", "--epochs", "1", "-v", "0", "--no-save", "-o", temp.File("county-out")]);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void A_horizon_past_the_series_and_an_overlong_output_path_are_one_line()
    {
        var csv = temp.File("series.csv");
        File.WriteAllText(csv, "value\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"{i % 17}\n")));
        Assert.Equal($"error: --horizon 100000 is longer than --data '{csv}' (120 values of value); forecast at most as many values as the series has",
            Refused(["--data", csv, "--horizon", "100000", "-o", temp.File("out")]));
        Assert.False(Directory.Exists(temp.File("out")));

        var name = temp.File(new string('a', 10_000));
        var line = Refused(["--epochs", "1", "-o", name]);
        Assert.EndsWith("…' is too long: a name in it has 10,000 bytes; a file system takes at most 255", line);
        var deep = temp.File(string.Join('/', Enumerable.Repeat(new string('b', 200), 30)));
        Assert.EndsWith($"…' is too long: {System.Text.Encoding.UTF8.GetByteCount(deep):N0} bytes; a path may have at most 4,095", Refused(["sweep", "-o", deep]));
    }

    [Fact]
    public void A_series_cell_is_shown_escaped_and_short()
    {
        var csv = temp.File("bad.csv");
        File.WriteAllText(csv, "value\n1\n2\n\"3\nrm -rf /\u001b[2J" + new string('x', 500) + "\"\n");

        var line = Refused(["--data", csv, "-o", temp.File("out")]);
        Assert.Contains("holds '3\\nrm -rf /\\x1b[2Jxxxxxxxxxxxxxxxxxxxxxx…', not a number", line);
    }

    [Fact]
    public void Export_to_a_name_too_long_names_the_users_path_in_short()
    {
        var output = temp.File(new string('a', 5000) + ".onnx");

        // A write that fails is an I/O failure (exit 1), not bad input; still one short line.
        var (code, stdout, stderr) = InProcess.Run(["export", "-m", trained.ModelPath, "-o", output]);
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Equal("", stdout);
        var line = Assert.Single(InProcess.Lines(stderr));
        Assert.True(line.Length < 400, line);
        Assert.StartsWith($"error: '{temp.Path}/aaaa", line);
        Assert.EndsWith("…' cannot be written: the name is too long", line);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }
}
