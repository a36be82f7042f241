namespace MediaEngine.Rtp.Packets;

/// <summary>
/// Walks the elements of a one-byte or two-byte header extension block (RFC 8285), skipping
/// padding bytes. It stops at one-byte id 15, which RFC 8285 §4.2 says ends processing, and at
/// the first element that would run past the block, as mediasoup does.
/// </summary>
public ref struct RtpHeaderExtensionEnumerator
{
    private const int OneByteTerminatorId = 15;

    private readonly Span<byte> _body;
    private readonly RtpHeaderExtensionForm _form;
    private int _offset;

    internal RtpHeaderExtensionEnumerator(Span<byte> body, RtpHeaderExtensionForm form)
    {
        _body = body;
        _form = form;
        _offset = form is RtpHeaderExtensionForm.OneByte or RtpHeaderExtensionForm.TwoByte ? 0 : body.Length;
        Current = default;
    }

    public RtpHeaderExtension Current { get; private set; }

    public readonly RtpHeaderExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_offset < _body.Length)
        {
            int elementOffset = _offset;
            byte first = _body[elementOffset];
            if (first == 0)
            {
                _offset++;
                continue;
            }

            int id;
            int headerLength;
            int valueLength;
            if (_form == RtpHeaderExtensionForm.OneByte)
            {
                id = first >> 4;
                headerLength = 1;
                valueLength = (first & 0x0F) + 1;
                if (id == OneByteTerminatorId)
                {
                    break;
                }
            }
            else
            {
                if (elementOffset + 1 >= _body.Length)
                {
                    break;
                }

                id = first;
                headerLength = 2;
                valueLength = _body[elementOffset + 1];
            }

            int valueOffset = elementOffset + headerLength;
            if (valueOffset + valueLength > _body.Length)
            {
                break;
            }

            _offset = valueOffset + valueLength;
            Current = new RtpHeaderExtension(id, _body.Slice(valueOffset, valueLength), elementOffset, headerLength);
            return true;
        }

        _offset = _body.Length;
        return false;
    }
}
