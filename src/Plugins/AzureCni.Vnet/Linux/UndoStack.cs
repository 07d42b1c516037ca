using Serilog;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// The transaction of an ADD: every side effect registers its undo right after it succeeds; disposing without
/// <see cref="Commit"/> runs the undos in reverse order. An undo that fails is logged and the rest still run,
/// so the original error is the one reported.
/// </summary>
internal sealed class UndoStack(ILogger log) : IDisposable
{
    private readonly List<(string What, Action Undo)> _steps = [];
    private bool _committed;

    public void Push(string what, Action undo) => _steps.Add((what, undo));

    public void Commit() => _committed = true;

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        for (int i = _steps.Count - 1; i >= 0; i--)
        {
            try
            {
                _steps[i].Undo();
                log.Debug("undone: {What}", _steps[i].What);
            }
            catch (Exception e)
            {
                log.Warning("undo of {What} failed: {Error}", _steps[i].What, e.Message);
            }
        }

        _steps.Clear();
    }
}

/// <summary>
/// Test hook: AZURE_CNI_FAIL_AT=&lt;step&gt; in the invocation's environment makes that step of the data path throw,
/// so the tests can prove that a failure at any point unwinds completely.
/// </summary>
internal sealed class FailurePoints(IReadOnlyDictionary<string, string> environment)
{
    public const string Variable = "AZURE_CNI_FAIL_AT";

    private readonly string? _step = environment.TryGetValue(Variable, out string? step) && step.Length > 0 ? step : null;

    public void At(string step)
    {
        if (_step == step)
        {
            throw new Cni.CniException(Cni.CniErrorCode.Runtime, $"azure-vnet: injected failure at {step}");
        }
    }
}
