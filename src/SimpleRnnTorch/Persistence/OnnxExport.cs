using System.Text.Json;
using Google.Protobuf;
using Onnx;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// The trained model as an ONNX graph (opset 17), for ONNX Runtime and anything else that reads ONNX,
/// with no TorchSharp or libtorch needed to run it (see SimpleRnnTorch.Inference). Input and output are in
/// original units; the scaling is part of the graph:
/// <code>
///   input (N, T, F) ─ [Sub(offset)] ─ Div(divisor) ─ Transpose(1,0,2) ─ RNN|LSTM|GRU ─ Squeeze ─ ... ─ RNN|LSTM|GRU
///       ─ Y_h (1, N, H) ─ Squeeze(0) ─ Gemm(head, transB) ─ Mul(divisor) ─ [Add(offset)] ─ output (N, 1)
/// </code>
/// Time-major (layout 0) because ONNX Runtime's CPU kernels for RNN, LSTM and GRU refuse layout 1. One
/// node per layer, each fed with the previous layer's Y (T, 1, N, H) squeezed on its direction axis.
/// Weights keep PyTorch's values, with the gate blocks reordered where ONNX orders them differently:
/// LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h (with linear_before_reset = 1, PyTorch's formula for n).
/// Initial states are omitted, which ONNX defines as zeros, as PyTorch's are.
/// </summary>
internal static class OnnxExport
{
    public const long OpsetVersion = 17;

    /// <summary>IR version 8 is the one that goes with opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;

    public const string ProducerName = "SimpleRnnTorch";

    public static string ProducerVersion { get; } = typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The batch dimension's name in the graph's input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>model.safetensors -> model.onnx.</summary>
    public static string PathBeside(string modelPath) => Path.ChangeExtension(modelPath, ".onnx");

    /// <summary>Writes the graph atomically: the old file or the new one, never half of either.</summary>
    public static void Save(string path, SequenceRegressor model, ModelManifest manifest)
    {
        var graph = Build(model, manifest); // everything that can fail happens before the file is touched
        AtomicFile.Write(path, graph.WriteTo);
    }

    public static ModelProto Build(SequenceRegressor model, ModelManifest manifest)
    {
        if (model.Spec != manifest.Model)
        {
            throw new ArgumentException($"the manifest describes {manifest.Model}, the model is {model.Spec}", nameof(manifest));
        }

        return Build(ModelWeights.Extract(model).ToDictionary(t => t.Name, t => (t.Shape, t.Values), StringComparer.Ordinal), manifest);
    }

