using System.Net;
using System.Net.Sockets;
using AzureCni.Cni.Types;

namespace AzureCni.Cni.Tests;

public sealed class IPTextTests
{
    [Theory]
    [InlineData("10.1.2.3/24", "10.1.2.0/24")]
    [InlineData("10.1.2.3/32", "10.1.2.3/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("fd00::5/64", "fd00::/64")]
    public void TryParseNetwork_ClearsHostBits(string text, string expected)
    {
        Assert.True(IPText.TryParseNetwork(text, out IPNetwork network));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("10.1.2.0")]
    [InlineData("10.1.2.0/33")]
    [InlineData("010.1.2.0/24")]
    [InlineData("10.1.2.0/024")]
    [InlineData("10/8")]
    [InlineData("fd00::/129")]
    public void TryParseNetwork_RejectsWhatGoRejects(string text) => Assert.False(IPText.TryParseNetwork(text, out _));

    [Theory]
    [InlineData("10.1.2.0/24", "10.1.2.1", "10.1.2.255")]
    [InlineData("10.1.2.4/30", "10.1.2.5", "10.1.2.7")]
    [InlineData("10.1.2.3/32", "10.1.2.4", "10.1.2.3")]
    [InlineData("fd00::/64", "fd00::1", "fd00::ffff:ffff:ffff:ffff")]
    public void FirstHostAndLastAddress(string subnet, string first, string last)
    {
        Assert.True(IPText.TryParseNetwork(subnet, out IPNetwork network));
        Assert.Equal(IPAddress.Parse(first), IPText.FirstHost(network));
        Assert.Equal(IPAddress.Parse(last), IPText.LastAddress(network));
    }

    [Fact]
    public void IntegerRoundTrip_AndAdd_CarryAcrossBytes()
    {
        Assert.Equal(IPAddress.Parse("10.0.1.0"), IPText.Add(IPAddress.Parse("10.0.0.255"), 1));
        Assert.Equal((UInt128)0x0A000001, IPText.ToInteger(IPAddress.Parse("10.0.0.1")));
        Assert.Equal(IPAddress.Parse("fd00::1:0"), IPText.FromInteger(IPText.ToInteger(IPAddress.Parse("fd00::ffff")) + 1, AddressFamily.InterNetworkV6));
    }

    [Fact]
    public void Compare_OrdersIPv4FirstThenNumerically()
    {
        string[] sorted = ["fd00::1", "10.0.0.10", "::1", "10.0.0.9"];
        Array.Sort(sorted, (a, b) => IPText.Compare(IPAddress.Parse(a), IPAddress.Parse(b)));
        Assert.Equal(["10.0.0.9", "10.0.0.10", "::1", "fd00::1"], sorted);
    }
}
