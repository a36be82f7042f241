namespace MediaEngine.Rtp.Packets;

/// <summary>
/// Walks the elements of a one-byte or two-byte header extension block (RFC 8285), skipping
/// padding (id 0). It stops at one-byte id 15, which RFC 8285 §4.2 says ends processing, and at
/// the first element that would run past the block, as mediasoup does.
/// </summary>
public ref struct RtpHeaderExtensionEnumerator
{
    private const int PaddingId = 0;
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
            bool oneByteForm = _form == RtpHeaderExtensionForm.OneByte;
            int id = oneByteForm ? _body[elementOffset] >> 4 : _body[elementOffset];
            if (id == PaddingId)
            {
                // A one-byte padding element's length bits are ignored, as libwebrtc and mediasoup do.
                _offset++;
                continue;
            }

            if (oneByteForm && id == OneByteTerminatorId)
            {
                break;
            }

            int headerLength = oneByteForm ? 1 : 2;
            if (elementOffset + headerLength > _body.Length)
            {
                break;
            }

            int valueLength = oneByteForm ? (_body[elementOffset] & 0x0F) + 1 : _body[elementOffset + 1];
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
