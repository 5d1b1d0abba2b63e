namespace Meridian.SampleApp.Endpoints;

/// <summary>JSON body of POST /admin/mode; query parameters of the same names override it.</summary>
internal sealed record ModeRequest(string? Mode, int? DelayMs, int? Status);
