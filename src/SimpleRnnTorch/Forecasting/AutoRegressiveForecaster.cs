using MathNet.Numerics.LinearAlgebra;

namespace SimpleRnnTorch.Forecasting;

/// <summary>An autoregression y[t] = c + φ1·y[t−1] + … + φp·y[t−p] + e[t], fitted by least squares.</summary>
/// <param name="Order">p; 0 is the mean of the sample.</param>
/// <param name="Coefficients">φ1..φp.</param>
/// <param name="Observations">Rows of the regression the coefficients were fitted on (n − p).</param>
/// <param name="Aic">By order 0..max lag: n'·ln(SSE/n') + 2(p + 1), all on the same n' = n − max lag rows.</param>
internal sealed record AutoRegression(int Order, double Intercept, double[] Coefficients, int Observations, double[] Aic)
{
    /// <summary>The recursive multi-step forecast: each step's prediction stands in for the observation it forecasts.</summary>
    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        var window = new double[Order + horizon];
        history[^Order..].CopyTo(window);
        var forecast = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            var value = Intercept;
            for (var i = 0; i < Order; i++)
            {
                value += Coefficients[i] * window[Order + h - 1 - i];
            }

            window[Order + h] = value;
            forecast[h] = value;
        }

        return forecast;
    }
}

/// <summary>
/// An autoregression whose order is chosen by AIC, as statsmodels'
/// <c>ar_select_order(y, maxlag, ic="aic", trend="c")</c> then <c>.model.fit()</c> does: every order
/// 0..max lag is fitted by least squares with an intercept on the SAME rows, t = max lag..n−1, so their
/// AICs compare; the lowest wins (the smaller order on a tie); the chosen order is then refitted on every
/// row it can use, t = p..n−1. Forecasts are recursive.
/// </summary>
/// <remarks>
/// On a short history the max lag is capped at ⌊(n − 2) / 2⌋, so that the largest candidate still has more
/// rows than coefficients; the cap never binds when n ≥ 2·maxLag + 2. Two values are the minimum (order 0).
/// Least squares is by Householder QR; a rank-deficient design (a constant stretch) falls back to the
/// SVD pseudo-inverse, the minimum-norm solution statsmodels' OLS (pinv) also gives.
/// </remarks>
internal sealed class AutoRegressiveForecaster : IForecaster
{
    public AutoRegressiveForecaster(int maxLag)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        MaxLag = maxLag;
    }

    public int MaxLag { get; }

    public string Name => $"AR (AIC, max lag {MaxLag})";

    public int MinimumHistory => 2;

    public double[] Forecast(ReadOnlySpan<double> history, int horizon)
    {
        ForecasterChecks.Validate(this, history, horizon);
        return Fit(history).Forecast(history, horizon);
    }

    /// <summary>Selects the order and fits it; see the class remarks.</summary>
    public AutoRegression Fit(ReadOnlySpan<double> history)
    {
        if (history.Length < MinimumHistory)
        {
            throw new InsufficientHistoryException(Name, MinimumHistory, history.Length);
        }

        var maxLag = Math.Min(MaxLag, (history.Length - 2) / 2);
        var aic = new double[maxLag + 1];
        var sse = SumsOfSquares(history, maxLag);
        var rows = history.Length - maxLag;
        var best = 0;
        for (var p = 0; p <= maxLag; p++)
        {
            aic[p] = rows * Math.Log((sse[p] ?? LeastSquares(history, p, maxLag).Sse) / rows) + 2 * (p + 1);
            if (aic[p] < aic[best])
            {
                best = p;
            }
        }

        var (beta, _, n) = LeastSquares(history, best, best);
        return new AutoRegression(best, beta[0], beta[1..], n, aic);
    }

    /// <summary>
    /// The residual sum of squares of every order 0..max lag on the rows t = max lag..n−1, from one QR: the design
    /// [1, y[t−1], …, y[t−max lag]] with y[t] as a last column is factored once, and regressing y on the first p + 1
    /// columns leaves the squares of that last column of R below row p (Golub and Van Loan, §5.3): what p + 1 separate
    /// fits give, for one QR instead of max lag + 1 of them (the AR baseline of a 5,478-value daily backtest: 2.0 s → 0.2 s,
    /// docs/series.md). Null for an order whose columns are rank-deficient (a constant series): that one is fitted alone.
    /// </summary>
    internal static double?[] SumsOfSquares(ReadOnlySpan<double> y, int maxLag)
    {
        var rows = y.Length - maxLag;
        var augmented = Matrix<double>.Build.Dense(rows, maxLag + 2);
        for (var r = 0; r < rows; r++)
        {
            var t = maxLag + r;
            augmented[r, 0] = 1;
            for (var i = 1; i <= maxLag; i++)
            {
                augmented[r, i] = y[t - i];
            }

            augmented[r, maxLag + 1] = y[t];
        }

        var r2 = augmented.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).R;
        var result = new double?[maxLag + 1];
        double smallest = double.PositiveInfinity, largest = 0, tail = 0;
        for (var i = maxLag + 1; i >= 0; i--)
        {
            // tail: the squares of the last column from row i + 1 down (for order p = i, rows p + 1..max lag + 1).
            if (i <= maxLag)
            {
                result[i] = tail;
            }

            tail += r2[i, maxLag + 1] * r2[i, maxLag + 1];
        }

        for (var p = 0; p <= maxLag; p++)
        {
            // The same test as Solve's: the prefix's R diagonal spans under ten decades.
            var d = Math.Abs(r2[p, p]);
            (smallest, largest) = (Math.Min(smallest, d), Math.Max(largest, d));
            if (!(smallest > 1e-10 * largest))
            {
                result[p] = null;
            }
        }

        return result;
    }

    /// <summary>Regresses y[t] on [1, y[t−1], …, y[t−p]] for t = firstRow..n−1.</summary>
    private static (double[] Beta, double Sse, int Rows) LeastSquares(ReadOnlySpan<double> y, int p, int firstRow)
    {
        var rows = y.Length - firstRow;
        var x = Matrix<double>.Build.Dense(rows, p + 1);
        var target = Vector<double>.Build.Dense(rows);
        for (var r = 0; r < rows; r++)
        {
            var t = firstRow + r;
            x[r, 0] = 1;
            for (var i = 1; i <= p; i++)
            {
                x[r, i] = y[t - i];
            }

            target[r] = y[t];
        }

        var beta = Solve(x, target);
        var residual = target - x * beta;
        return (beta.ToArray(), residual.DotProduct(residual), rows);
    }

    private static Vector<double> Solve(Matrix<double> x, Vector<double> y)
    {
        var qr = x.QR();
        var diagonal = qr.R.Diagonal().Map(Math.Abs);
        if (diagonal.Minimum() > 1e-10 * diagonal.Maximum())
        {
            return qr.Solve(y);
        }

        return x.PseudoInverse() * y;
    }
}
