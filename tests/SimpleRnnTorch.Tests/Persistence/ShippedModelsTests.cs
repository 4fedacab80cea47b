using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Onnx;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>
/// The service ships two models, and its README gives the command that made each. Run now, that command must make
/// the same model: the same graph, the same weights, the same metadata, the same manifest but for the epochs' durations.
/// "The same weights" is within <see cref="WeightTolerance"/>: libtorch's kernels round differently on CPUs of other
/// instruction sets (AVX2, AVX-512), and a trained weight moves by a few float32 ulps; a change of the training moves
/// them by orders of magnitude more.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class ShippedModelsTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>The most a remade weight may differ from the shipped one: on two CPUs the largest difference measured was 7e-8.</summary>
    private const float WeightTolerance = 1e-5f;

    private static string ServiceFolder => Path.Combine(TestPaths.RepoRoot, "samples", "SimpleRnnTorch.Service");

    [Theory]
    [InlineData("model.onnx", "/tmp/svcmodel")]
    [InlineData("series.onnx", "/tmp/nile")]
    public void The_readme_command_remakes_the_shipped_model(string shipped, string readmeOutput)
    {
        var readme = File.ReadAllText(Path.Combine(ServiceFolder, "README.md"));
        var command = TrainCommand().Matches(readme).Single(m => m.Groups["out"].Value == readmeOutput);
        var args = command.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => File.Exists(Path.Combine(TestPaths.RepoRoot, a)) ? Path.Combine(TestPaths.RepoRoot, a) : a)
            .Concat(["-o", temp.Path])
            .ToArray();

        var (code, _, stderr) = InProcess.Run(args);

        Assert.True(code == 0, stderr);
        var made = ModelProto.Parser.ParseFrom(File.ReadAllBytes(temp.File("model.onnx")));
        var kept = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(ServiceFolder, shipped)));
        Assert.Equal(WithoutWeights(kept.Graph), WithoutWeights(made.Graph));
        foreach (var shippedWeight in kept.Graph.Initializer)
        {
            var remade = made.Graph.Initializer.Single(t => t.Name == shippedWeight.Name).FloatData;
            var largest = shippedWeight.FloatData.Zip(remade, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0).Max();
            Assert.True(largest <= WeightTolerance, $"{shippedWeight.Name}: a weight differs by {largest} from the shipped one");
        }

        Assert.Equal(Metadata(kept).Keys.Order(), Metadata(made).Keys.Order());
        // graph_sha256 hashes the weights' bits, compared above within the tolerance.
        foreach (var (key, value) in Metadata(kept).Where(p => p.Key is not ("manifest" or "graph_sha256")))
        {
            Assert.True(SameUpToRounding(value, Metadata(made)[key]), $"{key}: shipped {value}, made now {Metadata(made)[key]}");
        }

        var (shippedManifest, remadeManifest) = (Comparable(Metadata(kept)["manifest"]), Comparable(Metadata(made)["manifest"]));
        Assert.True(SameUpToRounding(shippedManifest, remadeManifest), $"the manifest: shipped {shippedManifest}, made now {remadeManifest}");
    }

    /// <summary>The graph with every initializer's float values emptied: its nodes, names, shapes and types.</summary>
    private static GraphProto WithoutWeights(GraphProto graph)
    {
        var copy = graph.Clone();
        foreach (var initializer in copy.Initializer)
        {
            initializer.FloatData.Clear();
        }

        return copy;
    }

    /// <summary>
    /// The same text once every number is a placeholder, and each pair of numbers within 1e-4 of the larger magnitude
    /// (at least 1): the losses and interval bounds a few float32 ulps of weight move, on another CPU.
    /// </summary>
    private static bool SameUpToRounding(string shipped, string remade)
    {
        static (string Shape, double[] Numbers) Split(string text) =>
            (Number().Replace(text, "#"), [.. Number().Matches(text).Select(m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture))]);
        var (a, b) = (Split(shipped), Split(remade));
        return a.Shape == b.Shape && a.Numbers.Zip(b.Numbers).All(p => Math.Abs(p.First - p.Second) <= 1e-4 * Math.Max(1, Math.Max(Math.Abs(p.First), Math.Abs(p.Second))));
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Number();

    private static Dictionary<string, string> Metadata(ModelProto model) => model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>The manifest without what no two runs share: each epoch's duration, and where the series file was (its name stays).</summary>
    private static string Comparable(string manifest)
    {
        var json = JsonNode.Parse(manifest)!.AsObject();
        foreach (var epoch in json["history"]!.AsArray())
        {
            epoch!.AsObject().Remove("duration");
        }

        if (json["series"] is JsonObject series)
        {
            series["file"] = Path.GetFileName(series["file"]!.GetValue<string>());
        }

        return json.ToJsonString();
    }

    /// <summary>`dotnet run --project src/SimpleRnnTorch -c Release -- ARGS -o FOLDER`, as the README writes it.</summary>
    [GeneratedRegex(@"dotnet run --project src/SimpleRnnTorch -c Release -- (?<args>[^`\n]*?) -o (?<out>[^\s`]+)")]
    private static partial Regex TrainCommand();
}
