using Meridian.SampleApp;

// Standalone entry point; the in-process demo host calls SampleApplication.Build directly.
SampleAppOptions options;
SampleAppMode mode;
try
{
    (options, mode) = SampleAppCommandLine.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(SampleAppCommandLine.Usage);
    return 2;
}

await using var app = SampleApplication.Build(options);
SampleApplication.GetControl(app).Mode = mode;
await app.RunAsync();
return 0;
