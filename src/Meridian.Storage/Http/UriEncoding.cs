using System.Text;
using Meridian.Storage.Errors;

namespace Meridian.Storage.Http;

/// <summary>Percent-decoding of the raw request target and SigV4's URI-encoding (RFC 3986 unreserved characters kept).</summary>
internal static class UriEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes %XX (UTF-8); '+' stays '+' (S3 paths and SigV4-signed queries encode spaces as %20). InvalidURI when malformed.</summary>
    public static string Decode(string text)
    {
        if (!text.Contains('%'))
        {
            return text;
        }
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    throw S3Errors.InvalidUri();
                }
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw S3Errors.InvalidUri();
        }
    }

    /// <summary>SigV4 UriEncode: every byte but A-Z a-z 0-9 - _ . ~ (and '/' when <paramref name="keepSlash"/>) as %XX uppercase.</summary>
    public static string Encode(string text, bool keepSlash)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }
}
