using Meridian.Storage.Auth;
using Meridian.Storage.Errors;
using Meridian.Storage.Operations;
using Meridian.Storage.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Meridian.Storage.Http;

/// <summary>
/// The S3 REST front: parses the request, authenticates it, picks the operation from method, path and
/// subresource, and turns every failure into S3's XML error. Malformed input never escapes as a crash.
/// </summary>
internal sealed class S3RequestHandler
{
    private readonly StoreContext _store;
    private readonly SigV4Verifier _verifier;
    private readonly string? _virtualHostSuffix;
    private readonly BucketOperations _buckets;
    private readonly ObjectWriteOperations _writes;
    private readonly ObjectReadOperations _reads;
    private readonly ListOperations _lists;
    private readonly MultipartOperations _multipart;
    private readonly TaggingOperations _tagging;
    private readonly ReplicationConfigOperations _replication;

    public S3RequestHandler(StoreContext store, SigV4Verifier verifier, string? virtualHostSuffix)
    {
        _store = store;
        _verifier = verifier;
        _virtualHostSuffix = virtualHostSuffix;
        _buckets = new BucketOperations(store);
        _writes = new ObjectWriteOperations(store);
        _reads = new ObjectReadOperations(store);
        _lists = new ListOperations(store);
        _multipart = new MultipartOperations(store, new MultipartUploads(store.Files));
        _tagging = new TaggingOperations(store);
        _replication = new ReplicationConfigOperations(store);
    }

    public async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        http.Response.Headers["x-amz-request-id"] = requestId;
        var resource = http.Request.Path.Value ?? "/";
        try
        {
            var request = S3Request.Parse(http, _virtualHostSuffix);
            resource = request.Resource;
            request.Auth = _verifier.Verify(request);
            Authorize(request);
            await DispatchAsync(request).ConfigureAwait(false);
        }
        catch (S3Exception error)
        {
            await S3ErrorWriter.WriteAsync(http, error, resource, requestId).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            // A body shorter than its Content-Length, or broken HTTP framing: nothing was committed.
            await S3ErrorWriter.WriteAsync(http, S3Errors.IncompleteBody(), resource, requestId).ConfigureAwait(false);
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested || ex is Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The client went away mid-request; nothing was committed and nobody is left to answer.
        }
        catch (Exception ex)
        {
            StorageLog.RequestFailed(_store.Logger, http.Request.Method, resource, ex);
            await S3ErrorWriter.WriteAsync(http, S3Errors.InternalError(), resource, requestId).ConfigureAwait(false);
        }
    }

    /// <summary>Anonymous requests may only read objects of, and list, a public-read bucket.</summary>
    private void Authorize(S3Request request)
    {
        if (!request.Auth.IsAnonymous)
        {
            return;
        }
        var readOnly = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var plain = request.Key is null
            ? request.Query.Keys.All(k => k is "list-type" or "prefix" or "delimiter" or "max-keys" or "continuation-token" or "start-after" or "encoding-type" or "marker" or "fetch-owner")
            : request.Query.Keys.All(k => k is "versionId" || k.StartsWith("response-", StringComparison.Ordinal));
        if (readOnly && plain && request.Bucket is { } name && _store.Files.FindBucket(name) is { Settings.PublicRead: true })
        {
            return;
        }
        throw S3Errors.AccessDenied();
    }

    private Task DispatchAsync(S3Request r)
    {
        var method = r.Method;
        if (r.Bucket is null)
        {
            return HttpMethods.IsGet(method) ? _buckets.ListBucketsAsync(r) : throw S3Errors.MethodNotAllowed();
        }
        if (r.Key is null)
        {
            return DispatchBucket(r, method);
        }
        if (HttpMethods.IsPut(method))
        {
            return r.Has("tagging") ? _tagging.PutAsync(r)
                : r.Has("uploadId") ? (r.Header("x-amz-copy-source") is null ? _multipart.UploadPartAsync(r) : throw S3Errors.NotImplemented())
                : r.Header("x-amz-copy-source") is not null ? _writes.CopyObjectAsync(r)
                : _writes.PutObjectAsync(r);
        }
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            var head = HttpMethods.IsHead(method);
            return r.Has("tagging") && !head ? _tagging.GetAsync(r)
                : r.Has("uploadId") && !head ? _multipart.ListPartsAsync(r)
                : _reads.GetObjectAsync(r, head);
        }
        if (HttpMethods.IsDelete(method))
        {
            if (r.Has("uploadId"))
            {
                _multipart.Abort(r);
                return Task.CompletedTask;
            }
            return r.Has("tagging") ? _tagging.DeleteAsync(r) : _writes.DeleteObjectAsync(r);
        }
        if (HttpMethods.IsPost(method))
        {
            return r.Has("uploads") ? _multipart.CreateAsync(r)
                : r.Has("uploadId") ? _multipart.CompleteAsync(r)
                : throw S3Errors.MethodNotAllowed();
        }
        throw S3Errors.MethodNotAllowed();
    }

    private Task DispatchBucket(S3Request r, string method)
    {
        if (HttpMethods.IsPut(method))
        {
            return r.Has("versioning") ? _buckets.PutVersioningAsync(r)
                : r.Has("replication") ? _replication.PutAsync(r)
                : r.Query.Count > 0 ? throw S3Errors.NotImplemented()
                : _buckets.CreateBucketAsync(r);
        }
        if (HttpMethods.IsGet(method))
        {
            return r.Has("versioning") ? _buckets.GetVersioningAsync(r)
                : r.Has("replication") ? _replication.GetAsync(r)
                : r.Has("location") ? _buckets.GetLocationAsync(r)
                : r.Has("versions") ? _lists.ListObjectVersionsAsync(r)
                : r.Has("uploads") ? _multipart.ListUploadsAsync(r)
                : r.QueryValue("list-type") == "2" ? _lists.ListObjectsAsync(r, v2: true)
                : _lists.ListObjectsAsync(r, v2: false);
        }
        if (HttpMethods.IsHead(method))
        {
            _buckets.HeadBucket(r);
            return Task.CompletedTask;
        }
        if (HttpMethods.IsDelete(method))
        {
            if (r.Has("replication"))
            {
                _replication.Delete(r);
            }
            else
            {
                _buckets.DeleteBucket(r);
            }
            return Task.CompletedTask;
        }
        if (HttpMethods.IsPost(method) && r.Has("delete"))
        {
            return _writes.DeleteObjectsAsync(r);
        }
        throw S3Errors.MethodNotAllowed();
    }
}
