namespace MediaEngine.Consumers;

/// <summary>A simulcast/SVC consumer started sending another layer (null: none).</summary>
public sealed record ConsumerLayersChanged(string ConsumerId, int? SpatialLayer, int? TemporalLayer);
