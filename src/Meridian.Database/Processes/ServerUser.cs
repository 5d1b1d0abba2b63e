using System.Runtime.InteropServices;

namespace Meridian.Database.Processes;

/// <summary>
/// The OS account the PostgreSQL servers run as. PostgreSQL refuses to run as root, so when Meridian runs as root
/// (as CI does) the servers run as <c>postgres</c>, the account the Debian package creates; otherwise as the
/// current user.
/// </summary>
internal static partial class ServerUser
{
    public const string PostgresAccount = "postgres";

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);

    public static bool IsRoot { get; } = OperatingSystem.IsLinux() && GetEuid() == 0;

    /// <summary>Name of the account servers run as.</summary>
    public static string Name => IsRoot ? PostgresAccount : Environment.UserName;

    /// <summary>uid and gid of <c>postgres</c> from /etc/passwd; throws with the install hint when the account does not exist.</summary>
    public static (uint Uid, uint Gid) PostgresIds()
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var parts = line.Split(':');
            if (parts.Length > 3 && parts[0] == PostgresAccount)
            {
                return (uint.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), uint.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        throw new DatabaseException("Meridian runs as root and PostgreSQL refuses to: it runs the servers as the 'postgres' account, which does not exist. " +
            "Install the server package (`apt-get install postgresql` creates it) or run Meridian as an ordinary user.");
    }

    /// <summary>Gives a file or folder Meridian created (as root) to the server account; no-op when not root.</summary>
    public static void Own(string path)
    {
        if (!IsRoot)
        {
            return;
        }
        var (uid, gid) = PostgresIds();
        if (Chown(path, uid, gid) != 0)
        {
            throw new DatabaseException($"cannot give {path} to the postgres account (chown failed, errno {Marshal.GetLastPInvokeError()})");
        }
    }
}
