using System.Globalization;
using Meridian.Storage.Errors;
using Meridian.Storage.Http;

namespace Meridian.Storage.Auth;

/// <summary>
/// Verifies Signature V4 in the Authorization header or in a presigned URL's query, with S3's errors: an unknown
/// key is InvalidAccessKeyId, a wrong signature SignatureDoesNotMatch, a stale date RequestTimeTooSkewed, an
/// expired URL AccessDenied. Requests carrying neither are anonymous (the caller decides whether that is allowed).
/// </summary>
internal sealed class SigV4Verifier(IReadOnlyDictionary<string, string> secrets, string region, TimeProvider time)
{
    /// <summary>S3 accepts requests up to 15 minutes from its clock.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    /// <summary>Presigned URLs live at most 7 days (SigV4).</summary>
    public const int MaxExpiresSeconds = 604800;

    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    public AuthResult Verify(S3Request request)
    {
        if (request.Header("Authorization") is { } header)
        {
            return VerifyHeader(request, header);
        }
        if (request.Has("X-Amz-Algorithm") || request.Has("X-Amz-Signature") || request.Has("X-Amz-Credential"))
        {
            return VerifyPresigned(request);
        }
        return AuthResult.Anonymous;
    }

    private AuthResult VerifyHeader(S3Request request, string header)
    {
        if (!header.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
        {
            throw S3Errors.InvalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in header[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                throw S3Errors.AuthorizationHeaderMalformed($"The authorization header is malformed; '{part}' is not name=value.");
            }
            fields[part[..eq]] = part[(eq + 1)..];
        }
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
        {
            throw S3Errors.AuthorizationHeaderMalformed("The authorization header is malformed; it needs Credential, SignedHeaders and Signature.");
        }
        var amzDate = request.Header("x-amz-date") ?? request.Header("Date")
            ?? throw S3Errors.AccessDenied("AWS authentication requires a valid Date or x-amz-date header");
        var payloadHash = request.Header("x-amz-content-sha256")
            ?? throw S3Errors.InvalidRequest("Missing required header for this request: x-amz-content-sha256");
        if (!IsKnownPayloadHash(payloadHash))
        {
            throw S3Errors.InvalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value, or a valid sha256 value.");
        }
        var (accessKey, scope, signingKey, when) = ResolveCredential(credential, amzDate, S3Errors.AuthorizationHeaderMalformed);
        if ((time.GetUtcNow() - when).Duration() > MaxSkew)
        {
            throw S3Errors.RequestTimeTooSkewed();
        }
        var headers = ParseSignedHeaders(signedHeaders, S3Errors.AuthorizationHeaderMalformed);
        Check(request, headers, payloadHash, excludeSignature: false, amzDate, scope, signingKey, signature);
        return new AuthResult(accessKey, signingKey, scope, amzDate, signature.ToLowerInvariant(), Presigned: false);
    }

    private AuthResult VerifyPresigned(S3Request request)
    {
        string Required(string name) => request.QueryValue(name)
            ?? throw S3Errors.AuthorizationQueryParametersError($"Query-string authentication version 4 requires the {name} parameter.");
        if (Required("X-Amz-Algorithm") != SigV4.Algorithm)
        {
            throw S3Errors.AuthorizationQueryParametersError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        var credential = Required("X-Amz-Credential");
        var amzDate = Required("X-Amz-Date");
        var expiresText = Required("X-Amz-Expires");
        var signedHeaders = Required("X-Amz-SignedHeaders");
        var signature = Required("X-Amz-Signature");
        if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires is < 1 or > MaxExpiresSeconds)
        {
            throw S3Errors.AuthorizationQueryParametersError(
                $"X-Amz-Expires must be a number of seconds from 1 to {MaxExpiresSeconds} (a week), found '{expiresText}'.");
        }
        var (accessKey, scope, signingKey, when) = ResolveCredential(credential, amzDate, S3Errors.AuthorizationQueryParametersError);
        var now = time.GetUtcNow();
        if (now > when.AddSeconds(expires))
        {
            throw S3Errors.AccessDenied("Request has expired");
        }
        if (when - now > MaxSkew)
        {
            throw S3Errors.AccessDenied("Request is not valid yet");
        }
        var headers = ParseSignedHeaders(signedHeaders, S3Errors.AuthorizationQueryParametersError);
        var payloadHash = request.Header("x-amz-content-sha256") is { } h && headers.Contains("x-amz-content-sha256") ? h : SigV4.UnsignedPayload;
        Check(request, headers, payloadHash, excludeSignature: true, amzDate, scope, signingKey, signature);
        return new AuthResult(accessKey, signingKey, scope, amzDate, signature.ToLowerInvariant(), Presigned: true);
    }

    private (string AccessKey, string Scope, byte[] SigningKey, DateTimeOffset When) ResolveCredential(
        string credential, string amzDate, Func<string, S3Exception> malformed)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[3] != "s3" || parts[4] != "aws4_request" || parts[1].Length != 8)
        {
            throw malformed($"The credential '{credential}' is malformed; expected \"<access key>/<yyyyMMdd>/<region>/s3/aws4_request\".");
        }
        if (!secrets.TryGetValue(parts[0], out var secret))
        {
            throw S3Errors.InvalidAccessKeyId();
        }
        if (parts[2] != region)
        {
            throw malformed($"The authorization header is malformed; the region '{parts[2]}' is wrong; expecting '{region}'");
        }
        if (!DateTimeOffset.TryParseExact(amzDate, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
            && !DateTimeOffset.TryParseExact(amzDate, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
        {
            throw S3Errors.AccessDenied("AWS authentication requires a valid Date or x-amz-date header");
        }
        if (when.ToString("yyyyMMdd", CultureInfo.InvariantCulture) != parts[1])
        {
            throw malformed($"The credential date '{parts[1]}' does not match the request date '{amzDate}'.");
        }
        var scope = $"{parts[1]}/{region}/s3/aws4_request";
        return (parts[0], scope, SigV4.SigningKey(secret, parts[1], region), when);
    }

    private static List<string> ParseSignedHeaders(string text, Func<string, S3Exception> malformed)
    {
        var headers = text.Split(';').ToList();
        if (headers.Any(h => h.Length == 0 || h != h.ToLowerInvariant()) || !headers.Contains("host"))
        {
            throw malformed($"SignedHeaders '{text}' must be lowercase names separated by ';' and include host.");
        }
        return headers;
    }

    private static void Check(S3Request request, List<string> headers, string payloadHash, bool excludeSignature,
        string amzDate, string scope, byte[] signingKey, string signature)
    {
        var canonical = CanonicalRequest.Build(request, CanonicalRequest.NormalizedPath(request), headers, payloadHash, excludeSignature);
        if (SigV4.SignaturesEqual(SigV4.Sign(signingKey, SigV4.StringToSign(amzDate, scope, canonical)), signature))
        {
            return;
        }
        if (request.RawPath != CanonicalRequest.NormalizedPath(request))
        {
            var raw = CanonicalRequest.Build(request, request.RawPath, headers, payloadHash, excludeSignature);
            if (SigV4.SignaturesEqual(SigV4.Sign(signingKey, SigV4.StringToSign(amzDate, scope, raw)), signature))
            {
                return;
            }
        }
        throw S3Errors.SignatureDoesNotMatch();
    }

    private static bool IsKnownPayloadHash(string value) =>
        value is SigV4.UnsignedPayload or SigV4.StreamingSigned or SigV4.StreamingSignedTrailer or SigV4.StreamingUnsignedTrailer
        || SigV4.IsSha256Hex(value);
}
