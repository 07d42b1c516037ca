using AzureCni.Hns.Tests.Simulation;

namespace AzureCni.Hns.Tests;

public sealed class TimeoutHostNetworkServiceTests
{
    private const string Query = """{"SchemaVersion":{"Major":2,"Minor":0}}""";

    [Fact]
    public void HeldCall_TimesOut_AndCanBeWaitedForAfterwards()
    {
        var hns = new SimulatedHostNetworkService();
        ManualResetEventSlim gate = hns.Hold("HcnEnumerateNetworks");
        var timed = new TimeoutHostNetworkService(hns, TimeSpan.FromMilliseconds(50));

        HnsException e = Assert.Throws<HnsException>(() => timed.EnumerateNetworks(Query));
        Assert.True(e.IsTimeout);
        Assert.Equal("HcnEnumerateNetworks", e.Operation);
        Assert.False(timed.WaitForAbandonedCalls(TimeSpan.Zero));

        gate.Set();
        Assert.True(timed.WaitForAbandonedCalls(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void FailingCall_PassesTheHnsErrorThroughUnchanged()
    {
        var timed = new TimeoutHostNetworkService(new SimulatedHostNetworkService(), TimeSpan.FromSeconds(30));

        HnsException e = Assert.Throws<HnsException>(() => timed.DeleteEndpoint(Guid.NewGuid()));

        Assert.True(e.IsNotFound);
        Assert.True(timed.WaitForAbandonedCalls(TimeSpan.Zero));
    }

    [Fact]
    public void PromptCall_ReturnsItsResult()
        => Assert.Equal("[]", new TimeoutHostNetworkService(new SimulatedHostNetworkService(), TimeSpan.FromSeconds(30)).EnumerateNetworks(Query));
}
