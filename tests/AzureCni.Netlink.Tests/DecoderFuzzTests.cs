using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests;

/// <summary>
/// Seeded random and mutated buffers through every decoder: each either decodes or raises
/// <see cref="NetlinkDecodeException"/>; any other exception (out of range, overflow, crash) fails the test.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int Seed = 12345; // fixed so a failure reproduces
    private const int RandomBuffers = 4000;
    private const int Mutations = 6000;

    [Fact]
    public void RandomBuffers_OnlyDecodeErrors()
    {
        var random = new Random(Seed);
        int decoded = 0;
        for (int i = 0; i < RandomBuffers; i++)
        {
            byte[] buffer = new byte[random.Next(0, 300)];
            random.NextBytes(buffer);
            // Half the time, give the buffer a plausible header so the walk gets past the first length check.
            if (buffer.Length >= 16 && random.Next(2) == 0)
            {
                BitConverter.TryWriteBytes(buffer, random.Next(16, buffer.Length + 1));
                BitConverter.TryWriteBytes(buffer.AsSpan(4), (ushort)random.Next(1, 32));
            }
            decoded += DecodeEverything(buffer, i);
        }
        Assert.True(decoded > 0, "no buffer decoded at all: the fuzzer is not reaching the decoders");
    }

    [Fact]
    public void MutatedKernelReplies_OnlyDecodeErrors()
    {
        var random = new Random(Seed);
        byte[][] seeds = [LinkDump(), AddressMessage(), RouteMessage(), NeighborMessage(), ErrorMessage()];
        int decoded = 0;
        for (int i = 0; i < Mutations; i++)
        {
            byte[] buffer = (byte[])seeds[i % seeds.Length].Clone();
            int edits = random.Next(1, 6);
            for (int e = 0; e < edits; e++)
            {
                switch (random.Next(4))
                {
                    case 0: buffer[random.Next(buffer.Length)] = (byte)random.Next(256); break;     // flip a byte
                    case 1: buffer[random.Next(buffer.Length)] ^= (byte)(1 << random.Next(8)); break; // flip a bit
                    case 2: buffer = buffer[..random.Next(buffer.Length + 1)]; break;                 // truncate
                    default:                                                                          // grow with junk
                        byte[] grown = new byte[buffer.Length + random.Next(1, 16)];
                        buffer.CopyTo(grown, 0);
                        random.NextBytes(grown.AsSpan(buffer.Length));
                        buffer = grown;
                        break;
                }
                if (buffer.Length == 0)
                    break;
            }
            decoded += DecodeEverything(buffer, i);
        }
        Assert.True(decoded > Mutations / 10, $"only {decoded} mutated buffers decoded: mutations too destructive to exercise decoders");
    }

    /// <summary>Runs every decoder over every message of <paramref name="buffer"/>; returns how many decoded cleanly.</summary>
    private static int DecodeEverything(byte[] buffer, int iteration)
    {
        int decoded = 0;
        try
        {
            var messages = new NetlinkMessageReader(buffer);
            while (messages.MoveNext())
            {
                ReadOnlySpan<byte> payload = messages.Payload;
                decoded += Try(static p => ReplyDecoder.DecodeLink(p), payload);
                decoded += Try(static p => ReplyDecoder.DecodeAddress(p), payload);
                decoded += Try(static p => ReplyDecoder.DecodeRoute(p), payload);
                decoded += Try(static p => ReplyDecoder.DecodeNeighbor(p), payload);
                decoded += Try(static p => ReplyDecoder.DecodeRule(p), payload);
                decoded += TryError(messages.Flags, payload);
            }
            var attributes = new NetlinkAttributeReader(buffer);
            while (attributes.MoveNext())
            {
            }
        }
        catch (Exception e) when (e is not NetlinkDecodeException)
        {
            Assert.Fail($"iteration {iteration}: {e.GetType().Name} for {Hex.Format(buffer)}: {e}");
        }
        return decoded;
    }

    private delegate object PayloadDecoder(ReadOnlySpan<byte> payload);

    private static int Try(PayloadDecoder decode, ReadOnlySpan<byte> payload)
    {
        try
        {
            Assert.NotNull(decode(payload));
            return 1;
        }
        catch (NetlinkDecodeException)
        {
            return 0;
        }
    }

    private static int TryError(ushort flags, ReadOnlySpan<byte> payload)
    {
        try
        {
            NetlinkReply.ThrowIfError(flags, payload, new NetlinkOperation("fuzz"));
            return 1;
        }
        catch (NetlinkDecodeException)
        {
            return 0;
        }
        catch (NetlinkException)
        {
            return 1; // a well-formed kernel error
        }
    }

    private static byte[] LinkDump() => KernelReplies.Datagram((ref w) =>
    {
        KernelReplies.WriteLink(ref w, 1, "lo", new byte[6], 65536, null, null);
        KernelReplies.WriteLink(ref w, 2, "eth0", [2, 0, 0, 0, 0, 2], 1500, 3, "veth");
        KernelReplies.WriteDone(ref w);
    });

    private static byte[] AddressMessage() => Encode.With((ref w) =>
        Requests.AddressRequests.Modify(ref w, RTM.RTM_NEWADDR, 0, new(2, System.Net.IPAddress.Parse("10.0.0.1"), 24, RouteScope.Universe, false)));

    private static byte[] RouteMessage() => Encode.With((ref w) => Requests.RouteRequests.Modify(ref w, RTM.RTM_NEWROUTE, 0,
        new RouteEntry { Destination = System.Net.IPAddress.Parse("fd00::"), DestinationPrefixLength = 64, Gateway = System.Net.IPAddress.Parse("fd00::1"), OutputInterfaceIndex = 2, Metric = 5 }));

    private static byte[] NeighborMessage() => Encode.With((ref w) => Requests.NeighborRequests.Modify(ref w, RTM.RTM_NEWNEIGH, 0,
        new(2, System.Net.IPAddress.Parse("10.0.0.9"), [2, 0, 0, 0, 0, 9], NeighborState.Reachable)));

    private static byte[] ErrorMessage() => KernelReplies.Datagram((ref w) => KernelReplies.WriteError(ref w, -22, "Invalid values in header"));
}
