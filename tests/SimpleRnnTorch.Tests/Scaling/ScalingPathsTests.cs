using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Scaling;

/// <summary>
/// Each scaling kind is one type serving three paths: tensors (training, libtorch predictions), one window in
/// doubles, and the ONNX graph. For every kind the three must give the same numbers, and its one name must be
/// the manifest's and the ONNX metadata's.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ScalingPathsTests
{
    public static TheoryData<string> Kinds => new() { "global", "global-offset", "difference", "ratio", "seasonal", "difference-floored", "spread", "spread-seasonal" };

    private static SequenceScaler Scaler(string name) => name switch
    {
        "global" => new GlobalScaler(100),
        "global-offset" => new GlobalScaler(7.5, 40),
        "difference" => new DifferenceScaler(3.25, 0.75),
        "ratio" => new RatioScaler(0.08, 0.02),

        // A floor inside the windows' range, so that some outputs of every path are raised to it.
        "difference-floored" => new DifferenceScaler(3.25, 0.75) { Floor = 45 },
        "spread" => new SpreadScaler(1.7, 0.2, 1),
        "spread-seasonal" => new SpreadScaler(2.9, -0.1, 3) { Floor = 0 },
        _ => new SeasonalScaler(4.5, 1.5, 3),
    };

    private const int T = 5;

    /// <summary>Positive windows (a ratio needs them), each different.</summary>
    private static float[][] Windows()
    {
        var random = new Random(7);
        return Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, T).Select(_ => (float)(20 + (random.NextDouble() * 60))).ToArray()).ToArray();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_tensor_and_the_one_window_paths_agree(string kind)
    {
        var scaler = Scaler(kind);
        var windows = Windows();
        float[] targets = [.. windows.Select(w => w[^1] + 3.5f)];
        using var inputs = tensor(windows.SelectMany(w => w).ToArray(), [windows.Length, T]);
        using var target = tensor(targets);
        var (x, y) = scaler.Transform(inputs, target);
        using (x)
        using (y)
        {
            var scaledTargets = y.data<float>().ToArray();
            for (var i = 0; i < windows.Length; i++)
            {
                Assert.Equal(scaler.TransformTarget(targets[i], windows[i].Select(v => (double)v).ToArray()), scaledTargets[i], 4);
            }
        }

        // Outputs back to original units: the tensor path and the one-window path.
        double[] outputs = [-0.4, -0.1, 0, 0.2, 0.5, 1.1];
        using var original = tensor(windows.SelectMany(w => w).ToArray(), [windows.Length, T, 1]);
        using var output = tensor(outputs, [outputs.Length, 1]);
        using var back = scaler.InverseOutputs(output, original);
        var backValues = back.data<double>().ToArray();
        for (var i = 0; i < windows.Length; i++)
        {
            Assert.Equal(scaler.InverseOutput(outputs[i], windows[i].Select(v => (double)v).ToArray()), backValues[i], 4);
        }
    }

    /// <summary>The graph's scaling around a stand-in network (the mean of the scaled window) against the same in libtorch.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_onnx_nodes_compute_what_the_tensor_path_does(string kind)
    {
        var scaler = Scaler(kind);
        var graph = new OnnxGraph("scaling", T, 1);
        graph.Proto.Input.Add(Value(OnnxModelInfo.InputName, -1, T, 1));
        graph.Proto.Output.Add(Value(OnnxModelInfo.OutputName, -1, 1));
        var scaled = scaler.AddInputNodes(graph, OnnxModelInfo.InputName);
        graph.Node("ReduceMean", "network", [scaled], ["network_out"], OnnxGraph.Ints("axes", [1]), OnnxGraph.Int("keepdims", 0));
        scaler.AddOutputNodes(graph, "network_out", OnnxModelInfo.InputName, OnnxModelInfo.OutputName);
        var model = new ModelProto { IrVersion = OnnxExport.IrVersion, Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExport.OpsetVersion });

        var windows = Windows();
        var flat = windows.SelectMany(w => w).ToArray();
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        using var input = OrtValue.CreateTensorValueFromMemory(flat, [windows.Length, T, 1]);
        using var results = session.Run(new RunOptions(), [OnnxModelInfo.InputName], [input], [OnnxModelInfo.OutputName]);
        var onnx = results[0].GetTensorDataAsSpan<float>().ToArray();

        using var original = tensor(flat, [windows.Length, T, 1]);
        using var scaledInputs = scaler.TransformInputs(original);
        using var mean = scaledInputs.mean([1]).to(ScalarType.Float64);
        using var expected = scaler.InverseOutputs(mean, original);
        var libtorch = expected.data<double>().ToArray();
        Assert.Equal(windows.Length, onnx.Length);
        for (var i = 0; i < onnx.Length; i++)
        {
            Assert.Equal(libtorch[i], onnx[i], Math.Max(1e-4, Math.Abs(libtorch[i]) * 1e-5));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_kind_has_one_name_in_the_manifest_and_the_metadata(string kind)
    {
        var scaler = Scaler(kind);
        Assert.Equal($"\"{scaler.Name}\"", JsonSerializer.Serialize(scaler.Kind, ModelFile.Json));
        Assert.Contains(scaler.Name, new[] { OnnxModelInfo.GlobalScaling, OnnxModelInfo.DifferenceScaling, OnnxModelInfo.RatioScaling, OnnxModelInfo.SeasonalScaling, OnnxModelInfo.SpreadScaling });
        Assert.Equal(scaler, SequenceScaler.Of(scaler.Kind, scaler.Divisor, scaler.Offset, scaler.Lag, scaler.Floor));
    }

    /// <summary>The manifest's "scaler" object keeps the keys it always had (a floor only where there is one): the kind's name is not written a second time.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_manifests_scaler_object_keeps_its_keys(string kind)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(Scaler(kind), ModelFile.Json))!.AsObject();

        string[] keys = Scaler(kind).Floor is null
            ? ["divisor", "offset", "kind", "lag", "relative_to_last"]
            : ["divisor", "offset", "kind", "floor", "lag", "relative_to_last"];
        Assert.Equal(keys, json.Select(p => p.Key));
    }

    [Fact]
    public void A_floor_raises_the_outputs_below_it_and_leaves_the_others()
    {
        var window = new double[] { 50, 48, 47, 46, 46 };
        var plain = new DifferenceScaler(3.25, 0.75);
        var floored = plain with { Floor = 45 };

        Assert.Equal(45, floored.InverseOutput(-1, window)); // 46 + 0.75 − 3.25 = 43.5, raised
        Assert.Equal(plain.InverseOutput(0.5, window), floored.InverseOutput(0.5, window));
    }

    [Fact]
    public void Only_a_ratio_refuses_a_window_that_does_not_end_positive()
    {
        float[] window = [3, 2, 0];
        Assert.NotNull(Scaler("ratio").WindowProblem(window));
        Assert.All(new[] { "global", "difference", "seasonal" }, k => Assert.Null(Scaler(k).WindowProblem(window)));
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }
}
