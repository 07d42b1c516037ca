namespace AzureCni.Hns.Tests;

public sealed class HnsErrorTests
{
    [Fact]
    public void FromHResult_UsesTheErrorRecordText_AndTellsNotFoundApart()
    {
        HnsException e = HnsException.FromHResult("HcnOpenEndpoint", HnsResults.HCN_E_ENDPOINT_NOT_FOUND,
            """{"Error":"The endpoint was not found.","ErrorCode":2151350274,"Success":false}""");

        Assert.Equal("HcnOpenEndpoint failed with 0x803B0002: The endpoint was not found.", e.Message);
        Assert.True(e.IsNotFound);
        Assert.False(e.IsTimeout);
        Assert.Equal("HcnOpenEndpoint", e.Operation);
        Assert.Contains("2151350274", e.ErrorRecord);
    }

    [Theory]
    [InlineData(unchecked((int)0x803B0001), true)]
    [InlineData(unchecked((int)0x80070490), true)]
    [InlineData(unchecked((int)0x803B0010), false)]
    [InlineData(unchecked((int)0x80004005), false)]
    public void IsNotFound_ByHResult(int hresult, bool notFound)
        => Assert.Equal(notFound, HnsException.FromHResult("op", hresult, null).IsNotFound);

    [Fact]
    public void V1Response_Failure_MentioningNotFound_IsNotFound()
    {
        HnsException e = Assert.Throws<HnsException>(() => HnsV1Response.Unwrap("HNSCall DELETE /endpoints/x", """{"Success":false,"Error":"Endpoint x not found"}"""));

        Assert.True(e.IsNotFound);
        Assert.Contains("Endpoint x not found", e.Message);
    }

    [Fact]
    public void V1Response_Success_ReturnsTheOutput()
        => Assert.Equal("""{"ID":"a"}""", HnsV1Response.Unwrap("op", """{"Success":true,"Output":{"ID":"a"}}"""));

    [Fact]
    public void V1Response_NotJson_IsUnexpected()
        => Assert.Equal(HnsResults.E_UNEXPECTED, Assert.Throws<HnsException>(() => HnsV1Response.Unwrap("op", "<html>")).HResult);
}
