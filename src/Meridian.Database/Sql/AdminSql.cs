using System.Net.Sockets;
using Meridian.Topology.Model;
using Npgsql;

namespace Meridian.Database.Sql;

/// <summary>
/// Connections Meridian administers members with: the superuser, no pooling (a pooled connection to a killed server
/// would hide the failure), short timeouts. Errors become <see cref="DatabaseException"/>s naming the member.
/// </summary>
internal static class AdminSql
{
    public static string ConnectionString(DatabaseMemberConfig member, DatabaseCredentials credentials, string database = "postgres", int timeoutSeconds = 2) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = member.Listen.Address.ToString(),
            Port = member.Listen.Port,
            Username = credentials.User,
            Password = credentials.Password,
            Database = database,
            Timeout = Math.Max(1, timeoutSeconds),
            CommandTimeout = Math.Max(5, timeoutSeconds * 2),
            Pooling = false,
            ApplicationName = "meridian",
        }.ConnectionString;

    public static async Task<NpgsqlConnection> OpenAsync(DatabaseMemberConfig member, DatabaseCredentials credentials, CancellationToken token,
        string database = "postgres", int timeoutSeconds = 2)
    {
        var connection = new NpgsqlConnection(ConnectionString(member, credentials, database, timeoutSeconds));
        try
        {
            await connection.OpenAsync(token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DatabaseException(Describe(member, credentials, ex), ex);
        }
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken token, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
    }

    public static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken token, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        var value = await command.ExecuteScalarAsync(token).ConfigureAwait(false);
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>One line for an operator: wrong password, refused, timed out...</summary>
    public static string Describe(DatabaseMemberConfig member, DatabaseCredentials credentials, Exception ex)
    {
        var where = $"member '{member.Name}' at {member.Listen}";
        return ex switch
        {
            PostgresException { SqlState: "28P01" } =>
                $"{where}: password authentication failed for user '{credentials.User}' (check the cluster's credentials)",
            PostgresException { SqlState: "28000" } p => $"{where}: connection rejected: {p.MessageText}",
            PostgresException { SqlState: "57P03" } => $"{where}: the server is starting up or shutting down",
            PostgresException p => $"{where}: {p.SqlState} {p.MessageText}",
            NpgsqlException { InnerException: SocketException s } => $"{where}: unreachable ({s.SocketErrorCode})",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"{where}: connection timed out",
            _ => $"{where}: {ex.Message}",
        };
    }
}