    /// <summary>The graph from PyTorch-named float32 weights (no libtorch involved from here on).</summary>
    public static ModelProto Build(IReadOnlyDictionary<string, (long[] Shape, float[] Values)> weights, ModelManifest manifest)
    {
        var spec = manifest.Model;
        var divisor = (float)manifest.ScaleDivisor;
        if (!float.IsFinite(divisor) || divisor == 0)
        {
            throw new ArgumentException($"scale divisor {manifest.ScaleDivisor} cannot be used in float32", nameof(manifest));
        }

        var graph = new GraphProto { Name = nameof(SequenceRegressor) };
        graph.Input.Add(TensorValue(OnnxModelInfo.InputName, BatchDimension, manifest.TimeSteps, spec.InputSize));
        graph.Output.Add(TensorValue(OnnxModelInfo.OutputName, BatchDimension, 1));
        graph.Initializer.Add(FloatTensor("scale_divisor", [], [divisor]));
        // A series is standardised, (x - offset) / divisor; the lesson's ÷100 has no offset and no Sub/Add.
        var offset = (float)manifest.ScaleOffset;
        if (!float.IsFinite(offset))
        {
            throw new ArgumentException($"scale offset {manifest.ScaleOffset} cannot be used in float32", nameof(manifest));
        }

        if (offset != 0 && manifest.Scaling == ScalingKind.Global)
        {
            graph.Initializer.Add(FloatTensor("scale_offset", [], [offset]));
        }
        graph.Initializer.Add(Int64Tensor("axes_0", [1], [0]));
        if (spec.Layers > 1)
        {
            graph.Initializer.Add(Int64Tensor("axes_1", [1], [1])); // only between layers: ONNX Runtime warns about unused initializers
        }

        // Relative to each window's last value: last = input[:, T-1:T, :] (N, 1, 1); the window minus it, or over
        // it minus 1, and the output back the same way. Only a series is scaled so, with one feature a step.
        var relative = manifest.Scaling != ScalingKind.Global;
        var ratio = manifest.Scaling == ScalingKind.Ratio;
        if (relative && spec.InputSize != 1)
        {
            throw new ArgumentException("a relative scaling is for one feature a step", nameof(manifest));
        }

        if (relative)
        {
            graph.Initializer.Add(Int64Tensor("last_start", [1], [manifest.TimeSteps - 1]));
            graph.Initializer.Add(Int64Tensor("last_end", [1], [manifest.TimeSteps]));
            graph.Initializer.Add(Int64Tensor("time_axis", [1], [1]));
            graph.Initializer.Add(Int64Tensor("axes_2", [1], [2]));
            graph.Node.Add(Node("Slice", "last_step", [OnnxModelInfo.InputName, "last_start", "last_end", "time_axis"], ["last_step"]));
            if (ratio)
            {
                graph.Initializer.Add(FloatTensor("one", [], [1f]));
                graph.Node.Add(Node("Div", "growth", [OnnxModelInfo.InputName, "last_step"], ["ratio"]));
                graph.Node.Add(Node("Sub", "center", ["ratio", "one"], ["centered"]));
            }
            else
            {
                graph.Node.Add(Node("Sub", "center", [OnnxModelInfo.InputName, "last_step"], ["centered"]));
            }
        }
        else if (offset != 0)
        {
            graph.Node.Add(Node("Sub", "center", [OnnxModelInfo.InputName, "scale_offset"], ["centered"]));
        }

        graph.Node.Add(Node("Div", "scale", [offset != 0 || relative ? "centered" : OnnxModelInfo.InputName, "scale_divisor"], ["scaled"]));
        graph.Node.Add(Node("Transpose", "to_time_major", ["scaled"], ["time_major"], Ints("perm", [1, 0, 2])));

        var layerInput = "time_major";
        for (var layer = 0; layer < spec.Layers; layer++)
        {
            var (w, r, b) = LayerWeights(weights, spec, layer, layer == 0 ? spec.InputSize : spec.HiddenSize);
            graph.Initializer.Add(w);
            graph.Initializer.Add(r);
            graph.Initializer.Add(b);

            var last = layer == spec.Layers - 1;
            var y = last ? "" : $"rnn_l{layer}_y";             // (T, 1, N, H), all steps: the next layer's input
            var yH = last ? $"rnn_l{layer}_y_h" : "";          // (1, N, H), the last step
            var node = Node(spec.Cell switch { CellKind.Lstm => "LSTM", CellKind.Gru => "GRU", _ => "RNN" }, $"rnn_l{layer}",
                [layerInput, w.Name, r.Name, b.Name], [y, yH], Int("hidden_size", spec.HiddenSize), Int("layout", 0));
            switch (spec.Cell)
            {
                case CellKind.Rnn:
                    node.Attribute.Add(Strings("activations", ["Tanh"]));
                    break;
                case CellKind.Gru:
                    node.Attribute.Add(Int("linear_before_reset", 1));
                    break;
            }

            graph.Node.Add(node);
            if (!last)
            {
                layerInput = $"rnn_l{layer}_out";
                graph.Node.Add(Node("Squeeze", $"rnn_l{layer}_squeeze", [y, "axes_1"], [layerInput]));
            }
            else
            {
                graph.Node.Add(Node("Squeeze", "last_state", [yH, "axes_0"], ["hidden"]));
            }
        }

        graph.Initializer.Add(FloatTensor("head.weight", [1, spec.HiddenSize], Weight(weights, "head.weight", [1, spec.HiddenSize])));
        graph.Initializer.Add(FloatTensor("head.bias", [1], Weight(weights, "head.bias", [1])));
        graph.Node.Add(Node("Gemm", "head", ["hidden", "head.weight", "head.bias"], ["head_out"], Int("transB", 1)));
        graph.Node.Add(Node("Mul", "unscale", ["head_out", "scale_divisor"], [offset != 0 || relative ? "unscaled" : OnnxModelInfo.OutputName]));
        if (relative)
        {
            // The output's base: the last step, or for a seasonal scaling the step a season before the target.
            var baseStep = "last_step";
            if (manifest.Scaling == ScalingKind.Seasonal)
            {
                graph.Initializer.Add(Int64Tensor("base_start", [1], [manifest.TimeSteps - manifest.ScaleLag]));
                graph.Initializer.Add(Int64Tensor("base_end", [1], [manifest.TimeSteps - manifest.ScaleLag + 1]));
                graph.Node.Add(Node("Slice", "base_step", [OnnxModelInfo.InputName, "base_start", "base_end", "time_axis"], ["base_step"]));
                baseStep = "base_step";
            }

            graph.Node.Add(Node("Squeeze", "last_value", [baseStep, "axes_2"], ["last_value"]));
            // The drift (the scaler's offset) comes back with the change: last + drift + d·out, or last·(1 + drift + d·out).
            graph.Initializer.Add(FloatTensor("drift", [], [ratio ? 1 + offset : offset]));
            graph.Node.Add(Node("Add", "with_drift", ["unscaled", "drift"], ["change"]));
            graph.Node.Add(Node(ratio ? "Mul" : "Add", "reapply", ["change", "last_value"], [OnnxModelInfo.OutputName]));
        }
        else if (offset != 0)
        {
            graph.Node.Add(Node("Add", "uncenter", ["unscaled", "scale_offset"], [OnnxModelInfo.OutputName]));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = "SimpleRnnTorch sequence regressor: the next value of a sequence, in original units.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });

        var info = new OnnxModelInfo(
            manifest.TimeSteps,
            spec.InputSize,
            spec.Cell.ToString().ToLowerInvariant(),
            spec.HiddenSize,
            spec.Layers,
            manifest.ScaleDivisor,
            ManifestWithoutScaling(manifest),
            manifest.ScaleOffset)
        {
            Scaling = manifest.Scaling switch
            {
                ScalingKind.Difference => OnnxModelInfo.DifferenceScaling,
                ScalingKind.Ratio => OnnxModelInfo.RatioScaling,
                ScalingKind.Seasonal => OnnxModelInfo.SeasonalScaling,
                _ => OnnxModelInfo.GlobalScaling,
            },
            Forecast = manifest.Series?.Interval is { } interval ? new ForecastInterval(interval.Level, interval.Lower, interval.Upper) : null,

            // The graph is complete: its bytes here are the bytes the file stores as ModelProto's field 7.
            GraphSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(graph.ToByteArray())),
        };
        foreach (var (key, value) in info.ToMetadata())
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    /// <summary>
    /// The manifest as the ONNX file keeps it: the scaling is in the metadata keys (and the graph computes with
    /// the same numbers), so the manifest's copy of it is left out rather than kept a third time.
    /// </summary>
    private static string ManifestWithoutScaling(ModelManifest manifest)
    {
        var json = (System.Text.Json.Nodes.JsonObject)JsonSerializer.SerializeToNode(manifest, ModelFile.Json)!;
        foreach (var key in ScalingKeys)
        {
            json.Remove(key);
        }

        return json.ToJsonString();
    }

    /// <summary>The manifest's JSON names of the scaling (snake case, as <see cref="ModelFile.Json"/> writes them).</summary>
    internal static readonly string[] ScalingKeys = ["scale_divisor", "scale_offset", "scaling", "scale_lag", "scaler"];

    /// <summary>
    /// One layer's W (1, G·H, I), R (1, G·H, H) and B (1, 2·G·H) = [bias_ih, bias_hh], gate blocks in
    /// ONNX's order.
    /// </summary>
    private static (TensorProto W, TensorProto R, TensorProto B) LayerWeights(
        IReadOnlyDictionary<string, (long[] Shape, float[] Values)> weights, ModelSpec spec, int layer, int inputs)
    {
        var rows = spec.Gates * spec.HiddenSize;
        var order = GateOrder(spec.Cell);
        var w = Reorder(Weight(weights, $"rnn.weight_ih_l{layer}", [rows, inputs]), order, spec.HiddenSize * inputs);
        var r = Reorder(Weight(weights, $"rnn.weight_hh_l{layer}", [rows, spec.HiddenSize]), order, spec.HiddenSize * spec.HiddenSize);
        var bIh = Reorder(Weight(weights, $"rnn.bias_ih_l{layer}", [rows]), order, spec.HiddenSize);
        var bHh = Reorder(Weight(weights, $"rnn.bias_hh_l{layer}", [rows]), order, spec.HiddenSize);
        return (
            FloatTensor($"rnn.W_l{layer}", [1, rows, inputs], w),
            FloatTensor($"rnn.R_l{layer}", [1, rows, spec.HiddenSize], r),
            FloatTensor($"rnn.B_l{layer}", [1, 2 * rows], [.. bIh, .. bHh]));
    }

    /// <summary>
    /// For each ONNX gate block, the PyTorch block it comes from. LSTM: PyTorch i,f,g,o; ONNX i,o,f,c.
    /// GRU: PyTorch r,z,n; ONNX z,r,h.
    /// </summary>
    internal static int[] GateOrder(CellKind cell) => cell switch
    {
        CellKind.Lstm => [0, 3, 1, 2],
        CellKind.Gru => [1, 0, 2],
        _ => [0],
    };

    /// <summary>The blocks of <paramref name="blockSize"/> values, in the order <paramref name="order"/> names them.</summary>
    internal static float[] Reorder(float[] values, int[] order, int blockSize)
    {
        if (values.Length != order.Length * blockSize)
        {
            throw new ArgumentException($"{values.Length} values are not {order.Length} blocks of {blockSize}", nameof(values));
        }

        var result = new float[values.Length];
        for (var block = 0; block < order.Length; block++)
        {
            Array.Copy(values, order[block] * blockSize, result, block * blockSize, blockSize);
        }

        return result;
    }

    private static float[] Weight(IReadOnlyDictionary<string, (long[] Shape, float[] Values)> weights, string name, long[] shape)
    {
        if (!weights.TryGetValue(name, out var tensor))
        {
            throw new ArgumentException($"the model has no tensor {name}", nameof(weights));
        }

        if (!tensor.Shape.SequenceEqual(shape) || tensor.Values.Length != shape.Aggregate(1L, (a, d) => a * d))
        {
            throw new ArgumentException($"tensor {name} has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}]", nameof(weights));
        }

        return tensor.Values;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static AttributeProto Strings(string name, string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.Add(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    private static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static TensorProto Int64Tensor(string name, long[] dims, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(dims);
        tensor.Int64Data.Add(values);
        return tensor;
    }

    /// <summary>A float32 tensor's name and shape; the first dimension named (dynamic), the others fixed.</summary>
    private static ValueInfoProto TensorValue(string name, string firstDimension, params long[] otherDimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = firstDimension });
        foreach (var size in otherDimensions)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
