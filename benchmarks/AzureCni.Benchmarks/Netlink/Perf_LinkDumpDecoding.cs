using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using BenchmarkDotNet.Attributes;

namespace AzureCni.Benchmarks.Netlink;

/// <summary>Decoding an RTM_GETLINK dump reply of 50 links (header, attributes and nested link info of each).</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Netlink")]
public class Perf_LinkDumpDecoding
{
    private const int LinkCount = 50;
    private byte[] _dump = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] buffer = new byte[32 * 1024];
        var writer = new NetlinkWriter(buffer);
        for (int i = 1; i <= LinkCount; i++)
        {
            writer.BeginMessage(RTM.RTM_NEWLINK, NLM_F.NLM_F_MULTI);
            scoped var message = new LinkMessage { Header = new ifinfomsg { ifi_index = i, ifi_type = 1, ifi_flags = 0x1043 } };
            message.Attributes.Name = System.Text.Encoding.UTF8.GetBytes("azv" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            message.Attributes.Address = [2, 0, 0, 0, 0, (byte)i];
            message.Attributes.Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
            message.Attributes.Mtu = 1500;
            message.Attributes.Master = i > 1 ? 1 : null;
            message.Attributes.TxQueueLength = 1000;
            message.Attributes.OperState = 6;
            message.Attributes.Carrier = 1;
            message.Attributes.MinMtu = 68;
            message.Attributes.MaxMtu = 65535;
            message.Attributes.LinkInfo.Kind = "veth"u8;
            LinkMessage.Write(message, ref writer);
            writer.EndMessage();
        }
        writer.BeginMessage(NLMSG.NLMSG_DONE, NLM_F.NLM_F_MULTI);
        writer.WriteAttribute(0, 0u);
        writer.EndMessage();
        _dump = writer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public long DecodeLinkDump50()
    {
        long sum = 0;
        var reader = new NetlinkMessageReader(_dump);
        while (reader.MoveNext())
        {
            if (reader.MessageType != RTM.RTM_NEWLINK || !LinkMessage.TryRead(reader.Payload, out LinkMessage link, out _))
                continue;
            sum += link.Header.ifi_index + (link.Attributes.Mtu ?? 0) + link.Attributes.Name.Length + link.Attributes.Address[5] + link.Attributes.LinkInfo.Kind.Length;
        }
        return sum;
    }
}
