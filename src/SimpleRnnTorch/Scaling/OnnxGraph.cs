using Google.Protobuf;
using Onnx;

namespace SimpleRnnTorch.Scaling;

/// <summary>
/// An ONNX graph being built, with the window's shape it reads: what a <see cref="SequenceScaler"/> adds its
/// nodes to, and what the exporter (Persistence/OnnxExport) builds the network's part of the graph with.
/// </summary>
internal sealed class OnnxGraph(string name, int timeSteps, int features)
{
    public GraphProto Proto { get; } = new() { Name = name };

    public int TimeSteps { get; } = timeSteps;

    public int Features { get; } = features;

    /// <summary>
    /// Adds a node. A tensor may be defined once (ONNX Runtime refuses the whole file otherwise): an output that an
    /// earlier node or an initializer already defines is a bug in the exporter, stopped here rather than in the user's
    /// `predict`.
    /// </summary>
    public void Node(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        foreach (var output in outputs.Where(o => o.Length > 0))
        {
            if (Proto.Node.Any(n => n.Output.Contains(output)) || Proto.Initializer.Any(i => i.Name == output) || Proto.Input.Any(i => i.Name == output))
            {
                throw new InvalidOperationException($"the ONNX graph already defines '{output}' (node {name})");
            }
        }

        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        Proto.Node.Add(node);
    }

    /// <summary>A float32 scalar initializer.</summary>
    public void Float(string name, float value) => Proto.Initializer.Add(FloatTensor(name, [], [value]));

    /// <summary>An int64 initializer of one dimension.</summary>
    public void Int64s(string name, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        Proto.Initializer.Add(tensor);
    }

    public static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.Add(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }
}
