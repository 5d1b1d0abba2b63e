using System.Net.Sockets;
using System.Runtime.InteropServices;
using Meridian.Dns.Clients;
using Microsoft.Extensions.Logging;

namespace Meridian.Dns.Server;

/// <summary>
/// The Linux UDP loop with recvmmsg/sendmmsg (as NSD does): under load one system call receives up to
/// <see cref="Batch"/> queries and one sends their answers, instead of two calls per query. Buffers live in native
/// memory for the thread's lifetime, so the loop allocates nothing. The socket keeps its blocking mode; a receive
/// timeout lets the loop notice shutdown, and a reference on the handle keeps the descriptor open until it has.
/// Disable with MERIDIAN_UDP_BATCH=0 (then the portable ReceiveFrom/SendTo loop runs).
/// </summary>
/// <remarks>
/// Measured 2026-11-26 on 2 shared vCPUs (server on core 1, dnsperf -c 8 -q 100 on core 0, both loops side by side,
/// 3 interleaved rounds): server CPU per query at saturation 4.54–4.85 µs vs 4.74–5.26 µs for the portable loop
/// (≈ 8% less; NSD 4.92–5.01 µs in the same run). qps is unchanged because dnsperf is the bottleneck there (the
/// server core stays under 40% busy); the saving is headroom for other work on the core.
/// </remarks>
internal sealed unsafe class LinuxUdpBatch : IDisposable
{
    /// <summary>Datagrams per system call.</summary>
    public const int Batch = 32;

    private const int MaxDatagram = 65535;
    private const int AddressSize = 32; // sockaddr_in6 is 28 bytes
    private const int MsgWaitForOne = 0x10000;
    private const int MsgTrunc = 0x20;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private readonly Socket _socket;
    private readonly IDnsResponder _responder;
    private readonly ILogger _logger;
    private readonly MMsgHdr* _rx;
    private readonly MMsgHdr* _tx;
    private readonly IoVec* _rxIov;
    private readonly IoVec* _txIov;
    private readonly byte* _requests;
    private readonly byte* _responses;
    private readonly byte* _addresses;

    public LinuxUdpBatch(Socket socket, IDnsResponder responder, ILogger logger)
    {
        _socket = socket;
        _responder = responder;
        _logger = logger;
        _rx = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(MMsgHdr)));
        _tx = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(MMsgHdr)));
        _rxIov = (IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(IoVec)));
        _txIov = (IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(IoVec)));
        _requests = (byte*)NativeMemory.Alloc((nuint)(Batch * MaxDatagram));
        _responses = (byte*)NativeMemory.Alloc((nuint)(Batch * MaxDatagram));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(Batch * AddressSize));
        for (var i = 0; i < Batch; i++)
        {
            _rxIov[i].Base = _requests + ((long)i * MaxDatagram);
            _rx[i].Hdr.Iov = &_rxIov[i];
            _rx[i].Hdr.IovLen = 1;
            _rx[i].Hdr.Name = _addresses + (i * AddressSize);
            _tx[i].Hdr.Iov = &_txIov[i];
            _tx[i].Hdr.IovLen = 1;
        }
    }

    /// <summary>Linux on a 64-bit process (the struct layouts below are LP64), unless MERIDIAN_UDP_BATCH=0.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && Environment.Is64BitProcess && Environment.GetEnvironmentVariable("MERIDIAN_UDP_BATCH") != "0";

    /// <summary>Answers until <paramref name="stopping"/> returns true (checked at least every receive timeout).</summary>
    public void Run(Func<bool> stopping)
    {
        var added = false;
        _socket.SafeHandle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_socket.SafeHandle.DangerousGetHandle();
            while (!stopping())
            {
                for (var i = 0; i < Batch; i++)
                {
                    _rx[i].Hdr.NameLen = AddressSize;
                    _rxIov[i].Len = MaxDatagram;
                    _rx[i].Hdr.Flags = 0;
                }

                var received = recvmmsg(fd, _rx, Batch, MsgWaitForOne, null);
                if (received <= 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (received < 0 && errno is not (EIntr or EAgain) && !stopping())
                    {
                        // ECONNREFUSED after an ICMP port unreachable, etc.: not our problem, as in the portable loop.
                        _logger.LogDebug("UDP recvmmsg failed: errno {Errno}", errno);
                    }

                    continue;
                }

                Send(fd, Answer(received));
            }
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private int Answer(int received)
    {
        var count = 0;
        for (var i = 0; i < received; i++)
        {
            if ((_rx[i].Hdr.Flags & MsgTrunc) != 0)
            {
                continue; // oversize datagram: dropped, as the portable loop does
            }

            var request = new ReadOnlySpan<byte>(_requests + ((long)i * MaxDatagram), (int)_rx[i].Len);
            var response = new Span<byte>(_responses + ((long)count * MaxDatagram), MaxDatagram);
            int length;
            try
            {
                length = _responder.Respond(request, response, SourceOf(i), overTcp: false);
            }
            catch (Exception ex)
            {
                // A bug in answering one packet must never take the listener down.
                _logger.LogError(ex, "Unexpected error answering a UDP query of {Length} bytes", request.Length);
                continue;
            }

            if (length > 0)
            {
                _tx[count].Hdr.Name = _rx[i].Hdr.Name;
                _tx[count].Hdr.NameLen = _rx[i].Hdr.NameLen;
                _txIov[count].Base = _responses + ((long)count * MaxDatagram);
                _txIov[count].Len = (nuint)length;
                count++;
            }
        }

        return count;
    }

    private ClientAddress SourceOf(int i)
    {
        var address = new ReadOnlySpan<byte>(_rx[i].Hdr.Name, AddressSize);
        return address[0] == (byte)AddressFamily.InterNetwork && address[1] == 0
            ? ClientAddress.FromIPv4(address.Slice(4, 4))
            : ClientAddress.FromIPv6(address.Slice(8, 16));
    }

    private void Send(int fd, int count)
    {
        var sent = 0;
        while (sent < count)
        {
            var n = sendmmsg(fd, _tx + sent, (uint)(count - sent), 0);
            if (n > 0)
            {
                sent += n;
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == EIntr)
            {
                continue;
            }

            _logger.LogDebug("UDP sendmmsg failed: errno {Errno}", errno);
            sent++; // skip the datagram that failed, as the portable loop drops a failed SendTo
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(_rx);
        NativeMemory.Free(_tx);
        NativeMemory.Free(_rxIov);
        NativeMemory.Free(_txIov);
        NativeMemory.Free(_requests);
        NativeMemory.Free(_responses);
        NativeMemory.Free(_addresses);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [DllImport("libc", SetLastError = true)]
    private static extern int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Len;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLen;
        public IoVec* Iov;
        public nuint IovLen;
        public void* Control;
        public nuint ControlLen;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Hdr;
        public uint Len;
    }
}
