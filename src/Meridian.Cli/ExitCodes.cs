namespace Meridian.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    /// <summary>Invalid configuration or arguments: nothing was started.</summary>
    public const int InvalidConfig = 2;
}
