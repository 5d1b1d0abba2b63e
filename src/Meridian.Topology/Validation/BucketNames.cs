using System.Net;

namespace Meridian.Topology.Validation;

/// <summary>
/// S3 general-purpose bucket naming rules: 3-63 characters of lowercase letters, digits, dots and hyphens, starting
/// and ending with a letter or digit, no "..", not shaped like an IP address, none of S3's reserved prefixes/suffixes.
/// The object store relies on this too: a valid name is always a safe directory name.
/// </summary>
public static class BucketNames
{
    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    /// <summary>Null when valid, otherwise why not.</summary>
    public static string? Check(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return $"bucket names are 3 to 63 characters, '{name}' has {name.Length}";
        }
        if (!name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
        {
            return $"bucket names use only lowercase letters, digits, '.' and '-', found '{name}'";
        }
        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return $"bucket names start and end with a letter or digit, found '{name}'";
        }
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return $"bucket names have no two adjacent dots, found '{name}'";
        }
        if (name.Split('.').Length == 4 && IPAddress.TryParse(name, out _))
        {
            return $"bucket names are not IP addresses, found '{name}'";
        }
        if (ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            return $"bucket names do not start with the reserved prefix '{prefix}', found '{name}'";
        }
        if (ReservedSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
        {
            return $"bucket names do not end with the reserved suffix '{suffix}', found '{name}'";
        }
        return null;
    }

    public static bool IsValid(string name) => Check(name) is null;
}
