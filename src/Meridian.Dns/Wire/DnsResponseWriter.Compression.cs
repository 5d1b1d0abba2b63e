namespace Meridian.Dns.Wire;

// Name compression (RFC 1035 4.1.4): the table holds the offset of every label start written literally (up to 32);
// a name is written label by label until its remaining suffix equals a name already in the message, which is then
// replaced by a pointer. Comparing against the message itself (case-insensitively, following its pointers) avoids
// storing copies of names.
public ref partial struct DnsResponseWriter
{
    private bool TryWriteName(scoped ReadOnlySpan<byte> name, bool compress)
    {
        int start = _position;
        int nameCountBefore = _nameCount;
        int i = 0;
        while (true)
        {
            int len = name[i];
            if (len == 0)
            {
                if (_position >= _end)
                {
                    break;
                }
                _buffer[_position++] = 0;
                return true;
            }
            if (compress)
            {
                int match = FindName(name[i..]);
                if (match >= 0)
                {
                    if (_position + 2 > _end)
                    {
                        break;
                    }
                    WriteUInt16((ushort)(0xC000 | match));
                    return true;
                }
            }
            if (_position + 1 + len > _end)
            {
                break;
            }
            AddName(_position);
            name.Slice(i, len + 1).CopyTo(_buffer[_position..]);
            _position += len + 1;
            i += len + 1;
        }
        _position = start;
        _nameCount = nameCountBefore;
        return false;
    }

    /// <summary>Registers the literal labels of the name at <paramref name="offset"/> (the question's).</summary>
    private void RegisterNameLabels(int offset)
    {
        int i = offset;
        while (i < _buffer.Length)
        {
            int len = _buffer[i];
            if (len == 0 || len > DnsName.MaxLabelLength)
            {
                return; // root, or a pointer: the pointed-to name is (or is not) registered already
            }
            AddName(i);
            i += len + 1;
        }
    }

    private void AddName(int offset)
    {
        if (_nameCount < CompressionTable.Capacity && offset <= MaxPointerOffset)
        {
            _names[_nameCount++] = (ushort)offset;
        }
    }

    private readonly int FindName(scoped ReadOnlySpan<byte> suffix)
    {
        for (int n = 0; n < _nameCount; n++)
        {
            int offset = _names[n];
            if (NameAtEquals(offset, suffix))
            {
                return offset;
            }
        }
        return -1;
    }

    /// <summary>Whether the (possibly compressed) name at <paramref name="offset"/> in the message equals <paramref name="name"/>.</summary>
    private readonly bool NameAtEquals(int offset, scoped ReadOnlySpan<byte> name)
    {
        int i = 0;
        int hops = 0;
        while (offset < _position)
        {
            int len = _buffer[offset];
            if ((len & 0xC0) == 0xC0)
            {
                if (++hops > DnsQueryParser.MaxPointerHops || offset + 1 >= _position)
                {
                    return false;
                }
                offset = ((len & 0x3F) << 8) | _buffer[offset + 1];
                continue;
            }
            if (len != name[i] || offset + 1 + len > _position)
            {
                return false;
            }
            if (len == 0)
            {
                return true;
            }
            for (int k = 1; k <= len; k++)
            {
                if (DnsName.ToLower(_buffer[offset + k]) != DnsName.ToLower(name[i + k]))
                {
                    return false;
                }
            }
            offset += len + 1;
            i += len + 1;
        }
        return false;
    }
}
