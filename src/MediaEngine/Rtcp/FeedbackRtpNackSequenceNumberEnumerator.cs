namespace MediaEngine.Rtcp;

/// <summary>Expands the items of a NACK packet into the lost sequence numbers they report, in item order.</summary>
public ref struct FeedbackRtpNackSequenceNumberEnumerator
{
    private const int BitmaskSpan = 16;
    private const int BeforeItem = -1;

    private readonly ReadOnlySpan<byte> _items;
    private int _nextItemOffset;
    private int _nextBit;
    private FeedbackRtpNackItem _item;

    internal FeedbackRtpNackSequenceNumberEnumerator(ReadOnlySpan<byte> items)
    {
        _items = items;
        _nextItemOffset = 0;
        _nextBit = BeforeItem;
        _item = default;
        Current = 0;
    }

    public ushort Current { get; private set; }

    public readonly FeedbackRtpNackSequenceNumberEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            if (_nextBit == BeforeItem)
            {
                if (_nextItemOffset + FeedbackRtpNackItem.Length > _items.Length)
                {
                    return false;
                }

                _item = FeedbackRtpNackItem.Read(_items[_nextItemOffset..]);
                _nextItemOffset += FeedbackRtpNackItem.Length;
                _nextBit = 0;
                Current = _item.PacketId;
                return true;
            }

            while (_nextBit < BitmaskSpan)
            {
                int bit = _nextBit++;
                if ((_item.LostPacketBitmask & (1 << bit)) != 0)
                {
                    Current = (ushort)(_item.PacketId + bit + 1);
                    return true;
                }
            }

            _nextBit = BeforeItem;
        }
    }
}
