using System.Text.Json;
using System.Text.Json.Serialization;

namespace SimpleRnnTorch.Tests.Forecasting;

/// <summary>statsmodels_reference.json, written by scripts/statsmodels_reference.py (statsmodels 0.13.5).</summary>
internal sealed record StatsmodelsReference(string Statsmodels, ReferenceCase[] Cases)
{
    private static readonly Lazy<StatsmodelsReference> Loaded = new(() =>
    {
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "SimpleRnnTorch.Tests", "Forecasting", "statsmodels_reference.json");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        return JsonSerializer.Deserialize<StatsmodelsReference>(File.ReadAllText(path), options)!;
    });

    public static StatsmodelsReference Instance => Loaded.Value;

    public static IEnumerable<object[]> CaseNames => Instance.Cases.Select(c => new object[] { c.Name });

    public static ReferenceCase Case(string name) => Instance.Cases.Single(c => c.Name == name);
}

internal sealed record ReferenceCase(string Name, double[] Values, int Horizon, ReferenceAr Ar, [property: JsonPropertyName("holt_winters")] ReferenceHoltWinters HoltWinters);

internal sealed record ReferenceAr(int MaxLag, int Order, double Intercept, double[] Coefficients, double[] Forecast);

internal sealed record ReferenceHoltWinters(int Season, double Alpha, double Beta, double Gamma, double Phi,
    double InitialLevel, double InitialTrend, double[] InitialSeason, double HeuristicLevel, double HeuristicTrend, double[] HeuristicSeason,
    double Sse, double[] Forecast);
