using System.Text;
using AzureCni.Ipam.Sources;
using AzureCni.Ipam.Tests.Support;

namespace AzureCni.Ipam.Tests.Unit;

public class NmAgentXmlTests
{
    [Fact]
    public void ParsesTheWireserverDocument()
    {
        const string xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <!-- from NMAgent -->
            <Interfaces>
              <Interface MacAddress="000D3A6E1825" IsPrimary="true">
                <IPSubnet Prefix="10.240.0.0/16">
                  <IPAddress Address="10.240.0.4" IsPrimary="true"/>
                  <IPAddress Address='10.240.0.5' IsPrimary="false" />
                </IPSubnet>
              </Interface>
              <Interface MacAddress="000D3A6E1826" IsPrimary="false">
                <IPSubnet Prefix="10.241.0.0/24"><IPAddress Address="10.241.0.9" IsPrimary="false"></IPAddress></IPSubnet>
                <Future Kind="x&amp;y"/>
              </Interface>
            </Interfaces>
            """;
        var parsed = NmAgentXml.Parse(Encoding.UTF8.GetBytes(xml));

        Assert.Equal(2, parsed.Interfaces.Count);
        Assert.Equal("000D3A6E1825", parsed.Interfaces[0].MacAddress);
        Assert.True(parsed.Interfaces[0].IsPrimary);
        Assert.False(parsed.Interfaces[1].IsPrimary);
        Assert.Equal("10.240.0.0/16", parsed.Interfaces[0].IPSubnets[0].Prefix);
        Assert.Equal(["10.240.0.4", "10.240.0.5"], parsed.Interfaces[0].IPSubnets[0].IPAddresses.Select(a => a.Address));
        Assert.True(parsed.Interfaces[0].IPSubnets[0].IPAddresses[0].IsPrimary);
        Assert.Equal("10.241.0.9", parsed.Interfaces[1].IPSubnets[0].IPAddresses[0].Address);
    }

    [Fact]
    public void ParsesTheFixture() =>
        Assert.Equal(4, NmAgentXml.Parse(Encoding.UTF8.GetBytes(Fixtures.NmAgentXml(Fixtures.Mac, Fixtures.Three))).Interfaces[0].IPSubnets[0].IPAddresses.Count);

    [Theory]
    [InlineData("")]
    [InlineData("<Interfaces>")]
    [InlineData("<Interfaces></Interface>")]
    [InlineData("<Interfaces><Interface MacAddress=\"x\"></Interfaces>")]
    [InlineData("<Interfaces/><Interfaces/>")]
    [InlineData("<Interfaces><Interface MacAddress=\"x\" MacAddress=\"y\"/></Interfaces>")]
    [InlineData("<Interfaces><Interface MacAddress=x/></Interfaces>")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><Interfaces/>")]
    [InlineData("<Interfaces><![CDATA[x]]></Interfaces>")]
    [InlineData("<Interfaces><Interface MacAddress=\"&bogus;\"/></Interfaces>")]
    [InlineData("<Interfaces><Interface/></Interfaces>")]
    [InlineData("<Interfaces><Interface MacAddress=\"a\" IsPrimary=\"maybe\"/></Interfaces>")]
    [InlineData("<Other/>")]
    public void RejectsMalformedDocuments(string xml) =>
        Assert.Throws<FormatException>(() => NmAgentXml.Parse(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public void DecodesCharacterReferences()
    {
        var root = MiniXml.Parse("<a v=\"&lt;&#65;&#x42;&quot;&apos;&gt;&amp;\"/>"u8);
        Assert.Equal("<AB\"'>&", root.Attribute("v"));
    }
}
