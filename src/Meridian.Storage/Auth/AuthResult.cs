namespace Meridian.Storage.Auth;

/// <summary>
/// Who signed a request and what a streaming payload's chunk signatures chain from: the signing key, the
/// credential scope, the request date and the request's own (seed) signature.
/// </summary>
internal sealed record AuthResult(string? AccessKey, byte[] SigningKey, string Scope, string AmzDate, string Signature, bool Presigned)
{
    public static readonly AuthResult Anonymous = new(null, [], "", "", "", false);

    public bool IsAnonymous => AccessKey is null;
}
