// A bounded load loop for SimpleRnnTorch.Service: POST /predict from C concurrent connections, for a fixed
// time and at most a fixed number of requests, timing each request to the microsecond (autocannon rounds
// to whole milliseconds, coarser than a one-sequence request). A .NET 10 file-based app:
//   dotnet run samples/PredictLoad/PredictLoad.cs -- [url] [connections=16] [seconds=10] [runs=3] [sizes=1,256]
// Batch sizes alternate within each round, so that a drift in the machine's speed touches every size alike.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

var url = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:5080/predict");
var connections = int.Parse(args.ElementAtOrDefault(1) ?? "16", CultureInfo.InvariantCulture);
var seconds = double.Parse(args.ElementAtOrDefault(2) ?? "10", CultureInfo.InvariantCulture);
var runs = int.Parse(args.ElementAtOrDefault(3) ?? "3", CultureInfo.InvariantCulture);
var sizes = (args.ElementAtOrDefault(4) ?? "1,256").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
const int MaxRequestsPerRun = 1_000_000;

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
{
    Timeout = TimeSpan.FromSeconds(30),
};

Console.WriteLine($"POST {url}, {connections} connections, {seconds} s per run (at most {MaxRequestsPerRun} requests), {runs} round(s)");
foreach (var size in sizes)
{
    await MeasureAsync(size, 2); // warm-up: JIT, ONNX Runtime's first runs, connection set-up
}

for (var run = 1; run <= runs; run++)
{
    foreach (var size in sizes)
    {
        var r = await MeasureAsync(size, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size,4} sequence(s)/request, run {run}: {r.PerSecond,7:F0} req/s  p50 {r.P50,6:F2} ms  p90 {r.P90,6:F2} ms  p99 {r.P99,6:F2} ms  ({r.Count} requests, {r.Failed} failed)"));
    }
}

async Task<Result> MeasureAsync(int size, double duration)
{
    var body = Encoding.UTF8.GetBytes("{\"sequences\": [" + string.Join(", ", Enumerable.Range(0, size).Select(i => $"[{i % 100}, {(i % 100) + 10}, {(i % 100) + 20}]")) + "]}");
    var started = Stopwatch.StartNew();
    var issued = 0;
    var failed = 0;
    var latencies = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        var mine = new List<double>();
        while (started.Elapsed.TotalSeconds < duration && Interlocked.Increment(ref issued) <= MaxRequestsPerRun)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync(url, content);
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref failed);
            }
        }

        return mine;
    }));
    var elapsed = started.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double At(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
    return new Result(all.Length, failed, all.Length / elapsed, At(0.50), At(0.90), At(0.99));
}

internal sealed record Result(int Count, int Failed, double PerSecond, double P50, double P90, double P99);
