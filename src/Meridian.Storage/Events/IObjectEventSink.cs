namespace Meridian.Storage.Events;

/// <summary>
/// Told about every change after it is durable and before the client gets its response: the hook replication uses
/// to queue work (it must persist what it needs before returning; a throw fails the request with 500 but the
/// change stays committed, as an S3 notification failure would).
/// </summary>
public interface IObjectEventSink
{
    ValueTask OnCommittedAsync(ObjectEvent change, CancellationToken cancellationToken);
}
