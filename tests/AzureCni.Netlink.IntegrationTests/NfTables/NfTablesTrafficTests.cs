using System.Net;
using System.Net.Sockets;
using System.Text;
using AzureCni.Netlink.NfTables;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Netlink.IntegrationTests.NfTables;

/// <summary>
/// Real packets through the rules, between namespaces the test creates: a "node", a "pod" behind it and a third
/// party (a client, or the fabric). Setup uses <c>ip</c>; the rules under test are installed by the library.
/// </summary>
public sealed class NfTablesTrafficTests
{
    [RootFact]
    public void PortMappingReachesThePodFromOutsideFromTheNodeAndFromThePodItself()
    {
        using TestNamespace node = TestNamespace.Create();
        using TestNamespace pod = TestNamespace.Create();
        using TestNamespace client = TestNamespace.Create();
        Connect(node, "vpod", "10.1.0.1/24", pod, "10.1.0.2/24");
        Connect(node, "vcli", "10.2.0.1/24", client, "10.2.0.2/24");
        node.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");

        using NfTablesClient nft = NfTablesClient.Open(node.Namespace);
        string tag = RuleTag.Attachment("c1", "eth0");
        AzureCniRules.ApplyPortMappings(nft, tag, [new NfPortMapping(8080, 80, ProtocolType.Tcp, IPAddress.Parse("10.1.0.2"))]);

        using TcpListener listener = pod.Namespace.Run(() =>
        {
            var l = new TcpListener(IPAddress.Any, 80);
            l.Start();
            return l;
        });

        Assert.Equal("10.2.0.2", RoundTrip(client, listener, "10.2.0.1", 8080)); // from outside: DNAT keeps the source
        Assert.Equal("10.2.0.1", RoundTrip(node, listener, "10.2.0.1", 8080));   // from the node itself (output chain)
        Assert.Equal("10.1.0.1", RoundTrip(pod, listener, "10.1.0.1", 8080));    // hairpin: masqueraded to the node

        Assert.Equal(3, AzureCniRules.Delete(nft, tag));
        SocketException refused = Assert.Throws<SocketException>(() => RoundTrip(client, listener, "10.2.0.1", 8080));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [RootFact]
    public void BridgeModeRewritesMacsAndKeepsPodArpOffTheFabric()
    {
        using TestNamespace node = TestNamespace.Create();
        using TestNamespace pod = TestNamespace.Create();
        using TestNamespace fabric = TestNamespace.Create();
        node.Exec("ip", "link", "add", "br0", "type", "bridge");
        node.Exec("ip", "link", "set", "br0", "up");
        Connect(node, "mst", null, fabric, "10.5.0.1/24");
        Connect(node, "vpod", null, pod, "10.5.0.2/24");
        node.Exec("ip", "link", "set", "mst", "master", "br0");
        node.Exec("ip", "link", "set", "vpod", "master", "br0");
        // The fabric also owns an address the node will claim for another pod, to see whether pod ARP reaches it.
        fabric.Exec("ip", "addr", "add", "10.5.0.99/24", "dev", "eth0");
        byte[] masterMac = node.Netlink.GetLink("mst").MacAddress!.GetAddressBytes();
        byte[] podMac = pod.Netlink.GetLink("eth0").MacAddress!.GetAddressBytes();

        using NfTablesClient nft = NfTablesClient.Open(node.Namespace);
        AzureCniRules.ApplyBridgeNode(nft, "mst", masterMac);
        AzureCniRules.ApplyBridgeContainer(nft, RuleTag.Attachment("c1", "eth0"), "mst", podMac, [IPAddress.Parse("10.5.0.2")]);

        // The fabric learns the pod address at the master's MAC, and its replies (sent to that MAC) reach the pod.
        pod.Exec("ping", "-c", "1", "-W", "2", "10.5.0.1");
        NeighborEntry learned = Assert.Single(fabric.Netlink.ListNeighbors(fabric.IndexOf("eth0"), AddressFamily.InterNetwork),
            n => n.Address.Equals(IPAddress.Parse("10.5.0.2")));
        Assert.Equal(masterMac, learned.MacAddress!.GetAddressBytes());

        // ARP for an address of a local pod never leaves through the master: the fabric cannot answer it.
        string otherPod = RuleTag.Attachment("c2", "eth0");
        AzureCniRules.ApplyBridgeContainer(nft, otherPod, "mst", [0x02, 0, 0, 0, 0, 0x99], [IPAddress.Parse("10.5.0.99")]);
        Assert.Throws<InvalidOperationException>(() => pod.Exec("ping", "-c", "1", "-W", "1", "10.5.0.99"));
        AzureCniRules.Delete(nft, otherPod);
        pod.Exec("ping", "-c", "1", "-W", "2", "10.5.0.99");

        // Without the rules the fabric's replies go to the master's MAC, i.e. to the node, and never reach the pod.
        AzureCniRules.DeleteTables(nft);
        pod.Exec("ip", "neigh", "flush", "dev", "eth0");
        fabric.Exec("ip", "neigh", "flush", "dev", "eth0");
        pod.Exec("ping", "-c", "1", "-W", "2", "10.5.0.1"); // plain bridging still works (fabric sees the pod MAC)
        learned = Assert.Single(fabric.Netlink.ListNeighbors(fabric.IndexOf("eth0"), AddressFamily.InterNetwork),
            n => n.Address.Equals(IPAddress.Parse("10.5.0.2")));
        Assert.Equal(podMac, learned.MacAddress!.GetAddressBytes());
    }

    /// <summary>A veth pair: <paramref name="hostName"/> in <paramref name="host"/>, <c>eth0</c> in <paramref name="peer"/>, both up and addressed.</summary>
    private static void Connect(TestNamespace host, string hostName, string? hostAddress, TestNamespace peer, string peerAddress)
    {
        host.Exec("ip", "link", "add", hostName, "type", "veth", "peer", "name", "eth0", "netns", peer.Name);
        host.Exec("ip", "link", "set", hostName, "up");
        if (hostAddress is not null)
            host.Exec("ip", "addr", "add", hostAddress, "dev", hostName);
        peer.Exec("ip", "link", "set", "lo", "up");
        peer.Exec("ip", "link", "set", "eth0", "up");
        peer.Exec("ip", "addr", "add", peerAddress, "dev", "eth0");
        if (hostAddress is not null)
            peer.Exec("ip", "route", "add", "default", "via", hostAddress.Split('/')[0]);
    }

    /// <summary>Connects from inside <paramref name="from"/>; the pod's server answers with the source address it saw.</summary>
    private static string RoundTrip(TestNamespace from, TcpListener listener, string address, int port)
    {
        using Socket socket = from.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        // A thread of its own, not the pool's: a loaded test run can leave a pool task unscheduled past the timeouts.
        // Its failure is kept for the assertion below: an exception escaping a thread would end the test host.
        Exception? failure = null;
        var server = new Thread(() =>
        {
            try
            {
                using Socket accepted = AcceptRetryingInterrupts(listener);
                accepted.Send(Encoding.ASCII.GetBytes(((IPEndPoint)accepted.RemoteEndPoint!).Address.ToString()));
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true };
        server.Start();
        socket.ReceiveTimeout = 5000;
        var connect = socket.BeginConnect(IPAddress.Parse(address), port, null, null);
        if (!connect.AsyncWaitHandle.WaitOne(5000))
            throw new TimeoutException($"connect to {address}:{port} timed out");
        socket.EndConnect(connect);
        byte[] buffer = new byte[64];
        int read = socket.Receive(buffer);
        Assert.True(server.Join(5000));
        Assert.Null(failure);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    // A signal to the test host (a child process ending) can interrupt the blocking accept (EINTR).
    private static Socket AcceptRetryingInterrupts(TcpListener listener)
    {
        while (true)
        {
            try
            {
                return listener.AcceptSocket();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.Interrupted)
            {
            }
        }
    }
}
