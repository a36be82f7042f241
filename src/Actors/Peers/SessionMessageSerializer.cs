using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Actors.Rooms;
using Akka.Actor;
using Akka.Serialization;

namespace Actors.Peers;

/// <summary>A message between a peer's session and its room: plain data, serializable, so the two may run on different nodes.</summary>
public interface ISessionMessage;

/// <summary>
/// Writes <see cref="ISessionMessage"/>s as UTF-8 JSON with a manifest naming the type: actor refs
/// as their serialized paths, <see cref="JsonData"/> as the JSON it holds, a request or an answer
/// with a "$type" saying which one it is.
/// </summary>
public sealed class SessionMessageSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4243;

    public static readonly Type[] BoundTypes = [typeof(ISessionMessage)];

    private static readonly IReadOnlyDictionary<string, Type> TypesByManifest = typeof(ISessionMessage).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(ISessionMessage).IsAssignableFrom(t))
        .ToDictionary(t => t.Name);

    private readonly JsonSerializerOptions _options;

    public SessionMessageSerializer(ExtendedActorSystem system) : base(system)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(WithTypeDiscriminator<IPeerRequest>);
        resolver.Modifiers.Add(WithTypeDiscriminator<CommandResult>);
        resolver.Modifiers.Add(WithTypeDiscriminator<IRoomCommand>);
        _options = new JsonSerializerOptions
        {
            TypeInfoResolver = resolver,
            Converters = { new ActorRefConverter(system), new JsonDataConverter() },
        };
    }

    public override int Identifier => SerializerId;

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        TypesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, _options)!
            : throw new System.Runtime.Serialization.SerializationException($"unknown session message manifest \"{manifest}\"");

    public override string Manifest(object o) => o.GetType().Name;

    /// <summary>Every concrete <typeparamref name="T"/> of this assembly, told apart by its type name.</summary>
    private static void WithTypeDiscriminator<T>(JsonTypeInfo info)
    {
        if (info.Type != typeof(T))
            return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
        foreach (var type in typeof(T).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(T).IsAssignableFrom(t)))
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
    }

    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(IActorRef).IsAssignableFrom(typeToConvert);

        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            system.Provider.ResolveActorRef(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Serialization.SerializedActorPath(value));
    }

    private sealed class JsonDataConverter : JsonConverter<JsonData>
    {
        public override JsonData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new JsonData(Encoding.UTF8.GetBytes(document.RootElement.GetRawText()));
        }

        public override void Write(Utf8JsonWriter writer, JsonData value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}
