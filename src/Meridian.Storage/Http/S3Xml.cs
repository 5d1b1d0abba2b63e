using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Meridian.Storage.Errors;
using Microsoft.AspNetCore.Http;

namespace Meridian.Storage.Http;

/// <summary>S3's XML documents: building responses in S3's namespace, reading request bodies safely (no DTDs).</summary>
internal static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    public static string Date(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Quote(string etag) => $"\"{etag}\"";

    public static async Task WriteAsync(HttpContext http, XElement root, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/xml";
        var bytes = Serialize(root);
        http.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Keys may hold characters XML 1.0 cannot carry (S3 allows control characters in keys); like S3 they are written
    /// as they are (clients ask for encoding-type=url to get them safely) instead of failing the whole response.
    /// </summary>
    public static byte[] Serialize(XElement root)
    {
        using var memory = new MemoryStream();
        using (var writer = XmlWriter.Create(memory, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), CheckCharacters = false, Indent = false,
        }))
        {
            root.WriteTo(writer);
        }
        return memory.ToArray();
    }

    /// <summary>Parses a request document; MalformedXML for anything that is not well-formed XML with the expected root.</summary>
    public static XElement Parse(byte[] body, string expectedRoot)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 4 * 1024 * 1024,
            });
            var root = XDocument.Load(reader).Root;
            if (root is null || root.Name.LocalName != expectedRoot)
            {
                throw S3Errors.MalformedXml();
            }
            return root;
        }
        catch (XmlException)
        {
            throw S3Errors.MalformedXml();
        }
    }

    /// <summary>Child elements by local name: clients send S3's namespace or none.</summary>
    public static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    public static string? Child(XElement parent, string name) => Children(parent, name).FirstOrDefault()?.Value;
}
