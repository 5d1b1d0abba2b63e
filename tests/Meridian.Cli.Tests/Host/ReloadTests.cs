using System.Net;
using System.Text.Json;
using DnsClient;
using Meridian.Cli.Tests.Support;
using Xunit.Abstractions;
using static Meridian.Cli.Tests.Support.Topologies;

namespace Meridian.Cli.Tests.Host;

/// <summary>Topology reload: file watch, <see cref="Hosting.MeridianHost.ReloadFromFile"/>, POST /v1/reload, rejected edits.</summary>
public sealed class ReloadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly string Name = Fqdn("static");

    [Fact]
    public async Task FileWatch_RecordValueEdited_QueriesSeeNewValue()
    {
        using var file = TopologyFile.Create(Static("192.0.2.1"));
        await using var meridian = await HostedMeridian.StartAsync(file, watchConfig: true);
        var dns = meridian.Lookup();
        Assert.Equal("192.0.2.1", await dns.AddressesAsync(Name));

        file.Write(Static("192.0.2.2"));
        var took = await Eventually.Until(async () => await dns.AddressesAsync(Name) == "192.0.2.2", Bound, "the edited value is served");
        output.WriteLine($"file watch: new value served {took.TotalMilliseconds:0} ms after the write");
    }

    [Fact]
    public async Task ReloadFromFile_RecordValueEdited_ServedImmediately()
    {
        using var file = TopologyFile.Create(Static("192.0.2.1"));
        await using var meridian = await HostedMeridian.StartAsync(file);
        file.Write(Static("192.0.2.3"));

        var result = meridian.Host.ReloadFromFile();

        Assert.True(result.Succeeded);
        Assert.Equal("192.0.2.3", await meridian.Lookup().AddressesAsync(Name));
        Assert.Equal("192.0.2.3", await meridian.Lookup(tcp: true).AddressesAsync(Name));
    }

    [Fact]
    public async Task PostReload_RecordValueEdited_Returns200AndServesNewValue()
    {
        using var file = TopologyFile.Create(Static("192.0.2.1"));
        await using var meridian = await HostedMeridian.StartAsync(file);
        file.Write(Static("192.0.2.4"));

        using var response = await meridian.Http.PostAsync("v1/reload", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("applied").GetBoolean());
        Assert.Equal("192.0.2.4", await meridian.Lookup().AddressesAsync(Name));
    }

    [Fact]
    public async Task PostReload_UnknownKeyAdded_Returns422WithLocatedErrorsAndKeepsOldAnswers()
    {
        using var file = TopologyFile.Create(Static("192.0.2.1"));
        await using var meridian = await HostedMeridian.StartAsync(file);
        // A changed value plus a misspelt key: nothing of the edit may apply.
        var invalid = Static("192.0.2.9").Replace("    path: /health\n", "    path: /health\n    intervall: 2s\n");
        Assert.NotEqual(Static("192.0.2.9"), invalid);
        file.Write(invalid);

        using var response = await meridian.Http.PostAsync("v1/reload", null);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine(text);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        Assert.False(body.RootElement.GetProperty("applied").GetBoolean());
        var errors = body.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.NotEmpty(errors);
        var line = invalid.Split('\n').ToList().FindIndex(l => l.Contains("intervall")) + 1;
        Assert.Contains(errors, e => e.StartsWith($"{file.Path}:{line}:", StringComparison.Ordinal)
            && e.Contains("health_checks.primary-app.intervall", StringComparison.Ordinal)
            && e.Contains("did you mean 'interval'", StringComparison.Ordinal));
        Assert.Equal("192.0.2.1", await meridian.Lookup().AddressesAsync(Name));
        Assert.False(meridian.Host.ReloadFromFile().Succeeded);
        Assert.Equal("192.0.2.1", await meridian.Lookup(tcp: true).AddressesAsync(Name));
    }

    [Fact]
    public async Task FileWatch_InvalidEdit_OldAnswersKeepBeingServed()
    {
        using var file = TopologyFile.Create(Static("192.0.2.1"));
        await using var meridian = await HostedMeridian.StartAsync(file, watchConfig: true);
        var dns = meridian.Lookup();
        file.Write(Static("192.0.2.5").Replace("zones:", "zonez:"));

        // The watcher rejects it and the old value keeps being served; a valid edit after it is still picked up.
        await Eventually.Until(() => meridian.Logs.Contains("Reload rejected"), Bound, "the watcher rejects the invalid edit");
        Assert.Contains(meridian.Logs.Lines, l => l.Contains("zonez", StringComparison.Ordinal));
        Assert.Equal("192.0.2.1", await dns.AddressesAsync(Name));
        file.Write(Static("192.0.2.6"));
        await Eventually.Until(async () => await dns.AddressesAsync(Name) == "192.0.2.6", Bound, "the next valid edit is served");
    }

    [Fact]
    public async Task ReloadFromFile_TwentyReloadsDuringQueryLoad_NoQueryFails()
    {
        const int Queries = 2000;
        const int Workers = 4;
        const int Reloads = 20;
        using var file = TopologyFile.Create(Static("192.0.2.10"));
        await using var meridian = await HostedMeridian.StartAsync(file);
        var expected = Enumerable.Range(10, Reloads + 1).Select(i => $"192.0.2.{i}").ToHashSet();
        var failures = new List<string>();
        var answered = 0;
        using var done = new CancellationTokenSource();

        async Task Worker(int worker)
        {
            var dns = meridian.Lookup(tcp: worker % 2 == 1);
            for (var i = 0; i < Queries / Workers; i++)
            {
                try
                {
                    var value = await dns.AddressesAsync(Name);
                    if (!expected.Contains(value))
                    {
                        lock (failures) { failures.Add($"unexpected answer '{value}'"); }
                    }
                }
                catch (Exception ex) when (ex is DnsResponseException or InvalidOperationException)
                {
                    lock (failures) { failures.Add(ex.Message); }
                }

                Interlocked.Increment(ref answered);
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => Worker(w))));
        for (var reload = 1; reload <= Reloads; reload++)
        {
            // Spread the reloads across the load: wait for some queries between them (bounded by the load finishing).
            var before = Volatile.Read(ref answered);
            await Eventually.Until(() => load.IsCompleted || Volatile.Read(ref answered) >= before + Queries / (Reloads * 2), Bound, "queries progress");
            file.Write(Static($"192.0.2.{10 + reload}"));
            Assert.True(meridian.Host.ReloadFromFile().Succeeded);
        }

        await load.WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{answered} queries during {Reloads} reloads, {failures.Count} failures");
        Assert.Empty(failures);
        Assert.Equal(Queries, answered);
        Assert.Equal($"192.0.2.{10 + Reloads}", await meridian.Lookup().AddressesAsync(Name));
    }
}
