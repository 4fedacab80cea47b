using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace SimpleRnnTorch.Forecasting;

/// <summary>
/// A fitted damped Holt-Winters model, additive trend and additive season (ETS(A,Ad,A) point forecasts):
/// <code>
/// l[t] = α(y[t] − s[t−m]) + (1 − α)(l[t−1] + φ·b[t−1])
/// b[t] = β(l[t] − l[t−1]) + (1 − β)·φ·b[t−1]
/// s[t] = γ(y[t] − l[t−1] − φ·b[t−1]) + (1 − γ)·s[t−m]
/// ŷ[n+h] = l[n] + (φ + φ² + … + φ^h)·b[n] + s[n+h−m(k+1)],  k = ⌊(h − 1)/m⌋
/// </code>
/// the recursions of statsmodels' <c>ExponentialSmoothing(trend="add", damped_trend=True, seasonal="add")</c>.
/// Without a season (<see cref="Season"/> 0) the s terms are absent.
/// </summary>
/// <param name="Season">m, or 0 for damped Holt without a season.</param>
/// <param name="InitialSeason">s[1−m..0], oldest first (empty without a season).</param>
/// <param name="Sse">Sum of the in-sample one-step squared errors at these parameters.</param>
internal sealed record HoltWintersFit(int Season, double Alpha, double Beta, double Gamma, double Phi,
    double InitialLevel, double InitialTrend, double[] InitialSeason, double Sse,
    double Level, double Trend, double[] LastSeason)
{
    public double[] Forecast(int horizon)
    {
        var forecast = new double[horizon];
        double damping = 0, power = 1;
        for (var h = 0; h < horizon; h++)
        {
            power *= Phi;
            damping += power;
            forecast[h] = Level + damping * Trend + (Season > 0 ? LastSeason[h % Season] : 0);
        }

        return forecast;
    }
}

/// <summary>
/// Damped Holt-Winters (additive damped trend, additive season), parameters fitted by minimising the
/// in-sample one-step SSE.
/// </summary>
/// <remarks>
/// <para><b>Initial states</b> start from statsmodels' <c>initialization_method="heuristic"</c> (Hyndman and
/// Athanasopoulos §7.6): with a season, a centred moving average of order m (2×m for even m) over the first
/// k = max(min(5, ⌊n/m⌋), ⌈(10 + 2⌊m/2⌋)/m⌉) cycles; the initial seasonal terms are the mean detrended
/// value of each position, centred to sum to 0; the level and trend are the intercept and slope of a line
/// through the first 10 values of the moving average (or of the series, without a season). They are then
/// fitted with the parameters, as statsmodels' <c>fit()</c> does: for fixed parameters the one-step errors
/// are affine in the initial states, so the best states are a least-squares solution.</para>
/// <para><b>Parameters</b>, statsmodels' bounds and constraints: α ∈ [√ε, 1 − √ε], β ∈ [0, α],
/// γ ∈ [0, 1 − α], φ ∈ [0.8, 0.995]. Each is a point of [0, 1] mapped onto its range (the β and γ ranges
/// depend on α, as statsmodels' <c>to_restricted</c> does), and that point is sin²(πz/2) of an unbounded z,
/// so Nelder-Mead (MathNet) searches freely, every z is feasible, and the bounds themselves are reachable.
/// The fit alternates: Nelder-Mead over the parameters with the states fixed (from the best three points of
/// a coarse grid the first time, restarted until the SSE stops falling), then least squares over the states,
/// until the SSE stops falling. Both half-steps only lower the SSE.</para>
/// <para><b>Forecasts</b> use the last seasonal term at every step, h = m included (statsmodels 0.13.5 uses
/// the one before it at h = m, 2m, …: its issue #9538).</para>
/// <para><b>Fallback</b>: without a season (m ≤ 1), or with fewer than max(2m, 10 + 2⌊m/2⌋) values, the
/// seasonal heuristic cannot run, and the model is damped Holt without a season. Fewer than 10 values are
/// refused (<see cref="InsufficientHistoryException"/>). A finite history always gives finite forecasts.</para>
/// </remarks>
internal sealed class DampedHoltWintersForecaster : IForecaster
{
    private const double PhiLow = 0.8;
    private const double PhiHigh = 0.995;
    private static readonly double AlphaLow = Math.Sqrt(2.220446049250313e-16); // statsmodels LOWER_BOUND, √(machine ε)

    /// <param name="season">m; null or 1 fits damped Holt without a season.</param>
    public DampedHoltWintersForecaster(int? season = null)
    {
        if (season is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(season), season, "the season must be at least 1");
        }

