using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace SimpleRnnTorch.Inference;

/// <summary>The trend of an exponential smoothing model: none (ETS(·,N,·)), additive (A) or additive damped (Ad).</summary>
public enum SmoothingTrend
{
    None,
    Additive,
    Damped,
}

/// <summary>
/// One form of exponential smoothing with additive errors: its trend, its season m (0: none), and whether it smooths
/// the logarithms of the values (then its season and trend act as factors on the values: the multiplicative forms of
/// a positive series, fitted as additive ones on ln y).
/// </summary>
public sealed record SmoothingForm(SmoothingTrend Trend, int Season, bool Log)
{
    /// <summary>Smoothing parameters the form fits: α, β with a trend, γ with a season, φ when damped.</summary>
    public int Parameters => 1 + (Trend != SmoothingTrend.None ? 1 : 0) + (Season > 0 ? 1 : 0) + (Trend == SmoothingTrend.Damped ? 1 : 0);

    /// <summary>Initial states it fits: the level, the trend with one, and m − 1 free seasonal terms (they sum to a constant the level absorbs).</summary>
    public int States => 1 + (Trend != SmoothingTrend.None ? 1 : 0) + (Season > 0 ? Season - 1 : 0);

    /// <summary>As R's forecast package names it: ETS(A,Ad,A), with "log" for the forms fitted on ln y.</summary>
    public override string ToString() =>
        $"{(Log ? "log " : "")}ETS(A,{Trend switch { SmoothingTrend.None => "N", SmoothingTrend.Additive => "A", _ => "Ad" }},{(Season > 0 ? "A" : "N")})";
}

/// <summary>
/// A fitted exponential smoothing model (additive error, trend and season on y or on ln y):
/// <code>
/// l[t] = α(y[t] − s[t−m]) + (1 − α)(l[t−1] + φ·b[t−1])
/// b[t] = β(l[t] − l[t−1]) + (1 − β)·φ·b[t−1]
/// s[t] = γ(y[t] − l[t−1] − φ·b[t−1]) + (1 − γ)·s[t−m]
/// ŷ[n+h] = l[n] + (φ + φ² + … + φ^h)·b[n] + s[n+h−m(k+1)],  k = ⌊(h − 1)/m⌋
/// </code>
/// the recursions of statsmodels' <c>ExponentialSmoothing</c>; φ = 1 for an undamped trend, β = b = 0 without one, and
/// without a season (<see cref="Season"/> 0) the s terms are absent. A <see cref="Log"/> model's y is ln of the values,
/// and its forecast exp of the recursions'.
/// </summary>
/// <param name="Season">m, or 0 without a season.</param>
/// <param name="InitialSeason">s[1−m..0], oldest first (empty without a season).</param>
/// <param name="Sse">Sum of the in-sample one-step squared errors at these parameters (of ln y for a log model).</param>
public sealed record HoltWintersFit(int Season, double Alpha, double Beta, double Gamma, double Phi,
    double InitialLevel, double InitialTrend, double[] InitialSeason, double Sse,
    double Level, double Trend, double[] LastSeason)
{
    /// <summary>The form fitted; damped on y unless said.</summary>
    public SmoothingForm Form { get; init; } = new(SmoothingTrend.Damped, Season, false);

    /// <summary>Whether the model smooths ln y (<see cref="Form"/>'s).</summary>
    public bool Log => Form.Log;

    /// <summary>The corrected Akaike criterion the form was chosen by (<see cref="ExponentialSmoothing.Select"/>), on the values' scale.</summary>
    public double AicC { get; init; } = double.NaN;

    /// <summary>What the values were divided by before the fit (<see cref="ExponentialSmoothing.Select"/>'s mean absolute value): forecasts are multiplied back.</summary>
    public double Scale { get; init; } = 1;

    public double[] Forecast(int horizon) =>
        [.. ExponentialSmoothing.Projected(Level, Trend, Phi, horizon, h => Season > 0 ? LastSeason[h % Season] : 0).Select(Back)];

    /// <summary>A value of the recursions back on the values' scale: exp for a log model, times <see cref="Scale"/>.</summary>
    private double Back(double value) => (Log ? Math.Exp(value) : value) * Scale;

    /// <summary>
    /// The model's forecasts of <paramref name="steps"/> values from each of <paramref name="origins"/> (ascending, each at
    /// most y's length) on the series it was fitted on or one that continues it: the recursions start from the fitted
    /// initial states at y[0] and run, with the fitted parameters, over y[..origin]: a model fitted once, fed the values
    /// after its fit as they come, as a backtest of the network is.
    /// </summary>
    public double[][] ForecastsFrom(ReadOnlySpan<double> y, IReadOnlyList<int> origins, int steps)
    {
        var scaled = y.ToArray();
        for (var i = 0; i < scaled.Length; i++)
        {
            scaled[i] /= Scale;
        }

        var x = ExponentialSmoothing.Transformed(scaled, Log);
        var forecasts = new ExponentialSmoothing.Smoother(x, Season, Form.Trend != SmoothingTrend.None)
            .ForecastsFrom(Alpha, Beta, Gamma, Phi, [InitialLevel, InitialTrend, .. InitialSeason], origins, steps);
        return [.. forecasts.Select(f => f.Select(Back).ToArray())];
    }
}

