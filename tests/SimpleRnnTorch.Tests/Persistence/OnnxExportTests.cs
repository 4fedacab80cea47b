using System.Text.Json;
using Onnx;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Scaling;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>
/// The ONNX export run by ONNX Runtime (through SimpleRnnTorch.Inference) predicts what libtorch predicts,
/// for every cell, depth and width, on sequences well beyond the training range.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OnnxExportTests(TrainedModelFixture trained, ITestOutputHelper log) : IClassFixture<TrainedModelFixture>
{
    /// <summary>Largest difference allowed between the two runtimes, in original units.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>Every cell, depth and width as one network; ensembles of three of every cell and depth.</summary>
    public static TheoryData<string, int, int, int> Architectures
    {
        get
        {
            var data = new TheoryData<string, int, int, int>();
            foreach (var cell in new[] { "rnn", "lstm", "gru" })
            {
                foreach (var layers in new[] { 1, 2 })
                {
                    foreach (var hidden in new[] { 5, 16 })
                    {
                        data.Add(cell, layers, hidden, 1);
                    }

                    data.Add(cell, layers, 5, 3);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Onnx_runtime_predicts_what_libtorch_predicts(string cell, int layers, int hidden, int members)
    {
        var spec = new ModelSpec(HiddenSize: hidden, Layers: layers, Cell: Enum.Parse<CellKind>(cell, ignoreCase: true), Members: members);
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 7 }, spec);
        var sequences = CrossCheckSequences(run.Job.Source.TimeSteps);
        using var temp = new TempFolder();
        var path = temp.File("model.onnx");
        OnnxExport.Save(path, run.Model, run.Manifest);

        var libtorch = Predictor.Predict(run.Model, run.Scaler, sequences, CPU);
        double[] onnx;
        using (var model = SequenceModel.Load(path))
        {
            onnx = model.Predict(sequences);
        }

        // Both runtimes compute in float32, in different orders. Far outside the training range a briefly
        // trained model can amplify rounding beyond 1e-4 (rnn, 2 layers, 16 hidden: libtorch itself is
        // 1.6e-4 from the exact answer near starts of 600). Such a case is judged against libtorch's own
        // rounding error, measured with the same weights in float64: two float32 evaluations that are
        // each within E of the exact value are within 2E of each other. A wrong gate order, bias or
        // formula is off by whole units, never by this.
        var ownError = libtorch.Zip(PredictInFloat64(run, sequences)).Max(p => Math.Abs(p.First - p.Second));
        var allowed = Math.Max(Tolerance, 2 * ownError);
        var difference = libtorch.Zip(onnx).Max(p => Math.Abs(p.First - p.Second));

        log.WriteLine($"{cell} layers {layers} hidden {hidden}: largest |onnx - libtorch| = {difference:E3} over {sequences.Count} sequences " +
                      $"(libtorch float32 vs float64: {ownError:E3}; allowed {allowed:E3})");
        Assert.All(onnx, v => Assert.True(double.IsFinite(v)));
        Assert.True(difference <= allowed, $"{cell}, {layers} layer(s), {hidden} hidden: ONNX Runtime differs from libtorch by {difference:E3} (allowed {allowed:E3})");
    }

    /// <summary>
    /// A series model is standardised, (x − offset) / divisor: the graph centres and scales its input and
    /// undoes both on its output, so the ONNX file predicts sunspot numbers, not z-scores.
    /// </summary>
    [Fact]
    public void A_series_model_carries_its_relative_scaling_into_the_graph()
    {
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Source = new SeriesData(new SeriesSettings(Path.Combine(TestPaths.RepoRoot, "data", "sunspots.csv"), Horizon: 2), Window: 3),
            Training = new TrainingConfig { Epochs = 2, Seed = 3 },
        });
        Assert.True(run.Scaler.RelativeToLast);
        using var temp = new TempFolder();
        var path = temp.File("series.onnx");
        OnnxExport.Save(path, run.Model, run.Manifest);
        double[][] sequences = [[10, 40, 90], [150, 120, 80], [0, 0, 0], [5, 30, 160]];

        var libtorch = Predictor.Predict(run.Model, run.Scaler, sequences, CPU);
        using var model = SequenceModel.Load(path);
        var onnx = model.Predict(sequences);

        Assert.Equal(OnnxModelInfo.DifferenceScaling, model.Info.Scaling); // sunspots has zeros: no ratio
        Assert.Equal(run.Scaler.Divisor, model.Info.ScaleDivisor, 12);
        var worst = libtorch.Zip(onnx, (a, b) => Math.Abs(a - b)).Max();
        log.WriteLine($"series model: largest |onnx - libtorch| {worst:e2}");
        Assert.True(worst <= Tolerance, $"largest difference {worst:e2}");
    }

    /// <summary>
    /// The forecast and the interval a series run prints are what its ONNX export gives through
    /// SequenceModel.Forecast (what `predict`'s library and the service's /forecast call), floor included: sunspots
    /// are never negative, and a barely trained model forecasts below 0 somewhere in ten steps of a minimum.
    /// </summary>
    [Theory]
    [InlineData(1, 1, "Rnn")]
    [InlineData(TrainJob.SeriesMembers, 1, "Rnn")]
    [InlineData(TrainJob.SeriesMembers, 2, "Gru")] // three steps of two values: the graph's Reshape
    [InlineData(1, 3, "Lstm")]
    public void The_exported_forecast_and_interval_are_the_ones_the_run_printed(int members, int valuesPerStep, string cell)
    {
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Source = new SeriesData(new SeriesSettings(Path.Combine(TestPaths.RepoRoot, "data", "sunspots.csv"), Horizon: 10), Window: 6),
            Model = new ModelSpec(Members: members, Cell: Enum.Parse<CellKind>(cell)),
            ValuesPerStep = valuesPerStep,
            Training = new TrainingConfig { Epochs = 3, Seed = 5 },
        });
        Assert.Equal(valuesPerStep, run.Model.Spec.ValuesPerStep);
        using var temp = new TempFolder();
        var path = temp.File("series.onnx");
        OnnxExport.Save(path, run.Model, run.Manifest);
        var printed = run.Series!;
        var values = printed.Series.Values.Select(v => (double)v).ToArray();

        using var model = SequenceModel.Load(path);
        var onnx = model.Forecast(values, 10);

        Assert.Equal(0, run.Scaler.Floor);
        Assert.Equal(0, model.Info.Forecast!.Floor);
        Assert.All(printed.Lower, v => Assert.True(v >= 0));
        Assert.True(members > 1 || valuesPerStep > 1 || printed.Lower.Contains(0.0)); // the floor is exercised, not only present
        for (var h = 0; h < 10; h++)
        {
            var scale = Math.Max(1, Math.Abs(printed.Forecast[h]));
            Assert.Equal(printed.Forecast[h], onnx.Point[h], 1e-3 * scale);
            Assert.Equal(printed.Lower[h], onnx.Lower[h], 1e-3 * scale);
            Assert.Equal(printed.Upper[h], onnx.Upper[h], 1e-3 * scale);
        }

        // Offsets in the series' units (tens of sunspots) vanish beside values of 1e20: refused, not an interval of no width.
        var error = Assert.Throws<ForecastException>(() => model.Forecast([.. Enumerable.Range(0, 40).Select(i => 1e20 * (1 + (0.01 * (i % 3))))], 10));
        Assert.Contains("has no width around", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A seasonal scaling's graph takes the value a season back as the output's base, as libtorch does.</summary>
    [Fact]
    public void A_seasonal_model_predicts_in_onnx_what_it_predicts_in_libtorch()
    {
        using var run = TrainingPipeline.Run(new TrainJob
        {
            Source = new SeriesData(new SeriesSettings(Path.Combine(TestPaths.RepoRoot, "data", "elec_equip.csv"), TimeColumn: "month", Scaling: ScalingKind.Seasonal)),
            Training = new TrainingConfig { Epochs = 2, Seed = 5 },
        });
        Assert.Equal((ScalingKind.Seasonal, 12), (run.Scaler.Kind, run.Scaler.Lag));
        using var temp = new TempFolder();
        var path = temp.File("seasonal.onnx");
        OnnxExport.Save(path, run.Model, run.Manifest);
        var values = run.Series!.Series.Values.Select(v => (double)v).ToArray();
        double[][] windows = [.. Enumerable.Range(0, 6).Select(k => values[(k * 30)..((k * 30) + 12)])];

        var libtorch = Predictor.Predict(run.Model, run.Scaler, windows, CPU);
        using var model = SequenceModel.Load(path);
        var onnx = model.Predict(windows);

        Assert.Equal(OnnxModelInfo.SeasonalScaling, model.Info.Scaling);
        var worst = libtorch.Zip(onnx, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(a))).Max();
        Assert.True(worst <= Tolerance, $"largest relative difference {worst:e2}");
        var (loaded, manifest) = ModelFile.Deserialize(ModelFile.Serialize(run.Model, run.Manifest), CPU);
        loaded.Dispose();
        Assert.Equal(run.Scaler with { TargetBound = double.PositiveInfinity }, manifest.Scaler); // the lag round-trips in the manifest (the training-only bound is not saved)
    }

    [Fact]
    public void Metadata_round_trips_and_the_graph_takes_any_batch()
    {
        // Not the defaults: another T, divisor and architecture must reach the metadata as they are.
        var job = new TrainJob
        {
            Source = new LessonData(new SequenceSpec(Count: 400, TimeSteps: 4, Step: 5, StartMin: 10, StartMax: 60), Divisor: 50),
            Model = new ModelSpec(HiddenSize: 7, Layers: 2, Cell: CellKind.Gru),
            Training = new TrainingConfig { Epochs = 2, Seed = 3 },
        };
        using var run = TrainingPipeline.Run(job);
        using var temp = new TempFolder();
        var path = temp.File("model.onnx");

        OnnxExport.Save(path, run.Model, run.Manifest);

        using (var model = SequenceModel.Load(path))
        {
            // The scaling is written once, in the metadata keys, which the graph computes with; the manifest's copy is left out.
            var withoutScaling = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(run.Manifest, ModelFile.Json)!;
            Assert.All(OnnxExport.ScalingKeys, key => Assert.True(withoutScaling.Remove(key) || (key == "scale_floor" && run.Manifest.ScaleFloor is null), key));
            Assert.Matches("^[0-9a-f]{64}$", model.Info.GraphSha256);
            Assert.Equal(new OnnxModelInfo(4, 1, "gru", 7, 2, 50, withoutScaling.ToJsonString()) { GraphSha256 = model.Info.GraphSha256 }, model.Info);
            var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph;
            Assert.Equal(50f, Assert.Single(graph.Initializer, t => t.Name == "scale_divisor").FloatData.Single());
            var manifest = JsonSerializer.Deserialize<ModelManifest>(model.Info.Manifest, ModelFile.Json)!;
            Assert.Equal(run.Manifest.Model, manifest.Model);
            Assert.Equal(run.Manifest.Data, manifest.Data);
            Assert.Equal(run.Manifest.History, manifest.History);

            // One sequence, then seven: the same graph serves both.
            double[][] batch = [.. Enumerable.Range(0, 7).Select(i => new double[] { 10 + i, 15 + i, 20 + i, 25 + i })];
            var expected = Predictor.Predict(run.Model, run.Scaler, batch, CPU);
            Assert.Equal(expected[0], model.Predict(batch[0]), Tolerance);
            Assert.All(model.Predict(batch).Zip(expected), p => Assert.Equal(p.Second, p.First, Tolerance));
        }

        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(OnnxExport.IrVersion, proto.IrVersion);
        Assert.Equal(OnnxExport.OpsetVersion, Assert.Single(proto.OpsetImport).Version);
        Assert.Equal("SimpleRnnTorch", proto.ProducerName);
        var input = Assert.Single(proto.Graph.Input);
        Assert.Equal(OnnxModelInfo.InputName, input.Name);
        var dims = input.Type.TensorType.Shape.Dim;
        Assert.Equal(OnnxExport.BatchDimension, dims[0].DimParam);
        Assert.Equal([4L, 1L], dims.Skip(1).Select(d => d.DimValue));
        var output = Assert.Single(proto.Graph.Output);
        Assert.Equal(OnnxModelInfo.OutputName, output.Name);
        Assert.Equal(OnnxExport.BatchDimension, output.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(["Div", "Transpose", "GRU", "Squeeze", "GRU", "Squeeze", "Gemm", "Mul"], proto.Graph.Node.Select(n => n.OpType));
        Assert.All(proto.Graph.Node.Where(n => n.OpType == "GRU"),
            n => Assert.Equal(1, n.Attribute.Single(a => a.Name == "linear_before_reset").I));
    }

    [Theory]
    [InlineData("Lstm", new[] { 0, 3, 1, 2 })] // PyTorch i,f,g,o -> ONNX i,o,f,c
    [InlineData("Gru", new[] { 1, 0, 2 })]     // PyTorch r,z,n -> ONNX z,r,h
    [InlineData("Rnn", new[] { 0 })]
    public void Gate_blocks_move_to_onnx_order(string cell, int[] order)
    {
        Assert.Equal(order, OnnxExport.GateOrder(Enum.Parse<CellKind>(cell)));
        Assert.Equal([3f, 4f, 1f, 2f, 5f, 6f], OnnxExport.Reorder([1, 2, 3, 4, 5, 6], [1, 0, 2], blockSize: 2));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void Export_command_with_default_paths_writes_model_onnx_beside_the_model()
    {
        using var temp = new TempFolder();
        var plots = Path.Combine(temp.Path, ArtifactPlan.DefaultFolder);
        ModelFile.Save(ArtifactPlan.DefaultModelPath(plots), trained.Model, trained.Manifest);

        // A new process, so that the default relative paths resolve in the temporary folder.
        var result = ProcessRunner.RunApp(["export"], temp.Path);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        var model = Path.Combine(ArtifactPlan.DefaultFolder, RunFiles.ModelFileName);
        var output = Path.Combine(ArtifactPlan.DefaultFolder, "model.onnx");
        Assert.Equal($"Exported {model} -> {output} (rnn, hidden 5, layers 1, 3 time steps)", result.Stdout.TrimEnd('\n'));
        using var exported = SequenceModel.Load(Path.Combine(temp.Path, output));
        Assert.Equal(Predictor.Predict(trained.Model, trained.Manifest.Scaler, [[50, 60, 70]], CPU)[0], exported.Predict([50, 60, 70]), Tolerance);
    }

    [Fact]
    public void Export_command_writes_where_told_and_replaces_an_older_export()
    {
        using var temp = new TempFolder();
        var output = temp.File("deeper/exported.onnx");
        Directory.CreateDirectory(temp.File("deeper"));
        Assert.Equal(0, InProcess.Run(["export", "--model", trained.ModelPath, "--output", output]).Code); // the older export
        var older = File.GetLastWriteTimeUtc(output);

        var (code, stdout, stderr) = InProcess.Run(["export", "--model", trained.ModelPath, "--output", output]);

        Assert.True(code == 0, stderr);
        Assert.Equal($"Exported {trained.ModelPath} -> {output} (rnn, hidden 5, layers 1, 3 time steps)", Assert.Single(InProcess.Lines(stdout)));
        using var exported = SequenceModel.Load(output);
        Assert.Equal(trained.Manifest.Model.HiddenSize, exported.Info.HiddenSize);
        Assert.Equal([output], Directory.GetFiles(temp.File("deeper"))); // no temporary file left behind
        Assert.True(File.GetLastWriteTimeUtc(output) >= older);
    }

    public static TheoryData<string, string> BadExports => new()
    {
        { "missing-model", "no such file" },
        { "corrupt-model", "is not a usable SimpleRnnTorch model" },
        { "output-folder", "is a folder" },
        { "output-not-onnx", "must name a file ending in .onnx" },
        { "output-is-model", "is the model file itself" },
        { "model-is-onnx", "is the model file itself" },
        { "divisor-1e-300", "its scale_divisor (1E-300) is not a positive number float32 holds as a normal one" },
    };

    [Theory]
    [MemberData(nameof(BadExports))]
    public void Bad_export_is_one_line_exit_2_and_touches_nothing(string kind, string expected)
    {
        using var temp = new TempFolder();
        var model = temp.File("model.safetensors");
        var onnx = temp.File("model.onnx");
        File.Copy(trained.ModelPath, model);
        File.WriteAllText(onnx, "an older export, which must survive");
        Directory.CreateDirectory(temp.File("folder.onnx"));
        string[] args = kind switch
        {
            "missing-model" => ["export", "--model", temp.File("nope.safetensors"), "--output", onnx],
            "corrupt-model" => ["export", "--model", Corrupt(model), "--output", onnx],
            "output-folder" => ["export", "--model", model, "--output", temp.File("folder.onnx")],
            "output-not-onnx" => ["export", "--model", model, "--output", temp.File("model.pt")],
            "output-is-model" => ["export", "--model", model, "--output", model],
            "model-is-onnx" => ["export", "--model", onnx], // the default output is the model's path with .onnx: itself
            "divisor-1e-300" => ["export", "--model", Saved(temp.File("tiny.safetensors"), trained.Manifest with { ScaleDivisor = 1e-300 }), "--output", onnx],
            _ => throw new ArgumentException(kind),
        };
        var before = Snapshot(temp.Path);

        var (code, stdout, stderr) = InProcess.Run(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, Assert.Single(InProcess.Lines(stderr)));
        Assert.Equal("", stdout);
        Assert.Equal(before, Snapshot(temp.Path));
    }

    [Fact]
    public void A_training_run_writes_model_onnx_that_predicts_as_the_run_did()
    {
        using var temp = new TempFolder();
        var plan = new ArtifactPlan(temp.File("out"), temp.File("out/model.safetensors"));
        using var run = TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 1 }, artifacts: plan, predict: [[50, 60, 70]]);

        var onnx = temp.File("out/model.onnx");
        Assert.Contains(onnx, run.Written);
        using var model = SequenceModel.Load(onnx);
        Assert.Equal(run.Predictions[0], model.Predict([50, 60, 70]), Tolerance);
        log.WriteLine($"a default model.onnx: {new FileInfo(onnx).Length} bytes");
    }

    /// <summary>10,000 sequences: the training range and far beyond it, steps smaller and larger than the lesson's.</summary>
    private static List<double[]> CrossCheckSequences(int timeSteps)
    {
        var sequences = new List<double[]>();
        var specs = new[] { (0, 100, 5), (0, 100, 20), (100, 200, 5), (100, 200, 20), (500, 1000, 5), (500, 1000, 20) };
        for (var i = 0; i < specs.Length; i++)
        {
            var (min, max, step) = specs[i];
            var count = i < 4 ? 1700 : 1600;
            using var generated = SequenceData.Generate(new SequenceSpec(count, timeSteps, step, min, max), seed: 100 + i);
            var values = generated.data<float>().ToArray();
            for (var row = 0; row < count; row++)
            {
                sequences.Add([.. values.AsSpan(row * (timeSteps + 1), timeSteps).ToArray().Select(v => (double)v)]);
            }
        }

        Assert.Equal(10_000, sequences.Count);
        return sequences;
    }

    /// <summary>The run's model evaluated in float64 throughout: the exact answer, as far as float32 is concerned.</summary>
    private static double[] PredictInFloat64(TrainingRun run, List<double[]> sequences)
    {
        using var model = new SequenceRegressor(run.Model.Spec);
        model.load_state_dict(run.Model.state_dict());
        model.to(ScalarType.Float64);
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(sequences.SelectMany(s => s).ToArray(), [sequences.Count, sequences[0].Length, 1], ScalarType.Float64);
        var output = model.call(input / run.Scaler.Divisor) * run.Scaler.Divisor;
        return output.data<double>().ToArray();
    }

    [Fact]
    public void The_export_carries_its_graphs_checksum_and_a_changed_weight_is_refused_at_load()
    {
        using var temp = new TempFolder();
        var path = temp.File("model.onnx");
        OnnxExport.Save(path, trained.Model, trained.Manifest);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var recorded = proto.MetadataProps.Single(p => p.Key == OnnxModelInfo.GraphSha256Key).Value;

        using (var model = SequenceModel.Load(path))
        {
            Assert.Equal(recorded, model.Info.GraphSha256);
        }

        // One bit of one weight, as a damaged copy would have it: still a valid graph, but another model.
        var bytes = File.ReadAllBytes(path);
        var weight = BitConverter.GetBytes(proto.Graph.Initializer.Single(t => t.Name == "head.bias").FloatData[0]);
        var at = bytes.AsSpan().IndexOf(weight);
        Assert.True(at > 0);
        bytes[at] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<OnnxModelException>(() => SequenceModel.Load(path));
        Assert.EndsWith("its graph does not match its 'graph_sha256' (a damaged or edited file)", error.Message);
    }

    private string Saved(string path, ModelManifest manifest)
    {
        ModelFile.Save(path, trained.Model, manifest);
        return path;
    }

    private static string Corrupt(string model)
    {
        var corrupt = model + ".corrupt.safetensors";
        File.WriteAllBytes(corrupt, File.ReadAllBytes(model)[..100]);
        return corrupt;
    }

    /// <summary>Every file and folder under a folder, with each file's bytes.</summary>
    private static string Snapshot(string folder) => string.Join('\n',
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))}" : $"{p}/"));
}
