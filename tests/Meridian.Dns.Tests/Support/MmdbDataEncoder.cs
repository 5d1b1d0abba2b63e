using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace Meridian.Dns.Tests.Support;

/// <summary>
/// Encodes values in the MaxMind DB data-section format (spec v2.0, "Output Data Section"): a control byte holding
/// the type in its top three bits and the payload size in its low five, an extra type byte for extended types, and
/// extra size bytes for payloads of 29 bytes or more. C# types map as: string → UTF-8 string, ushort → uint16,
/// uint → uint32, ulong → uint64, int → int32, bool → boolean, double → double, byte[] → bytes,
/// <see cref="IDictionary"/> with string keys → map, any other <see cref="IEnumerable"/> → array.
/// Pointers are never written: every value is stored in full.
/// </summary>
internal static class MmdbDataEncoder
{
    private const int Utf8String = 2;
    private const int Double = 3;
    private const int Bytes = 4;
    private const int UInt16 = 5;
    private const int UInt32 = 6;
    private const int Map = 7;
    private const int Int32 = 8;
    private const int UInt64 = 9;
    private const int Array = 11;
    private const int Boolean = 14;

    public static void Write(Stream output, object value)
    {
        switch (value)
        {
            case string s:
                var utf8 = Encoding.UTF8.GetBytes(s);
                WriteControl(output, Utf8String, utf8.Length);
                output.Write(utf8);
                break;
            case byte[] raw:
                WriteControl(output, Bytes, raw.Length);
                output.Write(raw);
                break;
            case ushort u16:
                WriteUnsigned(output, UInt16, u16);
                break;
            case uint u32:
                WriteUnsigned(output, UInt32, u32);
                break;
            case ulong u64:
                WriteUnsigned(output, UInt64, u64);
                break;
            case int i32:
                // int32 is always written in full so the sign bit survives.
                WriteControl(output, Int32, 4);
                Span<byte> four = stackalloc byte[4];
                BinaryPrimitives.WriteInt32BigEndian(four, i32);
                output.Write(four);
                break;
            case bool b:
                // A boolean has no payload: the value is the size field.
                WriteControl(output, Boolean, b ? 1 : 0);
                break;
            case double d:
                WriteControl(output, Double, 8);
                Span<byte> eight = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(eight, d);
                output.Write(eight);
                break;
            case IDictionary map:
                WriteControl(output, Map, map.Count);
                foreach (DictionaryEntry entry in map)
                {
                    Write(output, (string)entry.Key);
                    Write(output, entry.Value ?? throw new ArgumentException("MMDB has no null value", nameof(value)));
                }

                break;
            case IEnumerable items:
                var list = items.Cast<object>().ToList();
                WriteControl(output, Array, list.Count);
                list.ForEach(item => Write(output, item));
                break;
            default:
                throw new ArgumentException($"MMDB cannot encode {value.GetType()}", nameof(value));
        }
    }

    /// <summary>Unsigned integers are written big-endian with leading zero bytes dropped; the size is the byte count.</summary>
    private static void WriteUnsigned(Stream output, int type, ulong value)
    {
        var length = 0;
        for (var v = value; v != 0; v >>= 8)
        {
            length++;
        }

        WriteControl(output, type, length);
        for (var i = length - 1; i >= 0; i--)
        {
            output.WriteByte((byte)(value >> (8 * i)));
        }
    }

    private static void WriteControl(Stream output, int type, int size)
    {
        var sizeField = size switch
        {
            < 29 => size,
            < 29 + 256 => 29,
            < 285 + 65536 => 30,
            _ => 31,
        };

        // Types 1-7 fit in the control byte; 8 and above store 0 there and (type - 7) in the following byte.
        output.WriteByte((byte)(((type <= 7 ? type : 0) << 5) | sizeField));
        if (type > 7)
        {
            output.WriteByte((byte)(type - 7));
        }

        switch (sizeField)
        {
            case 29:
                output.WriteByte((byte)(size - 29));
                break;
            case 30:
                var extra2 = size - 285;
                output.WriteByte((byte)(extra2 >> 8));
                output.WriteByte((byte)extra2);
                break;
            case 31:
                var extra3 = size - 65821;
                output.WriteByte((byte)(extra3 >> 16));
                output.WriteByte((byte)(extra3 >> 8));
                output.WriteByte((byte)extra3);
                break;
        }
    }
}
