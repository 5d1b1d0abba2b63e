namespace Meridian.Drills;

/// <summary>Injects through a running Meridian that owns the region's components (the demo): POST /v1/drill/*.</summary>
public sealed class ControlApiInjector(HttpClient control) : IOutageInjector
{
    public async Task InjectAsync(string region, DrillMode mode, CancellationToken token)
    {
        using var response = await control.PostAsync($"v1/drill/outage?region={Uri.EscapeDataString(region)}&mode={mode.ToString().ToLowerInvariant()}", null, token);
        await EnsureAsync(response, "inject the outage", token);
    }

    public async Task RestoreAsync(string region, CancellationToken token)
    {
        using var response = await control.PostAsync($"v1/drill/restore?region={Uri.EscapeDataString(region)}", null, token);
        await EnsureAsync(response, "restore the region", token);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken token)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new DrillException($"could not {what}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
        }
    }
}
