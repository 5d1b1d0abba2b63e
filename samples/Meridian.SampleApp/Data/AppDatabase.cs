using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Meridian.SampleApp.Data;

/// <summary>
/// The app's data in PostgreSQL: items and drill rows. Writes (and table creation) go through the writer name,
/// item reads through the reader name; both names are resolved again for every connection. Every failure becomes a
/// <see cref="DatabaseUnavailableException"/> with a reason a client can read (the endpoints answer 503).
/// </summary>
internal sealed class AppDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS items (
            id bigserial PRIMARY KEY, body text NOT NULL, content_type text NOT NULL,
            region text NOT NULL, instance text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS drill_rows (
            run text NOT NULL, n integer NOT NULL, written_at timestamptz NOT NULL DEFAULT now(),
            region text NOT NULL, instance text NOT NULL, PRIMARY KEY (run, n));
        """;

    private readonly DatabaseOptions _options;
    private readonly DatabaseNameResolver _resolver;
    // Per writer address: a promoted replica already has the tables (replicated), a fresh server gets them once.
    private readonly ConcurrentDictionary<IPEndPoint, bool> _schemaReady = new();

    public AppDatabase(DatabaseOptions options)
    {
        options.Validate();
        _options = options;
        _resolver = new DatabaseNameResolver(options.Dns, options.ConnectTimeout);
    }

    public DatabaseOptions Options => _options;

    public string WriterName => _options.Writer.ToString();

    public string ReaderName => (_options.Reader ?? _options.Writer).ToString();

    public async Task<(long Id, IPEndPoint Writer)> InsertItemAsync(string body, string contentType, string region, string instance, CancellationToken token)
    {
        await using var connection = await OpenWriterAsync(token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO items (body, content_type, region, instance) VALUES ($1, $2, $3, $4) RETURNING id", connection.Connection)
        {
            Parameters = { new() { Value = body }, new() { Value = contentType }, new() { Value = region }, new() { Value = instance } },
        };
        var id = (long)(await RunAsync(connection, () => command.ExecuteScalarAsync(token)).ConfigureAwait(false))!;
        return (id, connection.Address);
    }

    /// <summary>The item as the reader has it, or null (not there, or not replicated there yet).</summary>
    public async Task<(StoredItem? Item, IPEndPoint Reader)> GetItemAsync(long id, CancellationToken token)
    {
        await using var connection = await OpenAsync(_options.Reader ?? _options.Writer, "reader", token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT id, body, content_type, region, instance, created_at FROM items WHERE id = $1", connection.Connection)
        {
            Parameters = { new() { Value = id } },
        };
        StoredItem? item = null;
        await RunAsync(connection, async () =>
        {
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            if (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                item = new StoredItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5));
            }

            return item;
        }, missingTableIsEmpty: true).ConfigureAwait(false);
        return (item, connection.Address);
    }

    /// <summary>Inserts drill row (run, n); returns once committed. Idempotent: a retried n is not a second row.</summary>
    public async Task<IPEndPoint> InsertDrillRowAsync(string run, int n, string region, string instance, CancellationToken token)
    {
        await using var connection = await OpenWriterAsync(token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO drill_rows (run, n, region, instance) VALUES ($1, $2, $3, $4) ON CONFLICT (run, n) DO NOTHING", connection.Connection)
        {
            Parameters = { new() { Value = run }, new() { Value = n }, new() { Value = region }, new() { Value = instance } },
        };
        await RunAsync(connection, () => command.ExecuteNonQueryAsync(token)).ConfigureAwait(false);
        return connection.Address;
    }

    /// <summary>The n values of a drill run present on the writer (what survived the failover).</summary>
    public async Task<(IReadOnlyList<int> Rows, IPEndPoint Writer)> GetDrillRowsAsync(string run, CancellationToken token)
    {
        await using var connection = await OpenWriterAsync(token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT n FROM drill_rows WHERE run = $1 ORDER BY n", connection.Connection)
        {
            Parameters = { new() { Value = run } },
        };
        var rows = new List<int>();
        await RunAsync(connection, async () =>
        {
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                rows.Add(reader.GetInt32(0));
            }

            return rows;
        }).ConfigureAwait(false);
        return (rows, connection.Address);
    }

    /// <summary>For /health: the writer name resolves, connects, and is a writable primary.</summary>
    public async Task<string> CheckWriterAsync(CancellationToken token)
    {
        await using var connection = await OpenAsync(_options.Writer, "writer", token).ConfigureAwait(false);
        var (inRecovery, readOnly) = await ReadRoleAsync(connection, token).ConfigureAwait(false);
        if (inRecovery || readOnly)
        {
            throw new DatabaseUnavailableException(
                $"writer {_options.Writer} → {connection.Address} is {(inRecovery ? "a standby (in recovery)" : "a read-only primary (fenced)")}, not a writable primary");
        }

        return $"writable primary at {connection.Address}";
    }

    private async Task<OpenConnection> OpenWriterAsync(CancellationToken token)
    {
        var connection = await OpenAsync(_options.Writer, "writer", token).ConfigureAwait(false);
        if (!_schemaReady.ContainsKey(connection.Address))
        {
            await using var command = new NpgsqlCommand(Schema, connection.Connection);
            await RunAsync(connection, () => command.ExecuteNonQueryAsync(token)).ConfigureAwait(false);
            _schemaReady[connection.Address] = true;
        }

        return connection;
    }

    private async Task<OpenConnection> OpenAsync(DatabaseEndpoint endpoint, string what, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(_options.ConnectTimeout);
        IPEndPoint address;
        try
        {
            address = await _resolver.ResolveAsync(endpoint, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException($"{what} {endpoint}: DNS did not answer within {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }

        var connection = new NpgsqlConnection(ConnectionString(address));
        try
        {
            await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException
            || (ex is OperationCanceledException && !token.IsCancellationRequested))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var why = ex is OperationCanceledException ? $"no connection within {_options.ConnectTimeout.TotalSeconds:0.#} s" : Describe(ex);
            throw new DatabaseUnavailableException($"{what} {endpoint} → {address}: cannot connect ({why})", ex);
        }

        return new OpenConnection(connection, address, what, endpoint);
    }

    private string ConnectionString(IPEndPoint address) => new NpgsqlConnectionStringBuilder
    {
        Host = address.Address.ToString(),
        Port = address.Port,
        Database = _options.Database,
        Username = _options.User,
        Password = _options.Password,
        Timeout = Math.Max(1, (int)Math.Ceiling(_options.ConnectTimeout.TotalSeconds)),
        CommandTimeout = Math.Max(1, (int)Math.Ceiling(_options.CommandTimeout.TotalSeconds)),
        ApplicationName = "meridian-sample-app",
        // Short-lived idle connections: after a failover the old address's pool empties soon.
        ConnectionIdleLifetime = 10,
        MaxPoolSize = 50,
    }.ConnectionString;

    private static async Task<(bool InRecovery, bool ReadOnly)> ReadRoleAsync(OpenConnection connection, CancellationToken token)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on' OR current_setting('default_transaction_read_only') = 'on'",
            connection.Connection);
        (bool, bool) role = default;
        await RunAsync(connection, async () =>
        {
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            await reader.ReadAsync(token).ConfigureAwait(false);
            role = (reader.GetBoolean(0), reader.GetBoolean(1));
            return role;
        }).ConfigureAwait(false);
        return role;
    }

    private static async Task<T> RunAsync<T>(OpenConnection connection, Func<Task<T>> action, bool missingTableIsEmpty = false)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (missingTableIsEmpty && ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return default!; // nothing was ever written (or the tables have not replicated yet)
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction)
        {
            throw new DatabaseUnavailableException(
                $"{connection.What} {connection.Endpoint} → {connection.Address} refused the write: read-only (a standby, or a fenced old primary)", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            throw new DatabaseUnavailableException($"{connection.What} {connection.Endpoint} → {connection.Address}: {Describe(ex)}", ex);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        NpgsqlException { InnerException: SocketException socket } => $"connect failed: {socket.SocketErrorCode}",
        NpgsqlException { InnerException: TimeoutException } => "timed out",
        _ => ex.Message,
    };

    private sealed record OpenConnection(NpgsqlConnection Connection, IPEndPoint Address, string What, DatabaseEndpoint Endpoint) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
