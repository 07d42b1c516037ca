using AzureCni.Netlink;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// A datagram as the kernel answers a request: the reply walk (sequence and port filter, ACK, NLMSG_ERROR with its
/// extended ack, NLMSG_DONE), and every data message through the four decoders, whatever its type says. The refusals:
/// NetlinkDecodeException (malformed) and NetlinkException (the kernel's error answer).
/// </summary>
public static class NetlinkTarget
{
    /// <summary>The request the seeds answer.</summary>
    public const uint Sequence = 7;

    public const uint PortId = 4242;

    public static void Run(byte[] input)
    {
        var reply = new NetlinkReply(Sequence, PortId, new NetlinkOperation("fuzz"));
        Refusal.Allow(() => reply.Process(input, 0, static (_, type, payload) => Decode(type, payload.ToArray())), Documented);

        // Each message through every decoder, so a link decoder also meets route payloads.
        var reader = new NetlinkMessageReader(input);
        var payloads = new List<byte[]>();
        while (reader.MoveNext())
            payloads.Add(reader.Payload.ToArray());
        foreach (byte[] payload in payloads)
        {
            foreach (ushort type in (ushort[])[RTM.RTM_NEWLINK, RTM.RTM_NEWADDR, RTM.RTM_NEWROUTE, RTM.RTM_NEWNEIGH])
                Refusal.Allow(() => Decode(type, payload), Documented);
            Refusal.Allow(() => NetlinkReply.ThrowIfError(NLM_F.NLM_F_ACK_TLVS, payload, new NetlinkOperation("fuzz")), Documented);
            Refusal.Allow(() => NetlinkReply.ThrowIfError(NLM_F.NLM_F_ACK_TLVS | NLM_F.NLM_F_CAPPED, payload, new NetlinkOperation("fuzz")), Documented);
        }
    }

    private static void Decode(ushort type, byte[] payload)
    {
        switch (type)
        {
            case RTM.RTM_NEWLINK:
                _ = ReplyDecoder.DecodeLink(payload).ToString();
                break;
            case RTM.RTM_NEWADDR:
                _ = ReplyDecoder.DecodeAddress(payload).ToString();
                break;
            case RTM.RTM_NEWROUTE:
                _ = ReplyDecoder.DecodeRoute(payload).ToString();
                break;
            case RTM.RTM_NEWNEIGH:
                _ = ReplyDecoder.DecodeNeighbor(payload).ToString();
                break;
        }
    }

    private static bool Documented(Exception e) => e is NetlinkDecodeException or NetlinkException;
}
