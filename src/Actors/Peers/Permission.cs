namespace Actors.Peers;

/// <summary>The permissions a token may name.</summary>
public static class Permission
{
    public const string Join = "join";
    public const string Produce = "produce";
    public const string Consume = "consume";
    public const string Data = "data";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Join, Produce, Consume, Data, Admin };

    /// <summary>What a member may do: everything but admin.</summary>
    public static readonly IReadOnlySet<string> Member = new HashSet<string> { Join, Produce, Consume, Data };
}
