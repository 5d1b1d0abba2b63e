namespace Meridian.Balancer.Tests;

internal static class SlowRequestHelper
{
    /// <summary>
    /// Sends requests until one is held by <paramref name="slow"/> (the others complete on other targets) and
    /// returns the held request, still pending.
    /// </summary>
    public static async Task<Task<HttpResponseMessage>> HoldOneAsync(BalancerHarness h, TestBackend slow, string path = "/")
    {
        var held = slow.Waiting;
        for (var attempt = 0; attempt < h.Backends.Count + 1; attempt++)
        {
            var request = h.Client.GetAsync(path);
            await BalancerHarness.WaitUntilAsync(() => request.IsCompleted || slow.Waiting > held, "request routed");
            if (!request.IsCompleted)
            {
                return request;
            }

            (await request).Dispose();
        }

        throw new InvalidOperationException("no request reached the slow target");
    }
}
