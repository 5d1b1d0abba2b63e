using System.Diagnostics;

namespace Meridian.Storage.Tests.Support;

/// <summary>
/// Runs the real `aws` CLI against a store: credentials and region from the environment, config and credentials
/// files pointed at empty temp files so the user's own profile never leaks in.
/// </summary>
internal sealed class AwsCli : IDisposable
{
    private readonly string _endpoint;
    private readonly string _emptyConfig = Path.GetTempFileName();

    public AwsCli(string endpoint) => _endpoint = endpoint;

    /// <summary>Signs with this secret instead of the store's (to provoke SignatureDoesNotMatch).</summary>
    public string SecretKey { get; init; } = TestStore.SecretKey;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(_endpoint);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["AWS_ACCESS_KEY_ID"] = TestStore.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = SecretKey;
        start.Environment["AWS_DEFAULT_REGION"] = TestStore.Region;
        start.Environment["AWS_CONFIG_FILE"] = _emptyConfig;
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = _emptyConfig;
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aws {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    public void Dispose() => File.Delete(_emptyConfig);
}
