using Meridian.Topology.Model;

namespace Meridian.Health;

/// <summary>
/// Decides whether a reloaded check is "unchanged": every setting equal, lists by content, and the source position
/// ignored (moving a check in the YAML file must not reset its state).
/// </summary>
internal static class CheckConfigComparer
{
    private static readonly StatusRange[] NoRanges = [];
    private static readonly string[] NoStrings = [];

    public static bool SameSettings(HealthCheckConfig a, HealthCheckConfig b) =>
        Strip(a) == Strip(b)
        && a.ExpectedStatus.SequenceEqual(b.ExpectedStatus)
        && a.Locations.SequenceEqual(b.Locations, StringComparer.Ordinal)
        && a.Children.SequenceEqual(b.Children, StringComparer.Ordinal);

    private static HealthCheckConfig Strip(HealthCheckConfig c) =>
        c with { Location = SourceLocation.None, ExpectedStatus = NoRanges, Locations = NoStrings, Children = NoStrings };
}