/// <summary>
/// Exponential smoothing, every form of <see cref="SmoothingForm"/>: parameters and initial states fitted by minimising
/// the in-sample one-step SSE, and the form chosen by AICc (<see cref="Select"/>), as R's <c>ets</c> chooses among its
/// additive-error forms; the forms on ln y stand in for its multiplicative ones.
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
/// </remarks>
public static class ExponentialSmoothing
{
    /// <summary>The fewest values a model is fitted on.</summary>
    public const int MinimumHistory = 10;

    private const double PhiLow = 0.8;
    private const double PhiHigh = 0.995;
    private static readonly double AlphaLow = Math.Sqrt(2.220446049250313e-16); // statsmodels LOWER_BOUND, √(machine ε)

    /// <summary>Whether <paramref name="length"/> values are enough for the heuristic's seasonal start with season m.</summary>
    public static bool SeasonFits(int season, int length) => season > 1 && length >= ValuesToStart(season);

    /// <summary>The fewest values that start a season m (<see cref="SeasonFits"/>): two seasons and at least 10 + 2⌊m/2⌋ (14 for quarters, 16 for days of the week, 24 for months).</summary>
    public static int ValuesToStart(int season) => Math.Max(2 * season, 10 + (2 * (season / 2)));

    /// <summary>
    /// Every form <paramref name="y"/> can take (a season m where <see cref="SeasonFits"/>, ln y where every value is
    /// positive, and more values than parameters, states and the variance to fit; <see cref="Candidate"/>), each fitted, and the one of least
    /// AICc = n·ln(SSE/n) + 2k + 2k(k + 1)/(n − k − 1), k counting parameters, states and the variance; a form on ln y
    /// adds 2·Σ ln y, the Jacobian that puts its likelihood on the values' scale. Ties go to the simpler form. The values are
    /// first divided by their mean absolute value (<see cref="HoltWintersFit.Scale"/>), so that c·y is fitted as y is and
    /// forecast c times as high: the optimiser's tolerances do not see the units.
    /// </summary>
    /// <exception cref="ArgumentException">fewer than <see cref="MinimumHistory"/> values, or one that is not finite.</exception>
    /// <param name="allowLog">false leaves out the forms on ln y.</param>
    public static HoltWintersFit Select(ReadOnlySpan<double> y, int? season, bool allowLog = true)
    {
        CheckHistory(y);
        var n = y.Length;
        double size = 0;
        foreach (var v in y)
        {
            size += Math.Abs(v) / n;
        }

        var scale = size > 0 ? size : 1;
        var scaled = y.ToArray();
        for (var i = 0; i < n; i++)
        {
            scaled[i] /= scale;
        }

        y = scaled;
        int[] seasons = season is { } m && SeasonFits(m, n) ? [0, m] : [0];
        var positive = true;
        double logSum = 0;
        foreach (var v in y)
        {
            positive &= v > 0;
            logSum += positive ? Math.Log(v) : 0;
        }

        HoltWintersFit? best = null;
        foreach (var log in positive && allowLog ? new[] { false, true } : [false])
        {
            foreach (var s in seasons)
            {
                foreach (var trend in new[] { SmoothingTrend.None, SmoothingTrend.Additive, SmoothingTrend.Damped })
                {
                    if (!Candidate(trend, log))
                    {
                        continue;
                    }

                    var form = new SmoothingForm(trend, s, log);
                    var k = form.Parameters + form.States + 1;
                    if (n - k - 1 <= 0)
                    {
                        continue;
                    }

                    var fit = Fit(y, form);
                    var aicc = (n * Math.Log(Math.Max(fit.Sse / n, 1e-300))) + (2 * k) + (2.0 * k * (k + 1) / (n - k - 1)) + (log ? 2 * logSum : 0);
                    if (best is null || aicc < best.AicC)
                    {
                        best = fit with { AicC = aicc, Scale = scale };
                    }
                }
            }
        }

        return best!;
    }

    /// <summary>
    /// Whether <see cref="Select"/> weighs a form: every one but an undamped trend on ln y, which is growth by a fixed factor
    /// forever (R's <c>ets</c> leaves out multiplicative trends by default for the same reason): on short yearly series it
    /// ran away (a census of 19 decades forecast at 5.5 times the naive error), and leaving it out took the corpus' mean MASE
    /// of smoothing alone from 1.938 to 1.707 (docs/series.md).
    /// </summary>
    public static bool Candidate(SmoothingTrend trend, bool log) => !(log && trend == SmoothingTrend.Additive);

