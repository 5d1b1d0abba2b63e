namespace Meridian.Dns.Tests.Support;

/// <summary>
/// Writes MaxMind databases for a test into temp files and deletes them on dispose, plus the sample databases the
/// GeoIP tests share (the networks MaxMind's own test databases use for the United Kingdom).
/// </summary>
internal sealed class TempMmdbFiles : IDisposable
{
    private readonly List<string> _files = [];

    public static MmdbWriter CityDb(string databaseType = "GeoLite2-City", int recordSize = 28) => new MmdbWriter(databaseType, recordSize)
        .Add("81.2.69.0/24", GeoIpRecords.City("EU", "GB"))
        .Add("2.125.0.0/16", GeoIpRecords.City("EU", "GB", "SCT", "Edinburgh"))
        .Add("5.0.0.0/8", GeoIpRecords.City("EU", "DE"))
        .Add("24.0.0.0/8", GeoIpRecords.City("NA", "US"))
        .Add("2a02:c7f::/32", GeoIpRecords.City("EU", "GB"));

    public static MmdbWriter CountryDb(int recordSize = 24) => new MmdbWriter("GeoLite2-Country", recordSize)
        .Add("81.2.69.0/24", GeoIpRecords.Country("EU", "GB"))
        .Add("5.0.0.0/8", GeoIpRecords.Country("EU", "DE"))
        .Add("24.0.0.0/8", GeoIpRecords.Country("NA", "US"))
        .Add("2a02:c7f::/32", GeoIpRecords.Country("EU", "GB"));

    public string Write(MmdbWriter writer) => Write(writer.ToArray());

    public string Write(byte[] contents)
    {
        var path = NewPath();
        File.WriteAllBytes(path, contents);
        return path;
    }

    /// <summary>A fresh temp path (deleted on dispose if something creates it).</summary>
    public string NewPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meridian-geoip-{Guid.NewGuid():N}.mmdb");
        _files.Add(path);
        return path;
    }

    public void Dispose() => _files.ForEach(File.Delete);
}
