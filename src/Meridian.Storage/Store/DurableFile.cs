using System.Runtime.InteropServices;

namespace Meridian.Storage.Store;

/// <summary>
/// Crash-safe file updates: write a temp file, fsync it, rename it over the target, fsync the directory. After
/// <see cref="Commit"/> returns, the new content survives kill -9 and power loss; before, the old content (or none)
/// is what a reader or a restart sees, never a mix.
/// </summary>
internal static class DurableFile
{
    private const int ORdOnly = 0, ODirectory = 0x10000; // Linux open(2) flags

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, string tempDirectory)
    {
        var temp = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            Commit(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Renames an already fsynced temp file to <paramref name="path"/> and fsyncs the target directory.</summary>
    public static void Commit(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Creates the directory (and parents), fsyncing each new entry's parent so the path itself is durable.</summary>
    public static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        var parent = Path.GetDirectoryName(path);
        if (parent is not null)
        {
            EnsureDirectory(parent);
        }
        Directory.CreateDirectory(path);
        if (parent is not null)
        {
            SyncDirectory(parent);
        }
    }

    /// <summary>fsync(2) on a directory makes renames and unlinks in it durable; a no-op off Linux.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = open(directory, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the startup sweep.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