    /// <summary>Fits one form on <paramref name="y"/>; a season the history cannot start (<see cref="SeasonFits"/>) is left out.</summary>
    /// <exception cref="ArgumentException">fewer than <see cref="MinimumHistory"/> values, one that is not finite, or (for a log form) one that is not positive.</exception>
    public static HoltWintersFit Fit(ReadOnlySpan<double> y, SmoothingForm form)
    {
        CheckHistory(y);
        var m = SeasonFits(form.Season, y.Length) ? form.Season : 0;
        form = form with { Season = m };
        if (form.Log && !AllPositive(y))
        {
            throw new ArgumentException("a form on ln y needs every value positive", nameof(y));
        }

        var x = Transformed(y, form.Log);
        var (level0, trend0, season0) = HeuristicInitialisation(x, m);
        var trended = form.Trend != SmoothingTrend.None;
        var model = new Smoother(x, m, trended);
        var states = new double[m + 2];
        (states[0], states[1]) = (level0, trended ? trend0 : 0);
        season0.CopyTo(states, 2);

        // Block coordinate descent on the SSE: the parameters by Nelder-Mead with the initial states fixed
        // (O(n) per evaluation), then the initial states by least squares with the parameters fixed, until
        // the SSE stops falling. Each half-step can only lower the SSE.
        var k = form.Parameters;
        var z = GridStarts(model, states, form).First();
        var sse = model.Sse(Parameters(z, form), states);
        for (var cycle = 0; cycle < 25; cycle++)
        {
            var fixedStates = states;
            (z, sse) = Minimise(v => model.Sse(Parameters(v, form), fixedStates), cycle == 0 ? GridStarts(model, states, form).Take(3) : [z], k);
            var (fitted, fittedSse) = model.BestInitialStates(Parameters(z, form));
            if (!(fittedSse < sse * (1 - 1e-10)))
            {
                break;
            }

            (states, sse) = (fitted, fittedSse);
        }

        var (alpha, beta, gamma, phi) = Parameters(z, form);
        return model.Run(alpha, beta, gamma, phi, states) with { Form = form };
    }

    /// <summary>The model at given parameters and initial states, unfitted: its SSE and final states (a damped form on y).</summary>
    /// <param name="initialSeason">s[1−m..0], oldest first; its length is m (empty: no season).</param>
    public static HoltWintersFit Evaluate(ReadOnlySpan<double> history, double alpha, double beta, double gamma, double phi,
        double initialLevel, double initialTrend, double[] initialSeason) =>
        new Smoother(history.ToArray(), initialSeason.Length).Run(alpha, beta, gamma, phi, [initialLevel, initialTrend, .. initialSeason]);

    /// <summary>ŷ[h] = level + (φ + … + φ^h)·trend + seasonal(h − 1) for h = 1..steps, on the recursions' scale.</summary>
    internal static double[] Projected(double level, double trend, double phi, int steps, Func<int, double> seasonal)
    {
        var forecast = new double[steps];
        double damping = 0, power = 1;
        for (var h = 0; h < steps; h++)
        {
            power *= phi;
            damping += power;
            forecast[h] = level + damping * trend + seasonal(h);
        }

        return forecast;
    }

    internal static double[] Transformed(ReadOnlySpan<double> y, bool log)
    {
        var x = y.ToArray();
        if (log)
        {
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = Math.Log(x[i]);
            }
        }

