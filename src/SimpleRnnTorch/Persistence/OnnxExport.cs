using System.Text.Json;
using Google.Protobuf;
using Onnx;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Scaling;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// The trained model as an ONNX graph (opset 17), for ONNX Runtime and anything else that reads ONNX,
/// with no TorchSharp or libtorch needed to run it (see SimpleRnnTorch.Inference). Input and output are in
/// original units; the scaling is part of the graph:
/// <code>
///   input (N, T, F) ─ the scaler's nodes (SequenceScaler.AddInputNodes) ─ [Reshape (N, T/k, k·F)] ─ Transpose(1,0,2) ─ RNN|LSTM|GRU ─ Squeeze ─ ... ─ RNN|LSTM|GRU
///       ─ Y_h (1, N, H) ─ Squeeze(0) ─ Gemm(head, transB) ─ the scaler's nodes (AddOutputNodes) ─ output (N, 1)
/// </code>
/// Time-major (layout 0) because ONNX Runtime's CPU kernels for RNN, LSTM and GRU refuse layout 1. One
/// node per layer, each fed with the previous layer's Y (T, 1, N, H) squeezed on its direction axis.
/// Weights keep PyTorch's values, with the gate blocks reordered where ONNX orders them differently:
/// LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h (with linear_before_reset = 1, PyTorch's formula for n).
/// Initial states are omitted, which ONNX defines as zeros, as PyTorch's are. The Reshape is there only for a model that
/// reads k = <see cref="ModelSpec.ValuesPerStep"/> values a step, as <see cref="SequenceRegressor"/> does.
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

    /// <summary>
    /// Whether an export may replace what is at <paramref name="path"/>: nothing, or an ONNX model this program produced
    /// (a run's model.onnx, an earlier export). Anything else (the user's own file, another tool's model, a link, a FIFO)
    /// is not this program's to replace. Reads at most <see cref="InputFileCheck.MaxModelBytes"/>.
    /// </summary>
    public static bool MayReplace(string path)
    {
        if (!FileLinks.Exists(path))
        {
            return true;
        }

        if (FileLinks.Kind(path) != FileLinks.EntryKind.Regular || InputFileCheck.Problem(path, InputFileCheck.MaxModelBytes, "a model file") is not null)
        {
            return false;
        }

        try
        {
            var bytes = InputFileCheck.ReadBounded(path, InputFileCheck.MaxModelBytes, "a model file", p => new IOException(p));
            return ModelProto.Parser.ParseFrom(bytes).ProducerName == ProducerName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidProtocolBufferException)
        {
            return false;
        }
    }

    /// <summary>Writes the graph atomically: the old file or the new one, never half of either.</summary>
    /// <param name="beforeReplace">Runs once the new file is complete, just before it replaces the old (see <see cref="AtomicFile.Write"/>).</param>
    public static void Save(string path, SequenceRegressor model, ModelManifest manifest, Action? beforeReplace = null)
    {
        var graph = Build(model, manifest); // everything that can fail happens before the file is touched
        AtomicFile.Write(path, graph.WriteTo, beforeReplace: beforeReplace);
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
        var scaler = manifest.Scaler;
        var graph = new OnnxGraph(nameof(SequenceRegressor), manifest.TimeSteps, spec.InputSize);
        graph.Proto.Input.Add(TensorValue(OnnxModelInfo.InputName, BatchDimension, manifest.TimeSteps, spec.InputSize));
        graph.Proto.Output.Add(TensorValue(OnnxModelInfo.OutputName, BatchDimension, 1));

        // The scaler's nodes before the network and after it: the graph takes and gives original units.
        var scaled = scaler.AddInputNodes(graph, OnnxModelInfo.InputName);
        graph.Int64s("axes_0", [0]);
        if (spec.Layers > 1)
        {
            graph.Int64s("axes_1", [1]); // only between layers: ONNX Runtime warns about unused initializers
        }

        if (spec.ValuesPerStep > 1)
        {
            if (!spec.Reads(manifest.TimeSteps))
            {
                throw new ArgumentException($"a window of {manifest.TimeSteps} is not whole steps of {spec.ValuesPerStep} values", nameof(manifest));
            }

            // 0 keeps the batch dimension as it is. (A panel's scaler names a tensor "steps": these names are the fold's own.)
            graph.Int64s("values_per_step_shape", [0, manifest.TimeSteps / spec.ValuesPerStep, spec.StepInputs]);
            graph.Node("Reshape", "values_per_step", [scaled, "values_per_step_shape"], ["values_per_step_input"]);
            scaled = "values_per_step_input";
        }

        graph.Node("Transpose", "to_time_major", [scaled], ["time_major"], OnnxGraph.Ints("perm", [1, 0, 2]));
        var layerInput = "time_major";
        for (var layer = 0; layer < spec.Layers; layer++)
        {
            var (w, r, b) = LayerWeights(weights, spec, layer, layer == 0 ? spec.StepInputs : spec.Units);
            graph.Proto.Initializer.Add(w);
            graph.Proto.Initializer.Add(r);
            graph.Proto.Initializer.Add(b);

            var last = layer == spec.Layers - 1;
            var y = last ? "" : $"rnn_l{layer}_y";             // (T, 1, N, H), all steps: the next layer's input
            var yH = last ? $"rnn_l{layer}_y_h" : "";          // (1, N, H), the last step
            AttributeProto[] attributes = spec.Cell switch
            {
                CellKind.Rnn => [OnnxGraph.Int("hidden_size", spec.Units), OnnxGraph.Int("layout", 0), OnnxGraph.Strings("activations", ["Tanh"])],
                CellKind.Gru => [OnnxGraph.Int("hidden_size", spec.Units), OnnxGraph.Int("layout", 0), OnnxGraph.Int("linear_before_reset", 1)],
                _ => [OnnxGraph.Int("hidden_size", spec.Units), OnnxGraph.Int("layout", 0)],
            };
            graph.Node(spec.Cell switch { CellKind.Lstm => "LSTM", CellKind.Gru => "GRU", _ => "RNN" }, $"rnn_l{layer}",
                [layerInput, w.Name, r.Name, b.Name], [y, yH], attributes);
            if (!last)
            {
                layerInput = $"rnn_l{layer}_out";
                graph.Node("Squeeze", $"rnn_l{layer}_squeeze", [y, "axes_1"], [layerInput]);
            }
            else
            {
                graph.Node("Squeeze", "last_state", [yH, "axes_0"], ["hidden"]);
            }
        }

        graph.Proto.Initializer.Add(OnnxGraph.FloatTensor("head.weight", [spec.Members, spec.Units], Weight(weights, "head.weight", [spec.Members, spec.Units])));
        graph.Proto.Initializer.Add(OnnxGraph.FloatTensor("head.bias", [spec.Members], Weight(weights, "head.bias", [spec.Members])));
        graph.Node("Gemm", "head", ["hidden", "head.weight", "head.bias"], [spec.Members == 1 ? "head_out" : "member_out"], OnnxGraph.Int("transB", 1));
        if (spec.Members > 1)
        {
            // An ensemble: the members' mean, (N, members) → (N, 1).
            graph.Node("ReduceMean", "mean", ["member_out"], ["head_out"], OnnxGraph.Ints("axes", [1]), OnnxGraph.Int("keepdims", 1));
        }

        scaler.AddOutputNodes(graph, "head_out", OnnxModelInfo.InputName, OnnxModelInfo.OutputName);

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = "SimpleRnnTorch sequence regressor: the next value of a sequence, in original units.",
            Graph = graph.Proto,
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
            Scaling = scaler.Name,
            Forecast = manifest.Series?.Interval is { } interval ? new ForecastInterval(interval.Level, interval.Lower, interval.Upper) { Floor = manifest.ScaleFloor, PerSpread = interval.PerSpread, Smoothing = manifest.Series.Smoothing } : null,

            // The graph is complete: its bytes here are the bytes the file stores as ModelProto's field 7.
            GraphSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(graph.Proto.ToByteArray())),
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
    internal static readonly string[] ScalingKeys = ["scale_divisor", "scale_offset", "scaling", "scale_lag", "scale_floor", "scaler"];

    /// <summary>
    /// One layer's W (1, G·H, I), R (1, G·H, H) and B (1, 2·G·H) = [bias_ih, bias_hh], gate blocks in
    /// ONNX's order.
    /// </summary>
    private static (TensorProto W, TensorProto R, TensorProto B) LayerWeights(
        IReadOnlyDictionary<string, (long[] Shape, float[] Values)> weights, ModelSpec spec, int layer, int inputs)
    {
        var units = spec.Units;
        var rows = spec.Gates * units;
        var order = GateOrder(spec.Cell);
        var w = Reorder(Weight(weights, $"rnn.weight_ih_l{layer}", [rows, inputs]), order, units * inputs);
        var r = Reorder(Weight(weights, $"rnn.weight_hh_l{layer}", [rows, units]), order, units * units);
        var bIh = Reorder(Weight(weights, $"rnn.bias_ih_l{layer}", [rows]), order, units);
        var bHh = Reorder(Weight(weights, $"rnn.bias_hh_l{layer}", [rows]), order, units);
        return (
            OnnxGraph.FloatTensor($"rnn.W_l{layer}", [1, rows, inputs], w),
            OnnxGraph.FloatTensor($"rnn.R_l{layer}", [1, rows, units], r),
            OnnxGraph.FloatTensor($"rnn.B_l{layer}", [1, 2 * rows], [.. bIh, .. bHh]));
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
