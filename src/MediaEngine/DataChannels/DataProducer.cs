using MediaEngine.Sctp;
using MediaEngine.Transports;

namespace MediaEngine.DataChannels;

/// <summary>
/// Messages a peer sends on one SCTP stream of its transport (mediasoup's DataProducer), or, when
/// <see cref="Transport"/> is null, messages the server itself injects (a direct producer: the Bot).
/// Every message goes to each of its data consumers by direct calls on the worker thread.
/// </summary>
public sealed class DataProducer
{
    private readonly List<DataConsumer> _consumers = new();

    internal DataProducer(string id, WebRtcTransport? transport, SctpStreamParameters? streamParameters, string label, string protocol)
    {
        Id = id;
        Transport = transport;
        StreamParameters = streamParameters;
        Label = label;
        Protocol = protocol;
    }

    public string Id { get; }

    public WebRtcTransport? Transport { get; }

    /// <summary>Null for a direct producer.</summary>
    public SctpStreamParameters? StreamParameters { get; }

    public string Label { get; }

    public string Protocol { get; }

    public long MessagesReceived { get; private set; }

    public long BytesReceived { get; private set; }

    internal IReadOnlyList<DataConsumer> Consumers => _consumers;

    internal void AddConsumer(DataConsumer consumer) => _consumers.Add(consumer);

    internal void RemoveConsumer(DataConsumer consumer) => _consumers.Remove(consumer);

    internal void Receive(uint ppid, byte[] payload)
    {
        MessagesReceived++;
        BytesReceived += payload.Length;
        for (var i = 0; i < _consumers.Count; i++)
            _consumers[i].Send(ppid, payload);
    }
}
