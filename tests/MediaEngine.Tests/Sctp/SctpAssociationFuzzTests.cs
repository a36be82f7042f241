using MediaEngine.Sctp;

namespace MediaEngine.Tests.Sctp;

public class SctpAssociationFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MutatedPackets_NeverThrow(int seed)
    {
        var captured = new List<(bool ToServer, byte[] Packet)>();
        var link = new SctpTestLink(seed) { LossRate = 0.05 };
        link.Filter = (toServer, packet) =>
        {
            captured.Add((toServer, packet));
            return false;
        };
        link.Connect();
        Assert.True(link.Run(() => link.Client.State == SctpState.Connected && link.Server.State == SctpState.Connected, TimeSpan.FromMinutes(1)));
        for (int i = 0; i < 50; i++)
        {
            link.Client.SendMessage((ushort)(i % 3), 53, new byte[(i * 97) % 3000 + 1], ordered: i % 2 == 0, i % 5 == 0 ? 0 : null, null, link.Now);
            link.Server.SendMessage(1, 51, new byte[i + 1], ordered: true, null, null, link.Now);
        }

        link.Client.ResetStreams([2], link.Now);
        Assert.True(link.Run(() => link.Client.BufferedAmount == 0 && link.Server.BufferedAmount == 0, TimeSpan.FromMinutes(1)));
        link.Filter = null;

        var random = new Random(seed);
        for (int round = 0; round < 3000; round++)
        {
            var (toServer, original) = captured[random.Next(captured.Count)];
            var packet = original.ToArray();
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations; m++)
            {
                packet[random.Next(SctpCommonHeader.Length, packet.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                packet = packet.AsSpan(0, random.Next(SctpCommonHeader.Length, packet.Length + 1)).ToArray();
            }

            SctpPacketChecksum.Write(packet);
            (toServer ? link.Server : link.Client).HandleIncoming(packet, link.Now);
            link.Pump();
        }

        link.Run(() => false, TimeSpan.FromSeconds(5));
        Assert.True(link.Server.Counters.MalformedPackets + link.Client.Counters.MalformedPackets > 0);
    }
}
