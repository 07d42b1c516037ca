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

    /// <summary>
    /// The real service where its libraries cannot be loaded (this Linux host, as Windows without the Containers
    /// feature): the loader's exception becomes an HnsException naming the library, for HCN v2 and HNS v1 alike.
    /// </summary>
    [Fact]
    public void HostNetworkService_WithoutItsLibraries_IsUnavailable_NamingTheLibrary()
    {
#pragma warning disable CA1416 // Windows-only on purpose: the point is what happens where the library is missing.
        var service = new HostNetworkService();
        HnsException hcn = Assert.Throws<HnsException>(() => service.EnumerateNetworks("{}"));
        HnsException v1 = Assert.Throws<HnsException>(() => service.HnsRequest("GET", "/networks/", null));
#pragma warning restore CA1416

        Assert.True(hcn.IsUnavailable);
        Assert.Equal("computenetwork.dll not found", hcn.Message);
        Assert.IsType<DllNotFoundException>(hcn.InnerException);
        Assert.True(v1.IsUnavailable);
        Assert.Equal("vmcompute.dll not found", v1.Message);
        Assert.False(hcn.IsNotFound);
    }

    [Fact]
    public void Unavailable_MissingEntryPoint_SaysSo()
    {
        HnsException e = HnsException.Unavailable("computenetwork.dll", new EntryPointNotFoundException("Unable to find an entry point named 'HcnCreateEndpoint' in DLL 'computenetwork.dll'."));

        Assert.True(e.IsUnavailable);
        Assert.Equal(HnsResults.ProcedureNotFound, e.HResult);
        Assert.StartsWith("computenetwork.dll lacks an entry point: ", e.Message, StringComparison.Ordinal);
    }

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

    [Theory]
    [InlineData("""{"\udcec":true,"Success":true}""")]
    [InlineData("""{"Success":false,"Error":"bad \ud800 text"}""")]
    public void V1Response_WithALoneSurrogateEscape_IsUnexpected(string response)
        => Assert.Equal(HnsResults.E_UNEXPECTED, Assert.Throws<HnsException>(() => HnsV1Response.Unwrap("op", response)).HResult);

    [Fact]
    public void FromHResult_ErrorRecordWithALoneSurrogateEscape_IsShownAsIs()
    {
        const string record = """{"Error":"bad \ud800 text","Success":false}""";
        HnsException e = HnsException.FromHResult("op", HnsResults.E_FAIL, record);
        Assert.Contains(record, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_WithALoneSurrogateEscapeInAName_IsUnexpected()
        => Assert.Equal(HnsResults.E_UNEXPECTED, Assert.Throws<HnsException>(
            () => HcnDocuments.Read<AzureCni.Hns.Schema.V1.HnsEndpoint>("""{"\udcec":1}""", "op")).HResult);
}
