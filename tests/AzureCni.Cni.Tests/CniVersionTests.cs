using AzureCni.Cni;

namespace AzureCni.Cni.Tests;

public class CniVersionTests
{
    [Fact]
    public void SevenVersionsInOrder()
    {
        Assert.Equal(["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], CniVersion.Supported);
        for (int i = 0; i < CniVersion.Supported.Length; i++)
        {
            Assert.True(CniVersion.TryParse(CniVersion.Supported[i], out var v));
            Assert.Equal(i, (int)v);
            Assert.Equal(CniVersion.Supported[i], v.ToVersionString());
        }
    }

    [Fact]
    public void MissingVersionReadsAs020()
    {
        Assert.Equal(SpecVersion.V0_2_0, CniVersion.ParseConfigVersion(null));
        Assert.Equal(SpecVersion.V0_2_0, CniVersion.ParseConfigVersion(""));
    }

    [Theory]
    [InlineData("9.9.9")]
    [InlineData("1.1")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0 ")]
    public void UnknownVersionIsCode1NamingIt(string version)
    {
        var e = Assert.Throws<CniException>(() => CniVersion.ParseConfigVersion(version));
        Assert.Equal(CniErrorCode.IncompatibleCniVersion, e.Code);
        Assert.Contains(version, e.Details);
    }

    [Theory]
    [InlineData(CniCommand.Check, SpecVersion.V0_3_1, false)]
    [InlineData(CniCommand.Check, SpecVersion.V0_4_0, true)]
    [InlineData(CniCommand.Check, SpecVersion.V1_0_0, true)]
    [InlineData(CniCommand.Gc, SpecVersion.V1_0_0, false)]
    [InlineData(CniCommand.Gc, SpecVersion.V1_1_0, true)]
    [InlineData(CniCommand.Status, SpecVersion.V0_4_0, false)]
    [InlineData(CniCommand.Status, SpecVersion.V1_1_0, true)]
    [InlineData(CniCommand.Add, SpecVersion.V0_1_0, true)]
    [InlineData(CniCommand.Del, SpecVersion.V0_1_0, true)]
    public void PerCommandGates(CniCommand command, SpecVersion version, bool allowed)
    {
        if (allowed)
        {
            CniVersion.EnsureCommandAllowed(command, version);
        }
        else
        {
            var e = Assert.Throws<CniException>(() => CniVersion.EnsureCommandAllowed(command, version));
            Assert.Equal(CniErrorCode.IncompatibleCniVersion, e.Code);
            Assert.Contains(CniVersion.CommandName(command), e.Message);
        }
    }

    [Fact]
    public void CommandsParseExactly()
    {
        Assert.True(CniVersion.TryParseCommand("STATUS", out var c));
        Assert.Equal(CniCommand.Status, c);
        Assert.False(CniVersion.TryParseCommand("add", out _));
        Assert.False(CniVersion.TryParseCommand("GET_ENDPOINT_STATE", out _));
    }
}
