using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace SimpleRnnTorch.Service;

/// <summary>
/// The rate limiter policy of the model's endpoints (/predict, /forecast): ASP.NET Core's concurrency limiter,
/// one partition for the whole service, sized by <see cref="ServiceLimits.ConcurrentRequests"/> and
/// <see cref="ServiceLimits.QueuedRequests"/>; 0 concurrent requests means no limit. A refused request is a
/// 429 problem+json with Retry-After.
/// </summary>
internal static class ModelLimit
{
    public const string Policy = "model";

    public static RateLimitPartition<string> Partition(ServiceLimits limits) => limits.ConcurrentRequests > 0
        ? RateLimitPartition.GetConcurrencyLimiter(Policy, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.ConcurrentRequests,
            QueueLimit = limits.QueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        })
        : RateLimitPartition.GetNoLimiter(Policy);

    public static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServiceLimits>>().Value;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : limits.RetryAfterSeconds;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.Of(StatusCodes.Status429TooManyRequests,
                $"the service is answering {limits.ConcurrentRequests} request(s) to the model at once (and queues {limits.QueuedRequests}); retry after {retryAfter} s")
            .ExecuteAsync(http);
    }
}
