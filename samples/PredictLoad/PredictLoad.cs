// A bounded load loop for SimpleRnnTorch.Service: POST /predict from C concurrent connections, for a fixed
// time and at most a fixed number of requests, timing each request to the microsecond (autocannon rounds
// to whole milliseconds, coarser than a one-sequence request). A .NET 10 file-based app:
//   dotnet run samples/PredictLoad/PredictLoad.cs -- [url] [connections=16] [seconds=10] [runs=3] [targets=1,256]
// A target is a batch size N (POST url with N sequences), forecast:H or forecast:H=URL (POST /forecast beside url,
// or to URL, horizon H, from the last 12 values of data/nile.csv) or floor=URL (one sequence posted to another
// server, e.g. ConstantFloor.cs). Targets alternate
// within each round, so that a drift in the machine's speed touches every target alike; the last lines are
// each target's median over the rounds.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

var url = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:5080/predict");
var connections = int.Parse(args.ElementAtOrDefault(1) ?? "16", CultureInfo.InvariantCulture);
var seconds = double.Parse(args.ElementAtOrDefault(2) ?? "10", CultureInfo.InvariantCulture);
var runs = int.Parse(args.ElementAtOrDefault(3) ?? "3", CultureInfo.InvariantCulture);
var targets = (args.ElementAtOrDefault(4) ?? "1,256").Split(',').Select(t => Target.Parse(t, url)).ToArray();
const int MaxRequestsPerRun = 1_000_000;

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
{
    Timeout = TimeSpan.FromSeconds(30),
};

Console.WriteLine($"POST {url}, {connections} connections, {seconds} s per run (at most {MaxRequestsPerRun} requests), {runs} round(s)");
foreach (var target in targets)
{
    await MeasureAsync(target, 2); // warm-up: JIT, ONNX Runtime's first runs, connection set-up
}

var results = targets.ToDictionary(t => t.Name, _ => new List<Result>());
for (var run = 1; run <= runs; run++)
{
    foreach (var target in targets)
    {
        var r = await MeasureAsync(target, seconds);
        results[target.Name].Add(r);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{target.Name,-22} run {run}: {r.PerSecond,7:F0} req/s  p50 {r.P50,6:F2} ms  p90 {r.P90,6:F2} ms  p99 {r.P99,6:F2} ms  ({r.Count} requests, {r.Failed} failed)"));
    }
}

Console.WriteLine($"median of {runs} run(s):");
foreach (var (name, list) in results)
{
    double Median(Func<Result, double> f) => list.Select(f).Order().ElementAt(list.Count / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Median(r => r.PerSecond):F0} | {Median(r => r.P50):F2} | {Median(r => r.P99):F2} | {list.Sum(r => r.Failed)} |"));
}

async Task<Result> MeasureAsync(Target target, double duration)
{
    var (endpoint, body) = (target.Url, target.Body);
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
            using var response = await client.PostAsync(endpoint, content);
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

internal sealed record Target(string Name, Uri Url, byte[] Body)
{
    public static Target Parse(string text, Uri predict)
    {
        if (text.StartsWith("floor=", StringComparison.Ordinal))
        {
            return new("floor (constant)", new Uri(text["floor=".Length..]), Sequences(1));
        }

        if (text.StartsWith("forecast:", StringComparison.Ordinal))
        {
            var spec = text["forecast:".Length..];
            var at = spec.IndexOf('=', StringComparison.Ordinal);
            var horizon = int.Parse(at < 0 ? spec : spec[..at], CultureInfo.InvariantCulture);
            var endpoint = at < 0 ? new Uri(predict, "/forecast") : new Uri(spec[(at + 1)..]);
            // The Nile's annual flow, 1959 to 1970: positive, as a ratio-scaled model needs; a model of fewer
            // time steps uses the last ones.
            return new($"/forecast horizon {horizon}", endpoint, Encoding.UTF8.GetBytes($"{{\"values\": [975, 815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 740], \"horizon\": {horizon}}}"));
        }

        var size = int.Parse(text, CultureInfo.InvariantCulture);
        return new($"/predict {size} seq", predict, Sequences(size));
    }

    private static byte[] Sequences(int size) =>
        Encoding.UTF8.GetBytes("{\"sequences\": [" + string.Join(", ", Enumerable.Range(0, size).Select(i => $"[{i % 100}, {(i % 100) + 10}, {(i % 100) + 20}]")) + "]}");
}

internal sealed record Result(int Count, int Failed, double PerSecond, double P50, double P90, double P99);