        Season = season is > 1 ? season.Value : 0;
    }

    /// <summary>m, or 0 for no season.</summary>
    public int Season { get; }

    public string Name => Season > 0 ? $"damped Holt-Winters (m = {Season})" : "damped Holt";

    public int MinimumHistory => 10;

    /// <summary>Whether a history of <paramref name="length"/> values gets the seasonal model (else damped Holt).</summary>
    public bool UsesSeason(int length) => Season > 0 && length >= Math.Max(2 * Season, 10 + 2 * (Season / 2));

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        return Fit(history).Forecast(horizon);
    }

    public HoltWintersFit Fit(ReadOnlySpan<double> history)
    {
        if (history.Length < MinimumHistory)
        {
            throw new InsufficientHistoryException(Name, MinimumHistory, history.Length);
        }

        var y = history.ToArray();
        var m = UsesSeason(y.Length) ? Season : 0;
        var (level0, trend0, season0) = HeuristicInitialisation(y, m);
        var model = new Smoother(y, m);
        var states = new double[m + 2];
        (states[0], states[1]) = (level0, trend0);
        season0.CopyTo(states, 2);

        // Block coordinate descent on the SSE: the parameters by Nelder-Mead with the initial states fixed
        // (O(n) per evaluation), then the initial states by least squares with the parameters fixed, until
        // the SSE stops falling. Each half-step can only lower the SSE.
        var k = m > 0 ? 4 : 3;
        var z = GridStarts(model, states, m).First();
        var sse = model.Sse(Parameters(z, m), states);
        for (var cycle = 0; cycle < 25; cycle++)
        {
            var fixedStates = states;
            (z, sse) = Minimise(v => model.Sse(Parameters(v, m), fixedStates), cycle == 0 ? GridStarts(model, states, m).Take(3) : [z], k);
            var (fitted, fittedSse) = model.BestInitialStates(Parameters(z, m));
            if (!(fittedSse < sse * (1 - 1e-10)))
            {
                break;
            }

            (states, sse) = (fitted, fittedSse);
        }

        var (alpha, beta, gamma, phi) = Parameters(z, m);
        return model.Run(alpha, beta, gamma, phi, states);
    }

    /// <summary>The model at given parameters and initial states, unfitted: its SSE and final states.</summary>
    /// <param name="initialSeason">s[1−m..0], oldest first; its length is m (empty: no season).</param>
    internal static HoltWintersFit Evaluate(ReadOnlySpan<double> history, double alpha, double beta, double gamma, double phi,
        double initialLevel, double initialTrend, double[] initialSeason) =>
        new Smoother(history.ToArray(), initialSeason.Length).Run(alpha, beta, gamma, phi, [initialLevel, initialTrend, .. initialSeason]);

    /// <summary>statsmodels' <c>_initialization_heuristic</c> for an additive trend and (with m &gt; 1) an additive season.</summary>
    internal static (double Level, double Trend, double[] Season) HeuristicInitialisation(double[] y, int m)
    {
        var n = y.Length;
        double[] smooth = y;
        var season = Array.Empty<double>();
        if (m > 1)
        {
            var minObs = 10 + 2 * (m / 2);
            var cycles = Math.Max(Math.Min(5, n / m), (int)Math.Ceiling(minObs / (double)m));
            var length = Math.Min(n, cycles * m);

            // Centred moving average as pandas' rolling(m, center=True), then for even m the 2×m average.
            var ma = new double[length];
            Array.Fill(ma, double.NaN);
            var half = m / 2;
            for (var i = 0; i < length; i++)
            {
                double value;
                if (m % 2 == 1)
                {
                    value = WindowMean(y, i - half, m, length);
                }
                else
                {
                    // rolling(m, center=True) at j covers [j − m/2, j + m/2 − 1]; shift(−1), rolling(2) averages j = i and i + 1.
                    value = 0.5 * (WindowMean(y, i - half, m, length) + WindowMean(y, i + 1 - half, m, length));
                }

                ma[i] = value;
            }

            var sums = new double[m];
            var counts = new int[m];
            for (var i = 0; i < length; i++)
            {
                if (!double.IsNaN(ma[i]))
                {
                    sums[i % m] += y[i] - ma[i];
                    counts[i % m]++;
                }
            }

            season = new double[m];
            for (var j = 0; j < m; j++)
            {
                season[j] = sums[j] / counts[j];
            }

            var mean = season.Average();
            for (var j = 0; j < m; j++)
            {
                season[j] -= mean;
            }

            smooth = [.. ma.Where(v => !double.IsNaN(v))];
        }

        // Least-squares line a + b·x through the first 10 values at x = 1..10.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var i = 0; i < 10; i++)
        {
            var x = i + 1.0;
            sx += x;
            sy += smooth[i];
            sxx += x * x;
            sxy += x * smooth[i];
        }

        var slope = (10 * sxy - sx * sy) / (10 * sxx - sx * sx);
        return ((sy - slope * sx) / 10, slope, season);
    }

    /// <summary>The mean of y[start..start + width), NaN where the window leaves [0, length).</summary>
    private static double WindowMean(double[] y, int start, int width, int length)
    {
        if (start < 0 || start + width > length)
        {
            return double.NaN;
        }

        double sum = 0;
        for (var i = start; i < start + width; i++)
        {
            sum += y[i];
        }

        return sum / width;
    }

    /// <summary>z ∈ R^k onto (α, β, γ, φ) inside the bounds; γ is 0 without a season.</summary>
    private static (double Alpha, double Beta, double Gamma, double Phi) Parameters(Vector<double> z, int m)
    {
        static double Unit(double v)
        {
            var s = Math.Sin(Math.PI * v / 2);
            return s * s;
        }

        var alpha = AlphaLow + Unit(z[0]) * (1 - 2 * AlphaLow);
        var beta = Unit(z[1]) * alpha;
        var gamma = m > 0 ? Unit(z[2]) * (1 - alpha) : 0;
        var phi = PhiLow + Unit(z[m > 0 ? 3 : 2]) * (PhiHigh - PhiLow);
        return (alpha, beta, gamma, phi);
    }

    /// <summary>The inverse of the unit map: z with sin²(πz/2) = u.</summary>
    private static double ToZ(double u) => 2 / Math.PI * Math.Asin(Math.Sqrt(Math.Clamp(u, 0, 1)));

    /// <summary>The grid's points, best SSE first: α and the β, γ shares of their ranges, φ at the grid's values.</summary>
    private static IEnumerable<Vector<double>> GridStarts(Smoother model, double[] states, int m)
    {
        double[] alphas = [0.05, 0.2, 0.5, 0.8];
        double[] shares = [0.05, 0.3, 0.7];
        double[] phis = [0.85, 0.95, 0.99];
        double[] gammas = m > 0 ? shares : [0];
        var points = new List<(double Sse, Vector<double> Z)>();
        foreach (var a in alphas)
        {
            foreach (var b in shares)
            {
                foreach (var g in gammas)
                {
                    foreach (var p in phis)
                    {
                        var alpha = AlphaLow + a * (1 - 2 * AlphaLow);
                        var uPhi = (p - PhiLow) / (PhiHigh - PhiLow);
                        var z = m > 0
                            ? Vector<double>.Build.Dense([ToZ(a), ToZ(b), ToZ(g), ToZ(uPhi)])
                            : Vector<double>.Build.Dense([ToZ(a), ToZ(b), ToZ(uPhi)]);
                        points.Add((model.Sse((alpha, b * alpha, g * (1 - alpha), p), states), z));
                    }
                }
            }
        }

        return points.OrderBy(p => p.Sse).Select(p => p.Z);
    }

    /// <summary>Nelder-Mead from each start, each restarted from its own result until the SSE stops falling; the best result.</summary>
    private static (Vector<double> Z, double Sse) Minimise(Func<Vector<double>, double> objective, IEnumerable<Vector<double>> starts, int k)
    {
        var function = ObjectiveFunction.Value(objective);
        Vector<double>? bestZ = null;
        var bestSse = double.PositiveInfinity;
        foreach (var start in starts)
        {
            var z = start;
            var sse = objective(z);
            for (var restart = 0; restart < 10; restart++)
            {
                MinimizationResult result;
                try
                {
                    result = NelderMeadSimplex.Minimum(function, z, Vector<double>.Build.Dense(k, 0.1), 1e-10, 2000);
                }
                catch (MaximumIterationsException)
                {
                    break;
                }

                var value = result.FunctionInfoAtMinimum.Value;
                if (!(value < sse))
                {
                    break;
                }

                var improvement = (sse - value) / Math.Max(sse, double.Epsilon);
                (z, sse) = (result.MinimizingPoint, value);
                if (improvement < 1e-10)
                {
                    break;
                }
            }

            if (bestZ is null || sse < bestSse)
            {
                (bestZ, bestSse) = (z, sse);
            }
        }

        return (bestZ!, bestSse);
    }

    /// <summary>The recursions over one history; initial states are x = (l0, b0, s[1−m..0]).</summary>
    private sealed class Smoother(double[] y, int m)
    {
        public double Sse((double Alpha, double Beta, double Gamma, double Phi) p, double[] states)
        {
            var sse = Run(p.Alpha, p.Beta, p.Gamma, p.Phi, states).Sse;
            return double.IsFinite(sse) ? sse : double.MaxValue;
        }

        public HoltWintersFit Run(double alpha, double beta, double gamma, double phi, double[] states)
        {
            // s holds the last m seasonal terms as a ring: s[t mod m] is s[t − m] when y[t] arrives.
            var s = states[2..];
            double level = states[0], trend = states[1], sse = 0;
            for (var t = 0; t < y.Length; t++)
            {
                var seasonal = m > 0 ? s[t % m] : 0;
                var baseline = level + phi * trend;
                var error = y[t] - (baseline + seasonal);
                sse += error * error;
                var newLevel = alpha * (y[t] - seasonal) + (1 - alpha) * baseline;
                trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
                if (m > 0)
                {
                    s[t % m] = gamma * (y[t] - baseline) + (1 - gamma) * seasonal;
                }

                level = newLevel;
            }

            // Reorder the ring so that lastSeason[j] is the term for the (j + 1)-th step after the end.
            var last = new double[m];
            for (var j = 0; j < m; j++)
            {
                last[j] = s[(y.Length + j) % m];
            }

            return new HoltWintersFit(m, alpha, beta, gamma, phi, states[0], states[1], states[2..], sse, level, trend, last);
        }

        /// <summary>
        /// For fixed parameters every state, so every one-step error, is affine in the initial states x:
        /// e = c + G·x. The pass carries each state as (constant, gradient) and accumulates GᵀG and Gᵀc; the
        /// minimum-norm solution of GᵀG·x = −Gᵀc (a pseudo-inverse: x is unidentified along "all s up by c,
        /// l0 down by c") gives the SSE-minimising initial states.
        /// </summary>
        public (double[] States, double Sse) BestInitialStates((double Alpha, double Beta, double Gamma, double Phi) p)
        {
            var k = m + 2;
            var levelG = new double[k];
            var trendG = new double[k];
            var seasonG = new double[m][];
            var seasonC = new double[m];
            levelG[0] = 1;
            trendG[1] = 1;
            for (var j = 0; j < m; j++)
            {
                seasonG[j] = new double[k];
                seasonG[j][2 + j] = 1;
            }

            double levelC = 0, trendC = 0;
            var gram = new double[k, k];
            var rhs = new double[k];
            var errorG = new double[k];
            var baseG = new double[k];
            var newLevelG = new double[k];
            var zero = new double[k];
            var (alpha, beta, gamma, phi) = p;
            for (var t = 0; t < y.Length; t++)
            {
                var sG = m > 0 ? seasonG[t % m] : zero;
                var sC = m > 0 ? seasonC[t % m] : 0;
                var baseC = levelC + phi * trendC;
                var errorC = y[t] - baseC - sC;
                for (var i = 0; i < k; i++)
                {
                    baseG[i] = levelG[i] + phi * trendG[i];
                    errorG[i] = -baseG[i] - sG[i];
                }

                for (var i = 0; i < k; i++)
                {
                    var gi = errorG[i];
                    if (gi == 0)
                    {
                        continue;
                    }

                    rhs[i] -= gi * errorC;
                    for (var j = 0; j < k; j++)
                    {
                        gram[i, j] += gi * errorG[j];
                    }
                }

                var newLevelC = alpha * (y[t] - sC) + (1 - alpha) * baseC;
                for (var i = 0; i < k; i++)
                {
                    newLevelG[i] = -alpha * sG[i] + (1 - alpha) * baseG[i];
                    trendG[i] = beta * (newLevelG[i] - levelG[i]) + (1 - beta) * phi * trendG[i];
                    if (m > 0)
                    {
                        sG[i] = -gamma * baseG[i] + (1 - gamma) * sG[i];
                    }
                }

                trendC = beta * (newLevelC - levelC) + (1 - beta) * phi * trendC;
                if (m > 0)
                {
                    seasonC[t % m] = gamma * (y[t] - baseC) + (1 - gamma) * sC;
                }

                levelC = newLevelC;
                (levelG, newLevelG) = (newLevelG, levelG);
            }

            var x = Matrix<double>.Build.DenseOfArray(gram).PseudoInverse() * Vector<double>.Build.Dense(rhs);
            var states = x.ToArray();
            if (!states.All(double.IsFinite))
            {
                return (states, double.PositiveInfinity);
            }

            return (states, Sse(p, states));
        }
    }
}
