using System.Globalization;
using Google.Protobuf;
using Onnx;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service.Tests;

/// <summary>
/// Series models for the tests: the service's shipped model.onnx with the forecast metadata added (or any
/// metadata changed), written to a temporary file that is deleted on dispose.
/// </summary>
internal sealed class SeriesModelFile : IDisposable
{
    /// <summary>The offsets of the default series model: 5 steps, widening, not symmetric.</summary>
    public static readonly double[] Lower = [-1.5, -2.25, -3, -4.5, -6];
    public static readonly double[] Upper = [1, 2, 3.5, 5, 7.25];

    private SeriesModelFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>The shipped model, as copied beside the tests by the service project's build.</summary>
    public static string ShippedModel => System.IO.Path.Combine(AppContext.BaseDirectory, "model.onnx");

    public static SeriesModelFile Create() => With(new Dictionary<string, string?>
    {
        [OnnxModelInfo.SeriesKey] = "true",
        [OnnxModelInfo.IntervalLevelKey] = "0.8",
        [OnnxModelInfo.IntervalLowerKey] = Join(Lower),
        [OnnxModelInfo.IntervalUpperKey] = Join(Upper),
    });

    /// <summary>The shipped model with these metadata entries set (null: removed).</summary>
    public static SeriesModelFile With(IReadOnlyDictionary<string, string?> changes)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ShippedModel));
        foreach (var (key, value) in changes)
        {
            var existing = model.MetadataProps.FirstOrDefault(p => p.Key == key);
            if (existing is not null)
            {
                model.MetadataProps.Remove(existing);
            }

            if (value is not null)
            {
                model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"series-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return new SeriesModelFile(path);
    }

    public static string Join(IEnumerable<double> values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    public void Dispose() => File.Delete(Path);
}
