using MediaEngine.Dtls;

namespace MediaEngine.Tests.Dtls;

public class DtlsRolesTests
{
    [Theory]
    [InlineData(DtlsRole.Client, DtlsRole.Server)]
    [InlineData(DtlsRole.Server, DtlsRole.Client)]
    [InlineData(DtlsRole.Auto, DtlsRole.Client)]
    public void LocalRole_IsTheOppositeOfTheRemoteOne_AndClientForAuto(DtlsRole remote, DtlsRole local) =>
        Assert.Equal(local, DtlsRoles.LocalRoleFor(remote));

    [Theory]
    [InlineData("auto", DtlsRole.Auto)]
    [InlineData("client", DtlsRole.Client)]
    [InlineData("server", DtlsRole.Server)]
    public void RoleNames_RoundTrip(string name, DtlsRole role)
    {
        Assert.True(DtlsRoles.TryParse(name, out DtlsRole parsed));
        Assert.Equal(role, parsed);
        Assert.Equal(name, role.ToMediasoupName());
    }

    [Theory]
    [InlineData("Client")]
    [InlineData("actpass")]
    [InlineData(null)]
    public void UnknownRoleNames_AreRejected(string? name) => Assert.False(DtlsRoles.TryParse(name, out _));

    [Fact]
    public void StateNames_AreMediasoups() =>
        Assert.Equal(
            ["new", "connecting", "connected", "failed", "closed"],
            Enum.GetValues<DtlsState>().Select(state => state.ToMediasoupName()));
}
