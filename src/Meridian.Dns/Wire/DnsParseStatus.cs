namespace Meridian.Dns.Wire;

/// <summary>Outcome of <see cref="DnsQueryParser.TryParse"/>; tells the server what to send back.</summary>
public enum DnsParseStatus : byte
{
    /// <summary>A well-formed query; answer it.</summary>
    Ok = 0,
    /// <summary>Send nothing: shorter than a header, or a response (QR=1), answering which could loop.</summary>
    Drop,
    /// <summary>Malformed; answer FORMERR echoing the id (and the question when it was parsed).</summary>
    FormErr,
    /// <summary>Opcode other than QUERY; answer NOTIMP.</summary>
    NotImp,
    /// <summary>EDNS version other than 0; answer BADVERS with an OPT record (RFC 6891 6.1.3).</summary>
    BadVers,
}