        return x;
    }

    private static bool AllPositive(ReadOnlySpan<double> y)
    {
        foreach (var v in y)
        {
            if (!(v > 0))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckHistory(ReadOnlySpan<double> y)
    {
        if (y.Length < MinimumHistory)
        {
            throw new ArgumentException($"exponential smoothing needs at least {MinimumHistory} values, got {y.Length}", nameof(y));
        }

        for (var i = 0; i < y.Length; i++)
        {
            if (!double.IsFinite(y[i]))
            {
                throw new ArgumentException($"y[{i}] is {y[i]}; exponential smoothing needs finite values", nameof(y));
            }
        }
    }

    /// <summary>statsmodels' <c>_initialization_heuristic</c> for an additive trend and (with m &gt; 1) an additive season.</summary>
    public static (double Level, double Trend, double[] Season) HeuristicInitialisation(double[] y, int m)
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

    /// <summary>z onto (α, β, γ, φ) inside the bounds, z holding α, then β (a trend), γ (a season), φ (damped); the others are β = 0, γ = 0, φ = 1.</summary>
    private static (double Alpha, double Beta, double Gamma, double Phi) Parameters(Vector<double> z, SmoothingForm form)
    {
        static double Unit(double v)
        {
            var s = Math.Sin(Math.PI * v / 2);
            return s * s;
        }

        var i = 0;
        var alpha = AlphaLow + Unit(z[i++]) * (1 - 2 * AlphaLow);
        var beta = form.Trend != SmoothingTrend.None ? Unit(z[i++]) * alpha : 0;
        var gamma = form.Season > 0 ? Unit(z[i++]) * (1 - alpha) : 0;
        var phi = form.Trend == SmoothingTrend.Damped ? PhiLow + Unit(z[i]) * (PhiHigh - PhiLow) : 1;
        return (alpha, beta, gamma, phi);
    }

    /// <summary>The inverse of the unit map: z with sin²(πz/2) = u.</summary>
    private static double ToZ(double u) => 2 / Math.PI * Math.Asin(Math.Sqrt(Math.Clamp(u, 0, 1)));

    /// <summary>The grid's points, best SSE first: α and the β, γ shares of their ranges, φ at the grid's values (each only where the form has it).</summary>
    private static IEnumerable<Vector<double>> GridStarts(Smoother model, double[] states, SmoothingForm form)
    {
        double[] alphas = [0.05, 0.2, 0.5, 0.8];
        double[] shares = [0.05, 0.3, 0.7];
        var trended = form.Trend != SmoothingTrend.None;
        var damped = form.Trend == SmoothingTrend.Damped;
        double[] betas = trended ? shares : [0];
        double[] gammas = form.Season > 0 ? shares : [0];
        double[] phis = damped ? [0.85, 0.95, 0.99] : [1];
        var points = new List<(double Sse, Vector<double> Z)>();
        foreach (var a in alphas)
        {
            foreach (var b in betas)
            {
                foreach (var g in gammas)
                {
                    foreach (var p in phis)
                    {
                        var alpha = AlphaLow + a * (1 - 2 * AlphaLow);
                        List<double> z = [ToZ(a)];
                        if (trended)
                        {
                            z.Add(ToZ(b));
                        }

                        if (form.Season > 0)
                        {
                            z.Add(ToZ(g));
                        }

                        if (damped)
                        {
                            z.Add(ToZ((p - PhiLow) / (PhiHigh - PhiLow)));
                        }

                        points.Add((model.Sse((alpha, b * alpha, g * (1 - alpha), p), states), Vector<double>.Build.Dense([.. z])));
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
    internal sealed class Smoother(double[] y, int m, bool trended = true)
    {
        /// <summary>The recursions at y[t]: the states updated in place (s as a ring: s[t mod m] is s[t − m]); the one-step error.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private double Step(int t, double[] s, ref double level, ref double trend, double alpha, double beta, double gamma, double phi)
        {
            var seasonal = m > 0 ? s[t % m] : 0;
            var baseline = level + phi * trend;
            var error = y[t] - (baseline + seasonal);
            var newLevel = alpha * (y[t] - seasonal) + (1 - alpha) * baseline;
            trend = beta * (newLevel - level) + (1 - beta) * phi * trend;
            if (m > 0)
            {
                s[t % m] = gamma * (y[t] - baseline) + (1 - gamma) * seasonal;
            }

            level = newLevel;
            return error;
        }

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
                var error = Step(t, s, ref level, ref trend, alpha, beta, gamma, phi);
                sse += error * error;
            }

            // Reorder the ring so that lastSeason[j] is the term for the (j + 1)-th step after the end.
            var last = new double[m];
            for (var j = 0; j < m; j++)
            {
                last[j] = s[(y.Length + j) % m];
            }

            return new HoltWintersFit(m, alpha, beta, gamma, phi, states[0], states[1], states[2..], sse, level, trend, last);
        }

        /// <summary>The forecasts of <paramref name="steps"/> values from each origin (ascending): the recursions run over y[..origin], then forecast.</summary>
        public double[][] ForecastsFrom(double alpha, double beta, double gamma, double phi, double[] states, IReadOnlyList<int> origins, int steps)
        {
            var s = states[2..];
            double level = states[0], trend = states[1];
            var forecasts = new double[origins.Count][];
            var next = 0;
            for (var t = 0; t <= y.Length && next < origins.Count; t++)
            {
                while (next < origins.Count && origins[next] == t)
                {
                    var at = t;
                    forecasts[next++] = Projected(level, trend, phi, steps, h => m > 0 ? s[(at + h) % m] : 0);
                }

                if (t == y.Length)
                {
                    break;
                }

                Step(t, s, ref level, ref trend, alpha, beta, gamma, phi);
            }

            return forecasts;
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

            if (!trended)
            {
                // Without a trend b0 is not a state: its row and column go, and the minimum-norm solution leaves it 0.
                for (var i = 0; i < k; i++)
                {
                    (gram[1, i], gram[i, 1]) = (0, 0);
                }

                rhs[1] = 0;
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
