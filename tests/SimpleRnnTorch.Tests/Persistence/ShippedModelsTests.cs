using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Onnx;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>
/// The service ships two models, and its README gives the command that made each. Run now, that command must make
/// the same model: the same graph and weights, the same metadata, the same manifest but for the epochs' durations.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class ShippedModelsTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

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
        Assert.Equal(kept.Graph, made.Graph);
        Assert.Equal(Metadata(kept).Keys.Order(), Metadata(made).Keys.Order());
        foreach (var (key, value) in Metadata(kept).Where(p => p.Key != "manifest"))
        {
            Assert.True(value == Metadata(made)[key], $"{key}: shipped {value}, made now {Metadata(made)[key]}");
        }

        Assert.Equal(Comparable(Metadata(kept)["manifest"]), Comparable(Metadata(made)["manifest"]));
    }

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
