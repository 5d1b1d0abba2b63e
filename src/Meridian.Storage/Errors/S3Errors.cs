namespace Meridian.Storage.Errors;

/// <summary>The S3 errors the store returns, with S3's codes, statuses and (close to) S3's messages.</summary>
internal static class S3Errors
{
    public static S3Exception NoSuchBucket(string bucket) => new("NoSuchBucket", 404, $"The specified bucket does not exist: {bucket}");
    public static S3Exception NoSuchKey() => new("NoSuchKey", 404, "The specified key does not exist.");
    public static S3Exception NoSuchVersion() => new("NoSuchVersion", 404, "The specified version does not exist.");
    public static S3Exception NoSuchUpload() => new("NoSuchUpload", 404,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    public static S3Exception NoSuchTagSet() => new("NoSuchTagSet", 404, "The TagSet does not exist");
    public static S3Exception ReplicationNotFound() => new("ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found");
    public static S3Exception BucketNotEmpty() => new("BucketNotEmpty", 409, "The bucket you tried to delete is not empty");
    public static S3Exception BucketAlreadyOwnedByYou() => new("BucketAlreadyOwnedByYou", 409,
        "Your previous request to create the named bucket succeeded and you already own it.");
    public static S3Exception InvalidBucketName(string why) => new("InvalidBucketName", 400, $"The specified bucket is not valid: {why}");
    public static S3Exception InvalidBucketState(string message) => new("InvalidBucketState", 409, message);
    public static S3Exception AccessDenied(string message = "Access Denied") => new("AccessDenied", 403, message);
    public static S3Exception InvalidAccessKeyId() => new("InvalidAccessKeyId", 403,
        "The AWS Access Key Id you provided does not exist in our records.");
    public static S3Exception SignatureDoesNotMatch(string detail = "") => new("SignatureDoesNotMatch", 403,
        "The request signature we calculated does not match the signature you provided. Check your key and signing method." + detail);
    public static S3Exception RequestTimeTooSkewed() => new("RequestTimeTooSkewed", 403,
        "The difference between the request time and the current time is too large.");
    public static S3Exception AuthorizationHeaderMalformed(string message) => new("AuthorizationHeaderMalformed", 400, message);
    public static S3Exception AuthorizationQueryParametersError(string message) => new("AuthorizationQueryParametersError", 400, message);
    public static S3Exception InvalidArgument(string message) => new("InvalidArgument", 400, message);
    public static S3Exception InvalidRequest(string message) => new("InvalidRequest", 400, message);
    public static S3Exception InvalidUri() => new("InvalidURI", 400, "Couldn't parse the specified URI.");
    public static S3Exception KeyTooLong() => new("KeyTooLongError", 400, "Your key is too long");
    public static S3Exception MalformedXml() => new("MalformedXML", 400,
        "The XML you provided was not well-formed or did not validate against our published schema");
    public static S3Exception BadDigest(string message = "The Content-MD5 you specified did not match what we received.") =>
        new("BadDigest", 400, message);
    public static S3Exception InvalidDigest() => new("InvalidDigest", 400, "The Content-MD5 you specified is not valid.");
    public static S3Exception ContentSha256Mismatch() => new("XAmzContentSHA256Mismatch", 400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.");
    public static S3Exception IncompleteBody() => new("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header");
    public static S3Exception MissingContentLength() => new("MissingContentLength", 411, "You must provide the Content-Length HTTP header.");
    public static S3Exception EntityTooLarge() => new("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.");
    public static S3Exception EntityTooSmall() => new("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.");
    public static S3Exception InvalidPart() => new("InvalidPart", 400,
        "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.");
    public static S3Exception InvalidPartOrder() => new("InvalidPartOrder", 400, "The list of parts was not in ascending order. Parts must be ordered by part number.");
    public static S3Exception InvalidRange() => new("InvalidRange", 416, "The requested range is not satisfiable");
    public static S3Exception PreconditionFailed() => new("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");
    public static S3Exception NotModified() => new("NotModified", 304, "Not Modified");
    public static S3Exception MethodNotAllowed() => new("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");
    public static S3Exception InvalidTag(string message) => new("InvalidTag", 400, message);
    public static S3Exception NotImplemented() => new("NotImplemented", 501, "A header or query you provided implies functionality that is not implemented.");
    public static S3Exception InternalError() => new("InternalError", 500, "We encountered an internal error. Please try again.");
}
