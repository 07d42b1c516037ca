using AzureCni.Cni;

namespace AzureCni.Cni.Tests;

public class CniArgsTests
{
    [Fact]
    public void KubernetesArgsExposePodNamespaceAndName()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=nginx-7d9;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u-1;EXTRA=x");
        Assert.True(args.IgnoreUnknown);
        Assert.Equal("default", args.PodNamespace);
        Assert.Equal("nginx-7d9", args.PodName);
        Assert.Equal("x", args.Get("EXTRA"));
        Assert.Equal(6, args.Pairs.Count);
    }

    [Fact]
    public void EmptyOrAbsentArgsAreEmpty()
    {
        Assert.Empty(CniArgs.Parse(null).Pairs);
        Assert.Empty(CniArgs.Parse("").Pairs);
        Assert.Null(CniArgs.Parse("").PodName);
    }

    [Fact]
    public void UnknownKeyWithoutIgnoreUnknownIsAnErrorNamingTheKey()
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse("K8S_POD_NAME=a;FOO_BAR=1"));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, e.Code);
        Assert.Contains("FOO_BAR", e.Message);
    }

    [Theory]
    [InlineData("IgnoreUnknown=true;FOO=1")]
    [InlineData("FOO=1;IgnoreUnknown=TRUE")]
    [InlineData("FOO=1;IgnoreUnknown=1")]
    public void IgnoreUnknownAnywhereAcceptsUnknownKeys(string text)
    {
        Assert.Equal("1", CniArgs.Parse(text).Get("FOO"));
    }

    [Fact]
    public void IgnoreUnknownFalseStillRejects()
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse("IgnoreUnknown=0;FOO=1"));
        Assert.Contains("FOO", e.Message);
    }

    [Fact]
    public void NonStrictParsingKeepsUnknownKeys()
    {
        Assert.Equal("1", CniArgs.Parse("FOO=1", strict: false).Get("FOO"));
    }

    [Theory]
    [InlineData("K8S_POD_NAME")]
    [InlineData("K8S_POD_NAME=a=b")]
    [InlineData("K8S_POD_NAME=a;;K8S_POD_NAMESPACE=b")]
    public void MalformedPairsAreErrorsNamingThePair(string text)
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse(text));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, e.Code);
        Assert.Contains("invalid pair", e.Message);
    }

    [Fact]
    public void InvalidIgnoreUnknownValueIsAnError()
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse("IgnoreUnknown=maybe"));
        Assert.Contains("maybe", e.Message);
    }
}
