using System.IO.Compression;
using System.Text;
using Meridian.Edge.Caching;
using Microsoft.AspNetCore.Http;

namespace Meridian.Edge.Tests.Caching.Http;

public sealed class CompressionPolicyTests
{
    private static IHeaderDictionary Response(long? length = 5000, string? type = "text/html; charset=utf-8", string? encoding = null, string? cacheControl = null)
    {
        IHeaderDictionary headers = new HeaderDictionary { ContentLength = length };
        if (type is not null)
        {
            headers.ContentType = type;
        }

        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        if (cacheControl is not null)
        {
            headers.CacheControl = cacheControl;
        }

        return headers;
    }

    [Theory]
    [InlineData(999, ContentCoding.Identity)]
    [InlineData(1_000, ContentCoding.Gzip)]
    [InlineData(10_000_000, ContentCoding.Gzip)]
    [InlineData(10_000_001, ContentCoding.Identity)]
    public void Choose_SizeBoundaries_CompressesOnlyBetween1000And10000000(long length, ContentCoding expected)
    {
        Assert.Equal(expected, CompressionPolicy.Choose(true, "gzip", 200, Response(length)));
    }

    [Fact]
    public void Choose_NoContentLength_Identity()
    {
        Assert.Equal(ContentCoding.Identity, CompressionPolicy.Choose(true, "gzip", 200, Response(length: null)));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("identity")]
    public void Choose_AlreadyEncoded_IdentityWhateverTheValue(string encoding)
    {
        Assert.Equal(ContentCoding.Identity, CompressionPolicy.Choose(true, "br,gzip", 200, Response(encoding: encoding)));
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    [InlineData("video/mp4")]
    [InlineData(null)]
    public void Choose_NonCompressibleType_Identity(string? type)
    {
        Assert.Equal(ContentCoding.Identity, CompressionPolicy.Choose(true, "gzip", 200, Response(type: type)));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/javascript; charset=utf-8")]
    [InlineData("TEXT/CSS")]
    [InlineData("image/svg+xml")]
    [InlineData("font/ttf")]
    [InlineData("application/vnd.ms-fontobject")]
    public void Choose_CompressibleType_Compresses(string type)
    {
        Assert.Equal(ContentCoding.Gzip, CompressionPolicy.Choose(true, "gzip", 200, Response(type: type)));
    }

    [Fact]
    public void Choose_CompressOff_Identity()
    {
        Assert.Equal(ContentCoding.Identity, CompressionPolicy.Choose(false, "br,gzip", 200, Response()));
    }

    [Theory]
    [InlineData("br,gzip", ContentCoding.Brotli)]
    [InlineData("br", ContentCoding.Brotli)]
    [InlineData("gzip", ContentCoding.Gzip)]
    [InlineData("", ContentCoding.Identity)]
    [InlineData(null, ContentCoding.Identity)]
    public void Choose_AcceptEncoding_BrotliPreferred(string? acceptEncoding, ContentCoding expected)
    {
        Assert.Equal(expected, CompressionPolicy.Choose(true, acceptEncoding, 200, Response()));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(403, true)]
    [InlineData(404, true)]
    [InlineData(500, false)]
    [InlineData(206, false)]
    [InlineData(301, false)]
    public void Choose_Status_Only200403404(int status, bool compressed)
    {
        Assert.Equal(compressed, CompressionPolicy.Choose(true, "gzip", status, Response()) != ContentCoding.Identity);
    }

    [Fact]
    public void Choose_NoTransform_Identity()
    {
        Assert.Equal(ContentCoding.Identity, CompressionPolicy.Choose(true, "gzip", 200, Response(cacheControl: "max-age=60, no-transform")));
    }

    [Theory]
    [InlineData(ContentCoding.Gzip)]
    [InlineData(ContentCoding.Brotli)]
    public async Task CompressAsync_RoundTrip_Decompresses(ContentCoding coding)
    {
        var text = string.Concat(Enumerable.Repeat("Meridian edge compression ", 500));
        var source = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var compressed = new MemoryStream();
        await CompressionPolicy.CompressAsync(coding, source, compressed);
        Assert.True(compressed.Length < source.Length / 4);

        compressed.Position = 0;
        Stream decompressor = coding == ContentCoding.Gzip
            ? new GZipStream(compressed, CompressionMode.Decompress)
            : new BrotliStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(decompressor);
        Assert.Equal(text, await reader.ReadToEndAsync());
    }

    [Fact]
    public void ApplyCompressedHeaders_StrongETag_BecomesWeakAndVaryAdded()
    {
        var headers = Response();
        headers.ETag = "\"abc\"";
        headers.Vary = "Accept-Language";
        CompressionPolicy.ApplyCompressedHeaders(headers, ContentCoding.Brotli);
        Assert.Equal("br", headers.ContentEncoding.ToString());
        Assert.Null(headers.ContentLength);
        Assert.Equal("W/\"abc\"", headers.ETag.ToString());
        Assert.Equal("Accept-Language, Accept-Encoding", headers.Vary.ToString());
    }

    [Fact]
    public void ApplyCompressedHeaders_WeakETagKept_InvalidETagRemoved()
    {
        var weak = Response();
        weak.ETag = "W/\"abc\"";
        CompressionPolicy.ApplyCompressedHeaders(weak, ContentCoding.Gzip);
        Assert.Equal("W/\"abc\"", weak.ETag.ToString());

        var invalid = Response();
        invalid.ETag = "abc";
        CompressionPolicy.ApplyCompressedHeaders(invalid, ContentCoding.Gzip);
        Assert.False(invalid.ContainsKey("ETag"));
    }

    [Fact]
    public void AddVaryAcceptEncoding_AlreadyPresent_NotDuplicated()
    {
        var headers = H(("Vary", "accept-encoding"));
        CompressionPolicy.AddVaryAcceptEncoding(headers);
        Assert.Equal("accept-encoding", headers.Vary.ToString());
    }

    private static IHeaderDictionary H(params (string Name, string Value)[] headers)
    {
        IHeaderDictionary result = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            result.Append(name, value);
        }

        return result;
    }
}
