using System.Buffers.Binary;

namespace MediaEngine.Rtp.Packets;

/// <summary>RFC 8285 header extensions: lookup, in-place overwrite and id remapping.</summary>
public ref partial struct RtpPacket
{
    public const int MaxOneByteExtensionId = 14;
    public const int MaxTwoByteExtensionId = 255;
    public const int MaxOneByteExtensionValueLength = 16;

    private const int ExtensionBlockHeaderLength = 4;
    private const ushort OneByteProfile = 0xBEDE;
    private const ushort TwoByteProfile = 0x1000;
    private const ushort TwoByteProfileMask = 0xFFF0;

    public readonly RtpHeaderExtensionForm HeaderExtensionForm
    {
        get
        {
            if (!HasExtensionBlock)
            {
                return RtpHeaderExtensionForm.None;
            }

            ushort profile = BinaryPrimitives.ReadUInt16BigEndian(_buffer[CsrcEnd..]);
            if (profile == OneByteProfile)
            {
                return RtpHeaderExtensionForm.OneByte;
            }

            return (profile & TwoByteProfileMask) == TwoByteProfile
                ? RtpHeaderExtensionForm.TwoByte
                : RtpHeaderExtensionForm.Unknown;
        }
    }

    /// <summary>The elements of the extension block; none when the form is neither one- nor two-byte.</summary>
    public readonly RtpHeaderExtensionEnumerator HeaderExtensions => new(ExtensionBlockBody, HeaderExtensionForm);

    private readonly bool HasExtensionBlock => (_buffer[0] & ExtensionBit) != 0;

    private readonly Span<byte> ExtensionBlockBody =>
        HasExtensionBlock ? _buffer[(CsrcEnd + ExtensionBlockHeaderLength).._headerLength] : Span<byte>.Empty;

    /// <summary>Finds the first element with <paramref name="id"/>; its value can be rewritten in place.</summary>
    public readonly bool TryGetHeaderExtension(int id, out Span<byte> value)
    {
        foreach (RtpHeaderExtension extension in HeaderExtensions)
        {
            if (extension.Id == id)
            {
                value = extension.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Overwrites the value of element <paramref name="id"/>, which must have the same length.</summary>
    public readonly bool TryOverwriteHeaderExtension(int id, ReadOnlySpan<byte> value)
    {
        if (!TryGetHeaderExtension(id, out Span<byte> current) || current.Length != value.Length)
        {
            return false;
        }

        value.CopyTo(current);
        return true;
    }

    /// <summary>
    /// Renames every element in place: element <c>id</c> becomes <c>idMap[id]</c>. An id mapped to
    /// 0, or beyond the end of the map, is removed by zeroing the whole element, which RFC 8285
    /// receivers skip as padding. False, with the packet unchanged, when a new id does not fit the
    /// packet's form (above 14 in a one-byte block); <see cref="TryWriteWithRemappedHeaderExtensions"/>
    /// can switch forms instead.
    /// </summary>
    public readonly bool TryRemapHeaderExtensionIds(ReadOnlySpan<byte> idMap)
    {
        RtpHeaderExtensionForm form = HeaderExtensionForm;
        int maxId = form == RtpHeaderExtensionForm.OneByte ? MaxOneByteExtensionId : MaxTwoByteExtensionId;
        foreach (RtpHeaderExtension extension in HeaderExtensions)
        {
            if (MapId(idMap, extension.Id) > maxId)
            {
                return false;
            }
        }

        Span<byte> body = ExtensionBlockBody;
        foreach (RtpHeaderExtension extension in HeaderExtensions)
        {
            int newId = MapId(idMap, extension.Id);
            if (newId == 0)
            {
                body.Slice(extension.ElementOffset, extension.ElementLength).Clear();
            }
            else if (form == RtpHeaderExtensionForm.OneByte)
            {
                body[extension.ElementOffset] = (byte)((newId << 4) | (body[extension.ElementOffset] & 0x0F));
            }
            else
            {
                body[extension.ElementOffset] = (byte)newId;
            }
        }

        return true;
    }

    /// <summary>
    /// Writes a copy of the packet into <paramref name="destination"/> (which must not overlap
    /// it) with the extension ids mapped as by <see cref="TryRemapHeaderExtensionIds"/> and the
    /// removed elements and padding left out. The copy uses the one-byte form when every kept
    /// element fits it and the two-byte form otherwise, and has no extension block when nothing is
    /// kept. A block of unknown form is copied unchanged. False when the destination is too small.
    /// </summary>
    public readonly bool TryWriteWithRemappedHeaderExtensions(ReadOnlySpan<byte> idMap, Span<byte> destination, out int length)
    {
        length = 0;
        RtpHeaderExtensionForm form = HeaderExtensionForm;
        int csrcEnd = CsrcEnd;
        int keptCount = 0;
        int keptValueLength = 0;
        bool fitsOneByteForm = true;
        foreach (RtpHeaderExtension extension in HeaderExtensions)
        {
            int newId = MapId(idMap, extension.Id);
            if (newId == 0)
            {
                continue;
            }

            keptCount++;
            keptValueLength += extension.Value.Length;
            fitsOneByteForm &= newId <= MaxOneByteExtensionId
                && extension.Value.Length is > 0 and <= MaxOneByteExtensionValueLength;
        }

        int blockLength = form switch
        {
            RtpHeaderExtensionForm.Unknown => _headerLength - csrcEnd,
            _ when keptCount == 0 => 0,
            _ => ExtensionBlockHeaderLength
                + AlignToWord(keptValueLength + keptCount * (fitsOneByteForm ? 1 : 2)),
        };
        int headerLength = csrcEnd + blockLength;
        int totalLength = headerLength + (_length - _headerLength);
        if (totalLength > destination.Length)
        {
            return false;
        }

        _buffer[..csrcEnd].CopyTo(destination);
        if (form == RtpHeaderExtensionForm.Unknown)
        {
            _buffer[csrcEnd.._headerLength].CopyTo(destination[csrcEnd..]);
        }
        else if (blockLength == 0)
        {
            destination[0] &= unchecked((byte)~ExtensionBit);
        }
        else
        {
            destination[0] |= ExtensionBit;
            WriteRemappedBlock(idMap, fitsOneByteForm, destination[csrcEnd..headerLength]);
        }

        _buffer[_headerLength.._length].CopyTo(destination[headerLength..]);
        length = totalLength;
        return true;
    }

    private readonly void WriteRemappedBlock(ReadOnlySpan<byte> idMap, bool oneByteForm, Span<byte> block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(block, oneByteForm ? OneByteProfile : TwoByteProfile);
        BinaryPrimitives.WriteUInt16BigEndian(block[2..], (ushort)((block.Length - ExtensionBlockHeaderLength) / 4));
        int offset = ExtensionBlockHeaderLength;
        foreach (RtpHeaderExtension extension in HeaderExtensions)
        {
            int newId = MapId(idMap, extension.Id);
            if (newId == 0)
            {
                continue;
            }

            if (oneByteForm)
            {
                block[offset++] = (byte)((newId << 4) | (extension.Value.Length - 1));
            }
            else
            {
                block[offset++] = (byte)newId;
                block[offset++] = (byte)extension.Value.Length;
            }

            extension.Value.CopyTo(block[offset..]);
            offset += extension.Value.Length;
        }

        block[offset..].Clear();
    }

    private static int MapId(ReadOnlySpan<byte> idMap, int id) => id < idMap.Length ? idMap[id] : 0;

    private static int AlignToWord(int length) => (length + 3) & ~3;
}
