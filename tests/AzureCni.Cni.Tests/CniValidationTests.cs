using AzureCni.Cni;

namespace AzureCni.Cni.Tests;

public class CniValidationTests
{
    [Theory]
    [InlineData("3ce2636e7e36")]
    [InlineData("a")]
    [InlineData("A1_b.c-d")]
    public void ValidContainerIds(string id) => CniValidation.ValidateContainerId(id);

    [Fact]
    public void EmptyContainerIdIsCode3() =>
        Assert.Equal(CniErrorCode.UnknownContainer, Assert.Throws<CniException>(() => CniValidation.ValidateContainerId("")).Code);

    [Theory]
    [InlineData("-abc")]
    [InlineData("_abc")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a;b")]
    [InlineData("é")]
    public void BadContainerIdIsCode4(string id)
    {
        var e = Assert.Throws<CniException>(() => CniValidation.ValidateContainerId(id));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, e.Code);
        Assert.Contains("containerID", e.Message);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("123456789012345")]
    [InlineData("a.b-c_d")]
    public void ValidInterfaceNames(string name) => CniValidation.ValidateInterfaceName(name);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1234567890123456", "too long")]
    [InlineData(".", ". or ..")]
    [InlineData("..", ". or ..")]
    [InlineData("eth/0", "whitespace")]
    [InlineData("eth:0", "whitespace")]
    [InlineData("eth 0", "whitespace")]
    [InlineData("eth\t0", "whitespace")]
    public void BadInterfaceNamesAreCode4(string name, string messagePart)
    {
        var e = Assert.Throws<CniException>(() => CniValidation.ValidateInterfaceName(name));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, e.Code);
        Assert.Contains(messagePart, e.Message);
    }

    [Fact]
    public void InterfaceNameLimitCountsBytes() =>
        Assert.Throws<CniException>(() => CniValidation.ValidateInterfaceName("ééééééééé"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-azure")]
    [InlineData("az ure")]
    public void BadNetworkNamesAreCode7(string? name) =>
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, Assert.Throws<CniException>(() => CniValidation.ValidateNetworkName(name)).Code);
}
