using System.Security.Cryptography;
using System.Text;

namespace Meridian.Storage.Store;

/// <summary>
/// A bucket's in-memory index (keys in S3's listing order, versions newest first), rebuilt from disk at start.
/// Objects live under keys/xx/SHA256(key)/: the file name never contains the key, so no key ("..", "/", NUL,
/// 1 KiB of UTF-8) can reach outside the bucket directory.
/// </summary>
internal sealed class Bucket
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ObjectVersion>> _versions = new(StringComparer.Ordinal);
    private volatile BucketSettings _settings;

    public Bucket(string directory, BucketSettings settings)
    {
        Directory = directory;
        _settings = settings;
    }

    public string Name => _settings.Name;

    public string Directory { get; }

    public string KeysDirectory => Path.Combine(Directory, "keys");

    public string UploadsDirectory => Path.Combine(Directory, "uploads");

    public string SettingsFile => Path.Combine(Directory, "bucket.json");

    public BucketSettings Settings
    {
        get => _settings;
        set => _settings = value;
    }

    public string KeyDirectory(string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(KeysDirectory, hash[..2], hash);
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count == 0;
            }
        }
    }

    /// <summary>A copy of the key's versions, newest first (empty when the key has none).</summary>
    public IReadOnlyList<ObjectVersion> Versions(string key)
    {
        lock (_gate)
        {
            return _versions.TryGetValue(key, out var list) ? list.ToArray() : [];
        }
    }

    public ObjectVersion? Latest(string key)
    {
        lock (_gate)
        {
            return _versions.TryGetValue(key, out var list) && list.Count > 0 ? list[0] : null;
        }
    }

    public ObjectVersion? Find(string key, string versionId)
    {
        lock (_gate)
        {
            return _versions.TryGetValue(key, out var list) ? list.FirstOrDefault(v => v.VersionId == versionId) : null;
        }
    }

    /// <summary>Adds a version or replaces the one with the same version id (the null version, a tag update).</summary>
    public void Upsert(ObjectVersion version)
    {
        lock (_gate)
        {
            if (!_versions.TryGetValue(version.Key, out var list))
            {
                list = [];
                _versions[version.Key] = list;
                _keys.Add(version.Key);
            }
            list.RemoveAll(v => v.VersionId == version.VersionId);
            var at = list.FindIndex(v => v.Sequence < version.Sequence);
            list.Insert(at < 0 ? list.Count : at, version);
        }
    }

    public void Remove(string key, string versionId)
    {
        lock (_gate)
        {
            if (_versions.TryGetValue(key, out var list))
            {
                list.RemoveAll(v => v.VersionId == versionId);
                if (list.Count == 0)
                {
                    _versions.Remove(key);
                    _keys.Remove(key);
                }
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for keys at or after <paramref name="from"/> in order until it returns false.
    /// Runs under the index lock: the visitor only reads memory.
    /// </summary>
    public void Visit(string from, Func<string, IReadOnlyList<ObjectVersion>, bool> visit)
    {
        lock (_gate)
        {
            if (_keys.Count == 0 || string.CompareOrdinal(from, _keys.Max) > 0)
            {
                return;
            }
            var view = from.Length == 0 ? _keys : _keys.GetViewBetween(from, _keys.Max!);
            foreach (var key in view)
            {
                if (!visit(key, _versions[key]))
                {
                    return;
                }
            }
        }
    }
}
